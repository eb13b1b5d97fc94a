import { ArmError } from '../armError';
import { json, type EmulatorResponse } from '../http/response';
import type { Operation } from '../lro/lroTracker';
import { API_VERSIONS, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';

/**
 * Polling URLs of long-running operations: each GET is one poll. Both answer 200 with the operation's status
 * while it runs, as recorded. Only the `monitor=true` form (a DELETE's or POST's `Location`) answers 202 while
 * running, so that a client polling it in Location mode keeps waiting (unconfirmed: the recordings only show
 * it answering 200 once done).
 */
export const operationRoutes: EmulatorRoute[] = [
  pollRoute('operationResults.get', '/subscriptions/{subscriptionId}/providers/Microsoft.LabServices/locations/{location}/operationResults/{operationId}', (operation, ctx) => ({
    id: ctx.lro.idOf(operation),
    ...progressOf(operation),
  })),
  pollRoute('computeOperations.get', '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/capsOperations/{operationId}', (operation) => progressOf(operation)),
];

function pollRoute(name: string, pattern: string, body: (polled: Operation, ctx: HandlerContext) => object): EmulatorRoute {
  return {
    method: 'GET',
    pattern,
    operation: name,
    apiVersion: API_VERSIONS.any,
    handler: (req, ctx) => answer(req, ctx, body),
  };
}

function answer(req: RoutedRequest, ctx: HandlerContext, body: (polled: Operation, ctx: HandlerContext) => object): EmulatorResponse {
  const id = req.params.operationId ?? '';
  const polled = ctx.lro.poll(id, req.query);
  if (!polled) throw new ArmError(404, 'OperationNotFound', `The operation '${id}' was not found.`);
  const running = polled.status === 'InProgress';
  const monitor = req.query.get('monitor')?.toLowerCase() === 'true';
  const retryAfter = ctx.lro.headersOf(polled)['Retry-After'];
  const headers: Record<string, string> = running && retryAfter ? { 'Retry-After': retryAfter } : {};
  if (monitor && running) return json(body(polled, ctx), 202, { ...headers, Location: ctx.lro.urlOf(polled, { monitor: true }) });
  return json(body(polled, ctx), 200, headers);
}

/** What both polling styles answer: name, status, start and (once done) end, and the error of a failed one. */
function progressOf(operation: Operation) {
  return {
    name: operation.id,
    status: operation.status,
    startTime: iso(operation.startTime),
    ...(operation.endTime !== undefined ? { endTime: iso(operation.endTime) } : {}),
    ...(operation.error ? { error: { code: operation.error.code, message: operation.error.message } } : {}),
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
