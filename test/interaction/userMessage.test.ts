import { apology, userMessageOf } from '../../src/interaction';
import { AzureError, UserError } from '../../src/kernel';
import type { Logger } from '../../src/ports/logger';

/** Keeps what is logged at error level; the rest is dropped. */
function recordingLog(errors: unknown[] = []): Logger & { errors: unknown[] } {
  const drop = (): void => undefined;
  const log: Logger & { errors: unknown[] } = {
    errors,
    trace: drop,
    debug: drop,
    info: drop,
    warn: drop,
    error: (obj) => void errors.push(obj),
    child: () => log,
  };
  return log;
}

describe('userMessageOf', () => {
  const fallback = { key: 'operation.unknownFailure', params: {} } as const;

  it("says a UserError's own key and params", () => {
    expect(userMessageOf(new UserError('bind.done', { host: 'physics' }), fallback)).toEqual({ key: 'bind.done', params: { host: 'physics' } });
    expect(userMessageOf(new AzureError('throttled', { target: 'g1' }), fallback)).toEqual({ key: 'azure.throttled', params: { target: 'g1' } });
  });

  it('says a stored { key, params } when the catalog has the key', () => {
    expect(userMessageOf({ key: 'azure.notFound', params: { target: 'x' } }, fallback)).toEqual({ key: 'azure.notFound', params: { target: 'x' } });
    expect(userMessageOf({ key: 'azure.notFound' }, fallback)).toEqual({ key: 'azure.notFound', params: {} });
  });

  it('falls back for anything else, and logs a key the catalog lacks', () => {
    const log = recordingLog();
    expect(userMessageOf(new Error('socket hang up'), fallback, log)).toBe(fallback);
    expect(userMessageOf(undefined, apology, log)).toBe(apology);
    expect(log.errors).toEqual([]);
    expect(userMessageOf({ key: 'no.such.key', params: {} }, apology, log)).toBe(apology);
    expect(log.errors).toEqual([{ key: 'no.such.key' }]);
  });
});
