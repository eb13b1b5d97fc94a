import { TokenBucket } from '../../src/emulator/throttling/tokenBucket';
import { API, q, startTestEmulator, type ArmErrorJson, type TestEmulator } from './harness';

describe('ARM throttling', () => {
  let t: TestEmulator;
  let planId: string;

  beforeEach(async () => {
    t = await startTestEmulator({
      throttle: { reads: { burst: 3, refillPerSecond: 0.5 }, writes: { burst: 1, refillPerSecond: 1 } },
      seed: (state) => {
        planId = state.addLabPlan({ resourceGroup: 'rg', name: 'plan', location: 'westus2' });
      },
    });
  });
  afterEach(() => t.close());

  it('answers 429 + Retry-After once the read bucket is empty, and refills from the clock', async () => {
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) remaining.push((await t.call('GET', q(planId, API.plans))).headers.get('x-ms-ratelimit-remaining-subscription-reads'));
    expect(remaining).toEqual(['2', '1', '0']);
    const throttled = await t.call<ArmErrorJson>('GET', q(planId, API.plans));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect(throttled.body.error.code).toBe('SubscriptionRequestsThrottled');
    expect(t.emulator.requestLog.at(-1)).toMatchObject({ status: 429, throttled: true, operation: 'labPlans.get' });

    t.clock.advance(1000);
    expect((await t.call('GET', q(planId, API.plans))).status).toBe(429);
    t.clock.advance(1000);
    expect((await t.call('GET', q(planId, API.plans))).status).toBe(200);
  });

  it('keeps separate buckets per principal and per category', async () => {
    for (let i = 0; i < 3; i++) await t.call('GET', q(planId, API.plans));
    expect((await t.call('GET', q(planId, API.plans))).status).toBe(429);
    expect((await t.call('GET', q(planId, API.plans), undefined, { authorization: 'Bearer someone-else' })).status).toBe(200);
    const write = await t.call('PATCH', q(planId, API.plans), { properties: {} });
    expect(write.status).toBe(200);
    expect(write.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toBe('0');
  });

  it('does not throttle Graph', async () => {
    for (let i = 0; i < 5; i++) expect((await t.call('GET', "/v1.0/servicePrincipals(appId='x')")).status).toBe(404);
  });
});

describe('TokenBucket', () => {
  it('never holds more than its burst, and rounds Retry-After up to whole seconds (at least 1)', () => {
    const bucket = new TokenBucket({ burst: 2, refillPerSecond: 10 }, 0);
    expect(bucket.take(0)).toEqual({ allowed: true, remaining: 1 });
    expect(bucket.take(0)).toEqual({ allowed: true, remaining: 0 });
    expect(bucket.take(0)).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    expect(bucket.peek(60_000)).toBe(2);
    const slow = new TokenBucket({ burst: 1, refillPerSecond: 0.25 }, 0);
    slow.take(0);
    expect(slow.take(1000).retryAfterSeconds).toBe(3);
  });
});
