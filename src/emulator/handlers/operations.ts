import { ArmError } from '../armError';
import { json, type EmulatorResponse } from '../http/response';
import type { Operation } from '../lro/lroTracker';
import { API_VERSIONS, type EmulatorRoute, type HandlerContext } from './context';

/** Polling URLs of long-running operations: each GET is one poll. */
export const operationRoutes: EmulatorRoute[] = [
  pollRoute('operationResults.get', '/subscriptions/{subscriptionId}/providers/Microsoft.LabServices/operationresults/{operationId}', (operation, ctx) => {
    const body = {
      id: `/subscriptions/${ctx.subscriptionId}/providers/Microsoft.LabServices/operationresults/${operation.id}`,
      ...progressOf(operation),
      percentComplete: operation.status === 'InProgress' ? 50 : 100,
      ...(operation.error ? { error: operation.error } : {}),
    };
    // Location style: only the HTTP status tells the SDK that the operation is still running.
    return operation.status === 'InProgress' ? json(body, 202, ctx.lro.headersOf(operation)) : json(body);
  }),
  pollRoute('computeOperations.get', '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/operations/{operationId}', (operation, ctx) => {
    const body = { ...progressOf(operation), ...(operation.error ? { error: operation.error } : {}) };
    return operation.status === 'InProgress' ? json(body, 200, { 'Retry-After': ctx.lro.headersOf(operation)['Retry-After'] ?? '1' }) : json(body);
  }),
];

function pollRoute(operation: string, pattern: string, answer: (polled: Operation, ctx: HandlerContext) => EmulatorResponse): EmulatorRoute {
  return {
    method: 'GET',
    pattern,
    operation,
    apiVersion: API_VERSIONS.any,
    handler: (req, ctx) => {
      const id = req.params.operationId ?? '';
      const polled = ctx.lro.poll(id);
      if (!polled) throw new ArmError(404, 'OperationNotFound', `The operation '${id}' was not found.`);
      return answer(polled, ctx);
    },
  };
}

/** What both polling styles answer first: name, status, start and (once done) end. */
function progressOf(operation: Operation) {
  return {
    name: operation.id,
    status: operation.status,
    startTime: iso(operation.startTime),
    ...(operation.endTime !== undefined ? { endTime: iso(operation.endTime) } : {}),
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
