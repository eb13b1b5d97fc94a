import type { OutgoingMessage } from '../../src/ports/notifier';
import type { RateDecision, RateLimits } from '../../src/ports/outbox';
import { openPostgresDatabase, postgresBackend, type PostgresDatabase, type StorageBackend } from '../../src/storage';
import { createFleetDatabase } from './fleetHarness';

/**
 * The PostgreSQL side of the outbox's batches, on a real server: rate-limit places taken for a batch at once hold
 * Teams' limits for the whole fleet, and a send queued in one round trip reads its tenant from the stored reference.
 * Times are passed in: no test waits on a clock.
 */
const limits: RateLimits = {
  perConversation: [{ limit: 2, windowMs: 60_000 }],
  perTenant: [{ limit: 50, windowMs: 60_000 }],
};
const text = (t: string): OutgoingMessage => ({ kind: 'text', text: t });
const went = (decisions: readonly RateDecision[]) => decisions.filter((d) => d.kind === 'go').length;

describe('outbox batches on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createFleetDatabase>>;
  const dbs: PostgresDatabase[] = [];
  let one: StorageBackend;
  let two: StorageBackend;

  beforeAll(async () => {
    database = await createFleetDatabase();
    for (let i = 0; i < 2; i++) dbs.push(await openPostgresDatabase({ url: database.url, maxConnections: 2 }));
    [one, two] = dbs.map((db) => postgresBackend(db)) as [StorageBackend, StorageBackend];
  });
  afterAll(async () => {
    for (const db of dbs) await db.close();
    await database?.drop();
  });

  it("holds a tenant's limit for two instances taking places for batches at once", async () => {
    const [a, b] = [one.outboxRateLimiter(limits)!, two.outboxRateLimiter(limits)!];
    const batch = (prefix: string) => Array.from({ length: 40 }, (_, i) => ({ conversationId: `19:${prefix}-${i}`, tenantKey: 'tenant-race' }));
    const [fromA, fromB] = await Promise.all([a.tryBeginMany(batch('a'), 1_000), b.tryBeginMany(batch('b'), 1_000)]);
    // 80 asked for, 50 places in the window: 50 go, the rest wait for the tenant.
    expect(went(fromA) + went(fromB)).toBe(50);
    // Asked again shortly before the window has room (its place is then taken ahead).
    for (const decision of [...fromA, ...fromB]) if (decision.kind === 'wait') expect(decision).toMatchObject({ tenant: true, delayMs: 59_800 });
    // The instance that was told to wait knows it without asking the database again; another tenant is not held.
    expect(Math.max(a.delayFor('19:x', 'tenant-race', 1_000), b.delayFor('19:x', 'tenant-race', 1_000))).toBe(59_800);
    expect(went(await a.tryBeginMany([{ conversationId: '19:other', tenantKey: 'tenant-other' }], 1_000))).toBe(1);
  });

  it('counts the requests of a batch for the ones after them, and a cancelled place frees it', async () => {
    const limiter = one.outboxRateLimiter(limits)!;
    const same = { conversationId: '19:same', tenantKey: 'tenant-order' };
    const decisions = await limiter.tryBeginMany([same, same, same, { conversationId: '19:next', tenantKey: 'tenant-order' }], 5_000);
    expect(decisions.map((d) => d.kind)).toEqual(['go', 'go', 'wait', 'go']);
    expect(decisions[2]).toMatchObject({ kind: 'wait', tenant: false });
    const first = decisions[0];
    if (first?.kind !== 'go') throw new Error('expected a place');
    await first.lease.cancel();
    expect((await two.outboxRateLimiter(limits)!.tryBegin('19:same', 'tenant-order', 5_001)).kind).toBe('go');
  });

  it('takes a place that opens within 200 ms ahead, for a request that starts then, and counts it for everybody at once', async () => {
    const [a, b] = [one.outboxRateLimiter(limits)!, two.outboxRateLimiter(limits)!];
    const full = await a.tryBeginMany(Array.from({ length: 50 }, (_, i) => ({ conversationId: `19:ahead-${i}`, tenantKey: 'tenant-ahead' })), 1_000);
    // Answered a second apart: the first leaves the window at 61 000, the next at 62 000.
    for (const [i, decision] of full.entries()) if (decision.kind === 'go') await decision.lease.settle(1_000 + i * 1_000);
    expect(went(full)).toBe(50);
    const [early] = await b.tryBeginMany([{ conversationId: '19:ahead-new', tenantKey: 'tenant-ahead' }], 60_700);
    expect(early).toMatchObject({ kind: 'wait', tenant: true, delayMs: 100 });
    const [ahead, after] = await b.tryBeginMany(
      [
        { conversationId: '19:ahead-new', tenantKey: 'tenant-ahead' },
        { conversationId: '19:ahead-next', tenantKey: 'tenant-ahead' },
      ],
      60_900,
    );
    expect(ahead).toMatchObject({ kind: 'go', startAt: 61_000 });
    expect(after).toMatchObject({ kind: 'wait', tenant: true });
    expect((await a.tryBegin('19:ahead-other', 'tenant-ahead', 60_950)).kind).toBe('wait');
  });

  it('queues a send in one round trip with the tenant of the stored reference, or as dropped without one', async () => {
    await one.conversationRefs.upsert({
      conversationId: '19:known',
      tenantId: 'tenant-known',
      reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1', conversation: { id: '19:known', conversationType: 'channel' } },
    });
    const store = one.outbox;
    const send = (key: string, conversationId: string) =>
      store.enqueueSendByReference!({ key, conversationId, message: text(key), notBefore: 1_000 }, 'no conversation reference stored');
    expect(await send('known:1', '19:known')).toBe('pending');
    expect(await store.get('known:1')).toMatchObject({ status: 'pending', tenantId: 'tenant-known', message: text('known:1'), notBefore: 1_000 });
    expect(await send('unknown:1', '19:unknown')).toBe('dropped');
    expect(await store.get('unknown:1')).toMatchObject({ status: 'dropped', lastError: 'no conversation reference stored' });
    expect(await store.get('unknown:1')).not.toHaveProperty('tenantId');
    // A key already known: nothing written.
    expect(await send('known:1', '19:unknown')).toBeUndefined();
    expect(await two.outbox.get('known:1')).toMatchObject({ conversationId: '19:known' });
  });
});
