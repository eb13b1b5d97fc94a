import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { ArmRequestObserver } from '../ports/telemetry';

export const ARM_TELEMETRY_POLICY = 'labGalleryArmTelemetry';

/**
 * Tells observers (telemetry, the readiness failure streak) about every ARM/Graph request attempt: added
 * per retry, so a 429 the SDK retries is seen as such. The operation is named by method and resource type
 * path only (`GET Microsoft.Compute/galleries/images`): no names, no ids, a closed set of labels.
 */
export function armTelemetryPolicy(observers: readonly ArmRequestObserver[]): PipelinePolicy {
  return {
    name: ARM_TELEMETRY_POLICY,
    sendRequest: async (request, next) => {
      const operation = armOperationName(request.method, request.url);
      const spans = observers.map((o) => o.armRequest(operation, request.method));
      let status = 0;
      let remainingReads: number | undefined;
      let remainingWrites: number | undefined;
      try {
        const response = await next(request);
        status = response.status;
        remainingReads = headerNumber(response.headers.get('x-ms-ratelimit-remaining-subscription-reads'));
        remainingWrites = headerNumber(response.headers.get('x-ms-ratelimit-remaining-subscription-writes'));
        return response;
      } catch (error) {
        status = (error as { statusCode?: unknown }).statusCode === undefined ? 0 : Number((error as { statusCode?: unknown }).statusCode) || 0;
        throw error;
      } finally {
        const result = { status, ...(remainingReads === undefined ? {} : { remainingReads }), ...(remainingWrites === undefined ? {} : { remainingWrites }) };
        for (const span of spans) span.end(result);
      }
    },
  };
}

function headerNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i` → `GET Microsoft.Compute/galleries/images`.
 * Below a provider, types sit at odd positions after the namespace; elsewhere (subscriptions, Graph) every
 * segment that looks like an id or name is dropped by keeping only the collection names.
 */
export function armOperationName(method: string, url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return `${method} unknown`;
  }
  const segments = path.split('/').filter(Boolean);
  const provider = segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  if (provider >= 0 && provider + 1 < segments.length) {
    const namespace = segments[provider + 1] ?? '';
    const types = segments.slice(provider + 2).filter((_, i) => i % 2 === 0);
    return `${method} ${[namespace, ...types].join('/')}`;
  }
  // subscriptions/{id}/locations, (v1.0/)servicePrincipals/{id}: the even positions are collections.
  const unversioned = /^v\d/.test(segments[0] ?? '') ? segments.slice(1) : segments;
  const collections = unversioned.filter((s, i) => i % 2 === 0 && /^[A-Za-z.$]{1,64}$/.test(s));
  return `${method} ${collections.join('/') || '/'}`;
}
