import { randomBytes } from 'node:crypto';
import { ArmError, ProblemNotFoundError } from '../armError';
import type { EmulatorRoute } from './context';

/**
 * Lab Services' own 404s are `application/problem+json` (labplan-crud recording); ARM's front door still answers
 * its own ones (ResourceGroupNotFound, SubscriptionNotFound) ARM-shaped, and those are raised before a handler runs.
 */
export function withProblemNotFound(routes: EmulatorRoute[]): EmulatorRoute[] {
  return routes.map((route) => ({
    ...route,
    handler: async (req, ctx) => {
      try {
        return await route.handler(req, ctx);
      } catch (error) {
        if (error instanceof ArmError && error.status === 404 && !(error instanceof ProblemNotFoundError)) throw new ProblemNotFoundError(traceId());
        throw error;
      }
    },
  }));
}

/** W3C traceparent, as the recorded `traceId` looks. */
function traceId(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}
