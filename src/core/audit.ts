import type { Clock } from '../ports/clock';
import type { AuditEntry, AuditLog } from '../ports/stores';
import { AzureError, UserError } from '../kernel';

export type AuditBase = Omit<AuditEntry, 'time' | 'outcome' | 'durationMs' | 'detail'>;

/**
 * Runs a mutation and appends one audit entry with its outcome and duration, whether it succeeds or throws.
 * The detail is an error code, never an error message (messages may carry secrets or user data). A request the
 * bot refuses before touching anything (a plain UserError: an unknown image, a typo) changed nothing and is not
 * audited; what Azure refused (an AzureError) is.
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
    if (error instanceof UserError && !(error instanceof AzureError)) throw error;
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

/** Image names kept in a toggle's audit detail: enough for the audit card's line, bounded for the row. */
const MAX_NAMED = 20;

/**
 * The detail of an enable/disable: counts, then the names of the images changed (gallery image names have no
 * spaces or commas), which the audit card shows as "enabled optics-sim, quantum-gpu".
 */
export function toggleAuditDetail(result: { changed: readonly string[]; unchanged: readonly string[]; failed: readonly unknown[] }): string {
  const counts = `changed=${result.changed.length} unchanged=${result.unchanged.length} failed=${result.failed.length}`;
  if (result.changed.length === 0) return counts;
  const named = result.changed.slice(0, MAX_NAMED).join(',');
  return `${counts} images=${named}${result.changed.length > MAX_NAMED ? ',…' : ''}`;
}

/** The image names a toggle's detail carries (see toggleAuditDetail); none for any other detail. */
export function imagesOfDetail(detail: string | undefined): string[] {
  const match = /(?:^| )images=(\S+)/.exec(detail ?? '');
  return match ? match[1]!.split(',').filter((n) => n.length > 0) : [];
}

/** The counts of a toggle's detail, when it is one. */
export function countsOfDetail(detail: string | undefined): { changed: number; unchanged: number; failed: number } | undefined {
  const match = /^changed=(\d+) unchanged=(\d+) failed=(\d+)/.exec(detail ?? '');
  return match ? { changed: Number(match[1]), unchanged: Number(match[2]), failed: Number(match[3]) } : undefined;
}
