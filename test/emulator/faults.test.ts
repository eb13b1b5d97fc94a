import { API, q, startTestEmulator, type ArmErrorJson, type TestEmulator } from './harness';

describe('fault injection', () => {
  let t: TestEmulator;
  let planId: string;

  beforeEach(async () => {
    t = await startTestEmulator({
      seed: (state) => {
        planId = state.addLabPlan({ resourceGroup: 'rg', name: 'plan', location: 'westus2' });
      },
    });
  });
  afterEach(() => t.close());

  it('answers the injected status and ARM code the given number of times, then recovers', async () => {
    const id = t.emulator.faults.add({ method: 'GET', path: /labPlans\/plan$/, status: 503, times: 2 });
    const first = await t.call<ArmErrorJson>('GET', q(planId, API.plans));
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ error: { code: 'ServiceUnavailable', message: expect.any(String) } });
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await t.call('GET', q(planId, API.plans))).status).toBe(503);
    expect((await t.call('GET', q(planId, API.plans))).status).toBe(200);
    expect(t.emulator.requestLog.map((e) => [e.status, e.faults])).toEqual([
      [503, [id]],
      [503, [id]],
      [200, undefined],
    ]);
  });

  it('matches on method and path, honours a custom code, and can be removed or cleared', async () => {
    const id = t.emulator.faults.add({ method: 'PATCH', path: /labPlans/i, status: 409, code: 'AnotherOperationInProgress' });
    expect((await t.call('GET', q(planId, API.plans))).status).toBe(200);
    expect((await t.call<ArmErrorJson>('PATCH', q(planId, API.plans), { properties: {} })).body.error.code).toBe('AnotherOperationInProgress');
    expect(t.emulator.faults.remove(id)).toBe(true);
    // A lab plan PATCH answers 200 at once, as recorded.
    expect((await t.call('PATCH', q(planId, API.plans), { properties: {} })).status).toBe(200);
    t.emulator.faults.add({ path: /./, status: 500 });
    t.emulator.faults.clear();
    expect((await t.call('GET', q(planId, API.plans))).status).toBe(200);
  });

  it('fires at the given rate (seeded, so reproducible)', async () => {
    t.emulator.faults.add({ path: /labPlans/, status: 500, rate: 0 });
    expect((await t.call('GET', q(planId, API.plans))).status).toBe(200);
    t.emulator.faults.clear();
    t.emulator.faults.add({ path: /labPlans/, status: 500, rate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await t.call('GET', q(planId, API.plans))).status);
    expect(statuses).toContain(500);
    expect(statuses).toContain(200);
  });

  it('adds latency without failing when no status is given', async () => {
    t.emulator.faults.add({ path: /labPlans/, latencyMs: 120 });
    const started = Date.now();
    expect((await t.call('GET', q(planId, API.plans))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });
});
