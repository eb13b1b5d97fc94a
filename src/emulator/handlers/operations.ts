import { ArmError } from '../armError';
import { json } from '../http/response';
import type { Operation } from '../lro/lroTracker';
import { API_VERSIONS, type EmulatorRoute, type HandlerContext } from './context';

/** Polling URLs of long-running operations. */
export const operationRoutes: EmulatorRoute[] = [
  {
    method: 'GET',
    pattern: '/subscriptions/{subscriptionId}/providers/Microsoft.LabServices/operationresults/{operationId}',
    operation: 'operationResults.get',
    apiVersion: API_VERSIONS.any,
    handler: (req, ctx) => {
      const operation = pollOrThrow(ctx, req.params.operationId ?? '');
      const body = {
        id: `/subscriptions/${ctx.subscriptionId}/providers/Microsoft.LabServices/operationresults/${operation.id}`,
        name: operation.id,
        status: operation.status,
        startTime: iso(operation.startTime),
        ...(operation.endTime !== undefined ? { endTime: iso(operation.endTime) } : {}),
        percentComplete: operation.status === 'InProgress' ? 50 : 100,
        ...(operation.error ? { error: operation.error } : {}),
      };
      // Location style: only the HTTP status tells the SDK that the operation is still running.
      return operation.status === 'InProgress' ? json(body, 202, ctx.lro.headersOf(operation)) : json(body);
    },
  },
  {
    method: 'GET',
    pattern: '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/operations/{operationId}',
    operation: 'computeOperations.get',
    apiVersion: API_VERSIONS.any,
    handler: (req, ctx) => {
      const operation = pollOrThrow(ctx, req.params.operationId ?? '');
      const body = {
        name: operation.id,
        status: operation.status,
        startTime: iso(operation.startTime),
        ...(operation.endTime !== undefined ? { endTime: iso(operation.endTime) } : {}),
        ...(operation.error ? { error: operation.error } : {}),
      };
      return operation.status === 'InProgress' ? json(body, 200, { 'Retry-After': ctx.lro.headersOf(operation)['Retry-After'] ?? '1' }) : json(body);
    },
  },
];

function pollOrThrow(ctx: HandlerContext, id: string): Operation {
  const operation = ctx.lro.poll(id);
  if (!operation) throw new ArmError(404, 'OperationNotFound', `The operation '${id}' was not found.`);
  return operation;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
