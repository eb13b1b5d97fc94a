import type { Clock } from '../ports/clock';
import type { AuditEntry, AuditLog } from '../ports/stores';
import { AzureError } from '../kernel';

export type AuditBase = Omit<AuditEntry, 'time' | 'outcome' | 'durationMs' | 'detail'>;

/**
 * Runs a mutation and appends one audit entry with its outcome and duration, whether it succeeds or throws.
 * The detail is an error code, never an error message (messages may carry secrets or user data).
 */
export async function audited<T>(
  audit: AuditLog,
  clock: Clock,
  base: AuditBase,
  action: () => Promise<T>,
  detailOf: (result: T) => string | undefined = () => undefined,
): Promise<T> {
  const started = clock.now();
  try {
    const result = await action();
    const detail = detailOf(result);
    await audit.append({ ...base, time: clock.now(), outcome: 'succeeded', durationMs: clock.now() - started, ...(detail ? { detail } : {}) });
    return result;
  } catch (error) {
    await audit.append({
      ...base,
      time: clock.now(),
      outcome: 'failed',
      durationMs: clock.now() - started,
      detail: errorDetail(error),
    });
    throw error;
  }
}

function errorDetail(error: unknown): string {
  if (error instanceof AzureError) {
    const code = error.detail.armCode ?? error.kind;
    return error.detail.correlationId ? `${code} arm-correlation=${error.detail.correlationId}` : code;
  }
  if (error instanceof Error) return error.name;
  return 'unknown';
}
