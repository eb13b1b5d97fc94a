/**
 * emulator/faults/: injected failures (status, ARM code, delay) matched by method and path, for the tests and the demo.
 */
import { ArmError } from '../armError';
import type { Prng } from '../prng';

export interface FaultSpec {
  /** HTTP method to match; any when absent. */
  method?: string;
  /** Tested against the request path (no query, doubled slashes collapsed). */
  path: RegExp;
  /** Answer with this status and an ARM error body instead of handling the request. */
  status?: number;
  /** ARM error code; a usual one for the status when absent. */
  code?: string;
  message?: string;
  /** Probability that a matching request is hit, 0..1 (seeded PRNG). Default 1. */
  rate?: number;
  /** Real milliseconds added before answering (also with no status: a slow but successful call). */
  latencyMs?: number;
  /** How many hits before the rule retires itself; unlimited when absent. */
  times?: number;
  /** Let the request start its long-running operation, and make that operation end Failed. */
  failOperation?: boolean;
  /** Retry-After for 429/503 answers. Default 1. */
  retryAfterSeconds?: number;
}

export interface FaultInjector {
  add(spec: FaultSpec): string;
  remove(id: string): boolean;
  clear(): void;
}

export interface FaultDecision {
  latencyMs: number;
  error?: ArmError;
  operationFailure?: { code: string; message: string };
  fired: string[];
}

const DEFAULT_CODES: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'AuthenticationFailed',
  403: 'AuthorizationFailed',
  404: 'NotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

interface ActiveFault {
  id: string;
  spec: FaultSpec;
  left: number;
}

export class FaultRules implements FaultInjector {
  private readonly rules = new Map<string, ActiveFault>();
  private counter = 0;

  constructor(private readonly prng: Prng) {}

  add(spec: FaultSpec): string {
    const id = `fault-${++this.counter}`;
    this.rules.set(id, { id, spec, left: spec.times ?? Number.POSITIVE_INFINITY });
    return id;
  }

  remove(id: string): boolean {
    return this.rules.delete(id);
  }

  clear(): void {
    this.rules.clear();
  }

  /** Which rules hit this request: latencies add up, the first error (or operation failure) wins. */
  decide(method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, fired: [] };
    for (const rule of [...this.rules.values()]) {
      const { spec } = rule;
      if (spec.method && spec.method.toUpperCase() !== method) continue;
      spec.path.lastIndex = 0;
      if (!spec.path.test(path)) continue;
      if (spec.rate !== undefined && spec.rate < 1 && this.prng.next() >= spec.rate) continue;
      decision.fired.push(rule.id);
      decision.latencyMs += spec.latencyMs ?? 0;
      if (!decision.error && !decision.operationFailure) {
        if (spec.failOperation) {
          decision.operationFailure = { code: spec.code ?? 'InternalServerError', message: spec.message ?? 'The operation failed (injected fault).' };
        } else if (spec.status !== undefined) {
          decision.error = faultError(spec, spec.status);
        }
      }
      rule.left -= 1;
      if (rule.left <= 0) this.rules.delete(rule.id);
    }
    return decision;
  }
}

function faultError(spec: FaultSpec, status: number): ArmError {
  const code = spec.code ?? DEFAULT_CODES[status] ?? (status >= 500 ? 'InternalServerError' : 'BadRequest');
  const headers: Record<string, string> = status === 429 || status === 503 ? { 'Retry-After': String(spec.retryAfterSeconds ?? 1) } : {};
  return new ArmError(status, code, spec.message ?? `Injected fault: ${code}.`, undefined, headers);
}
