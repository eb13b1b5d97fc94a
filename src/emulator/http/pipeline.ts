/**
 * emulator/http/: the HTTP side — server, router, request parsing, paging, responses, the request pipeline and its log.
 */
import { randomUUID } from 'node:crypto';
import { ArmError } from '../armError';
import type { FaultRules } from '../faults/faultInjector';
import type { Handler, HandlerContext, RoutedRequest } from '../handlers/context';
import { categoryOf, type RequestCategory, type Throttler } from '../throttling/throttler';
import { isLoopbackAddress } from './loopback';
import { bearerPrincipal, parseBody, parseTarget, type RawRequest } from './request';
import type { RequestLogEntry } from './requestLog';
import { actionOfRequest } from '../state/callerPermissions';
import type { EmulatorResponse } from './response';
import type { ApiVersionRule, Route, RouteMatch, Router } from './router';

export interface PipelineDeps {
  router: Router<Handler>;
  context: HandlerContext;
  throttler: Throttler;
  faults: FaultRules;
  requestLog: RequestLogEntry[];
}

/**
 * One request, front door to answer: route, loopback guard, injected faults, token buckets,
 * api-version and subscription/resource-group checks, handler; then ARM's standard headers and a log entry.
 */
export class Pipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async handle(raw: RawRequest): Promise<EmulatorResponse> {
    const { router, context, throttler, faults, requestLog } = this.deps;
    const time = context.state.now();
    const requestId = randomUUID();
    const method = raw.method.toUpperCase();
    const target = parseTarget(raw.url);
    const category = categoryOf(method);
    const principal = bearerPrincipal(raw.headers);
    const throttleKey = `${subscriptionOf(target.segments) ?? 'tenant'}|${principal}`;
    const { match, pathMatched } = router.match(method, target.segments);
    const entry: RequestLogEntry = { time, method, path: target.path, query: target.query.toRecord(), status: 0, requestId, ...(match ? { operation: match.route.operation } : {}) };
    let remaining: number | undefined;
    let response: EmulatorResponse;
    try {
      if (!match) {
        throw pathMatched
          ? new ArmError(405, 'MethodNotAllowed', `The method '${method}' is not allowed on '${target.path}'.`)
          : new ArmError(404, 'NotFound', `No emulated API answers '${method} ${target.path}'.`);
      }
      const { route, params } = match;
      if (route.loopbackOnly && !isLoopbackAddress(raw.remoteAddress)) {
        throw new ArmError(403, 'Forbidden', 'The emulator admin API answers loopback callers only.');
      }
      const decision = faults.decide(method, target.path);
      if (decision.fired.length > 0) entry.faults = decision.fired;
      if (decision.latencyMs > 0) await delay(decision.latencyMs);
      if (decision.error) throw decision.error;
      if (route.apiVersion !== 'none') {
        const taken = throttler.take(throttleKey, category);
        remaining = taken.remaining;
        if (!taken.allowed) {
          entry.throttled = true;
          throw throttledError(category, context.subscriptionId, taken.retryAfterSeconds ?? 1);
        }
      }
      const apiVersion = checkApiVersion(route, target.query.get('api-version'));
      checkParents(match, context);
      // The caller's RBAC, on mutations only (ARM checks reads too; the emulator leaves them open).
      const mutation = route.apiVersion !== 'none' && !route.loopbackOnly ? actionOfRequest(method, target.segments) : undefined;
      if (mutation) context.state.caller.authorize(mutation.action, mutation.scope);
      const request: RoutedRequest = {
        method,
        path: target.path,
        segments: target.segments,
        query: target.query,
        headers: raw.headers,
        body: parseBody(raw.body),
        remoteAddress: raw.remoteAddress,
        principal,
        params,
        apiVersion,
        ...(decision.operationFailure ? { operationFailure: decision.operationFailure } : {}),
      };
      response = await route.handler(request, context);
    } catch (error) {
      response = errorResponse(error);
    }
    const correlationId = header(raw.headers['x-ms-correlation-request-id']) ?? header(raw.headers['x-ms-client-request-id']) ?? randomUUID();
    const clientRequestId = header(raw.headers['x-ms-client-request-id']);
    response.headers = {
      ...response.headers,
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': correlationId,
      ...(clientRequestId ? { 'x-ms-client-request-id': clientRequestId } : {}),
      [`x-ms-ratelimit-remaining-subscription-${category}`]: String(remaining ?? throttler.remaining(throttleKey, category)),
    };
    entry.status = response.status;
    requestLog.push(entry);
    return response;
  }
}

function checkApiVersion(route: Route<Handler>, version: string | undefined): string {
  const rule: ApiVersionRule = route.apiVersion;
  if (rule === 'none') return version ?? '';
  if (!version) throw new ArmError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
  const accepted = typeof rule === 'function' ? rule(version) : rule.includes(version);
  if (!accepted) {
    throw new ArmError(400, 'NoRegisteredProviderFound', `No registered resource provider found for API version '${version}' of '${route.operation}'.`);
  }
  return version;
}

/** Like ARM: a foreign subscription is 404 SubscriptionNotFound, a missing resource group 404 ResourceGroupNotFound. */
function checkParents(match: RouteMatch<Handler>, context: HandlerContext): void {
  const { subscriptionId, resourceGroup } = match.params;
  if (subscriptionId !== undefined && subscriptionId.toLowerCase() !== context.subscriptionId.toLowerCase()) {
    throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
  }
  if (resourceGroup !== undefined) context.state.resourceGroups.require(resourceGroup);
}

function throttledError(category: RequestCategory, subscriptionId: string, retryAfterSeconds: number): ArmError {
  const kind = category === 'reads' ? 'read' : category === 'writes' ? 'write' : 'delete';
  return new ArmError(
    429,
    'SubscriptionRequestsThrottled',
    `Number of '${kind}' requests for subscription '${subscriptionId}' exceeded. Please try again after '${retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`,
    undefined,
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

function errorResponse(error: unknown): EmulatorResponse {
  if (error instanceof ArmError) return { status: error.status, body: error.toBody(), headers: { ...error.headers } };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { error: { code: 'InternalServerError', message: `Emulator failure: ${message}` } } };
}

function subscriptionOf(segments: readonly string[]): string | undefined {
  return segments[0]?.toLowerCase() === 'subscriptions' ? segments[1]?.toLowerCase() : undefined;
}

function header(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v && v.trim() !== '' ? v : undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
