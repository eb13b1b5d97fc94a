import { retryAfterMs } from '../../src/bot/botConnectorTransport';
import { backoffMs, decide, defaultRetryOptions } from '../../src/outbox/retryPolicy';
import { DeliveryError } from '../../src/ports/conversationTransport';

const fresh = { attempts: 0, throttled: 0 };
const half = () => 0.5;

describe('delivery decisions', () => {
  it('retries a 429 after its Retry-After, or a jittered backoff without one, and holds the tenant', () => {
    expect(decide(new DeliveryError(429, 'slow down', 3_000), fresh, defaultRetryOptions, half)).toEqual({
      kind: 'retry',
      delayMs: 3_000,
      attempts: 0,
      throttled: 1,
      holdTenant: true,
    });
    expect(decide(new DeliveryError(429, 'slow down'), { attempts: 2, throttled: 2 }, defaultRetryOptions, half)).toEqual({
      kind: 'retry',
      delayMs: backoffMs(3, defaultRetryOptions, half),
      attempts: 2,
      throttled: 3,
      holdTenant: true,
    });
  });

  it.each([0, 408, 412, 500, 502, 503, 504])('retries %s with backoff, up to the last attempt', (status) => {
    const error = new DeliveryError(status, 'transient');
    expect(decide(error, fresh, defaultRetryOptions, half)).toMatchObject({ kind: 'retry', attempts: 1, holdTenant: false });
    expect(decide(error, { attempts: 4, throttled: 9 }, defaultRetryOptions, half)).toMatchObject({ kind: 'retry', attempts: 5 });
    // The sixth failed attempt is the last.
    expect(decide(error, { attempts: 5, throttled: 1 }, defaultRetryOptions, half)).toEqual({ kind: 'fail', attempts: 6, throttled: 1 });
  });

  it('gives up on a message throttled too often', () => {
    expect(decide(new DeliveryError(429, 'x'), { attempts: 1, throttled: 20 }, defaultRetryOptions, half)).toEqual({
      kind: 'fail',
      attempts: 1,
      throttled: 21,
    });
  });

  it('tells 403 (bot removed) from 404 (gone) from what is refused for good', () => {
    expect(decide(new DeliveryError(403, 'x'), fresh, defaultRetryOptions, half)).toEqual({ kind: 'removed' });
    expect(decide(new DeliveryError(404, 'x'), fresh, defaultRetryOptions, half)).toEqual({ kind: 'drop' });
    for (const status of [400, 401, 413]) {
      expect(decide(new DeliveryError(status, 'x'), fresh, defaultRetryOptions, half)).toEqual({ kind: 'fail', attempts: 1, throttled: 0 });
    }
  });

  it('backs off exponentially between half and all of the doubled delay, capped', () => {
    const options = { ...defaultRetryOptions, baseBackoffMs: 100, maxBackoffMs: 1_000 };
    expect([1, 2, 3].map((n) => backoffMs(n, options, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((n) => backoffMs(n, options, () => 0.999_999))).toEqual([100, 200, 400]);
    expect(backoffMs(10, options, () => 0)).toBe(500);
    expect(backoffMs(10, options, () => 0.999_999)).toBe(1_000);
  });
});

describe('Retry-After', () => {
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] });
  const now = Date.UTC(2026, 0, 1, 12);

  it('reads seconds, an HTTP date, or retry-after-ms', () => {
    expect(retryAfterMs(headers({ 'retry-after': '2' }), now)).toBe(2_000);
    expect(retryAfterMs(headers({ 'retry-after': '0' }), now)).toBe(0);
    expect(retryAfterMs(headers({ 'retry-after': new Date(now + 5_000).toUTCString() }), now)).toBe(5_000);
    expect(retryAfterMs(headers({ 'retry-after': new Date(now - 5_000).toUTCString() }), now)).toBe(0);
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs({ 'retry-after': '3' }, now)).toBe(3_000);
  });

  it('is undefined when absent or unreadable', () => {
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
