import { DeliveryError } from '../ports/conversationTransport';

export interface RetryOptions {
  /** Attempts (the first included) for 5xx, 408, 412 and network errors before a message fails. */
  maxAttempts: number;
  /** 429 answers a message may get before it fails. */
  maxThrottled: number;
  /** Backoff before the first retry, doubled per retry up to `maxBackoffMs`, then jittered. */
  baseBackoffMs: number;
  maxBackoffMs: number;
}

export const defaultRetryOptions: RetryOptions = Object.freeze({
  maxAttempts: 6,
  maxThrottled: 20,
  baseBackoffMs: 1_000,
  maxBackoffMs: 60_000,
});

export type DeliveryDecision =
  /** Try again in `delayMs`; `holdTenant` when the connector throttled (the limit hit may be the tenant's). */
  | { kind: 'retry'; delayMs: number; attempts: number; throttled: number; holdTenant: boolean }
  /** 404: the conversation or the activity is gone; this message only. */
  | { kind: 'drop' }
  /** 403: the bot was removed; nothing more can reach this conversation. */
  | { kind: 'removed' }
  /** Refused for good, or retried too often; the counts include this attempt. */
  | { kind: 'fail'; attempts: number; throttled: number };

/** Status 0 stands for no answer at all (network error, timeout). */
const TRANSIENT = new Set([0, 408, 412, 500, 502, 503, 504]);

export function decide(
  error: DeliveryError,
  record: { attempts: number; throttled: number },
  options: RetryOptions,
  random: () => number,
): DeliveryDecision {
  if (error.status === 403) return { kind: 'removed' };
  if (error.status === 404) return { kind: 'drop' };
  if (error.status === 429) {
    const throttled = record.throttled + 1;
    if (throttled > options.maxThrottled) return { kind: 'fail', attempts: record.attempts, throttled };
    const delayMs = error.retryAfterMs ?? backoffMs(throttled, options, random);
    return { kind: 'retry', delayMs, attempts: record.attempts, throttled, holdTenant: true };
  }
  if (TRANSIENT.has(error.status)) {
    const attempts = record.attempts + 1;
    if (attempts >= options.maxAttempts) return { kind: 'fail', attempts, throttled: record.throttled };
    const delayMs = error.retryAfterMs ?? backoffMs(attempts, options, random);
    return { kind: 'retry', delayMs, attempts, throttled: record.throttled, holdTenant: false };
  }
  return { kind: 'fail', attempts: record.attempts + 1, throttled: record.throttled };
}

/** Exponential with "equal jitter": between half and all of the doubled delay, so retries spread but never bunch at 0. */
export function backoffMs(retry: number, options: RetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Whatever the transport threw, as the DeliveryError the policy reads. */
export function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  return new DeliveryError(0, error instanceof Error ? error.message : String(error));
}
