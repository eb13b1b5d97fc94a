import type { OutgoingMessage } from '../../src/ports/notifier';
import type { NewOutboxEntry, OutboxStore } from '../../src/ports/outbox';
import type { StorageBackend } from '../../src/storage';
import { BACKENDS, useBackendFixture, type BackendFixture } from './backendFixture';

let fixture: BackendFixture;

const text = (t: string): OutgoingMessage => ({ kind: 'text', text: t });
const card: OutgoingMessage = {
  kind: 'card',
  summary: 'Replication done',
  card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'done' }] },
};

function entry(key: string, conversationId = '19:a', message = text(key)): NewOutboxEntry {
  return { key, conversationId, tenantId: 't1', message, notBefore: fixture.clock.now() };
}

describe.each(BACKENDS)('%s outbox store', (backend) => {
  const backendFixture = useBackendFixture(backend);
  let db: StorageBackend;
  let store: OutboxStore;
  beforeEach(async () => {
    fixture = backendFixture;
    db = await fixture.open();
    store = db.outbox;
  });

  it('queues a send as pending and reads it back, payload included', async () => {
    fixture.clock.set(Date.UTC(2026, 2, 1, 8));
    expect(await store.enqueueSend(entry('k1', '19:a', card))).toBe(true);
    expect(await store.get('k1')).toEqual({
      seq: expect.any(Number),
      key: 'k1',
      conversationId: '19:a',
      tenantId: 't1',
      kind: 'send',
      message: card,
      status: 'pending',
      attempts: 0,
      throttled: 0,
      notBefore: Date.UTC(2026, 2, 1, 8),
      createdAt: Date.UTC(2026, 2, 1, 8),
      updatedAt: Date.UTC(2026, 2, 1, 8),
    });
    expect(await store.get('missing')).toBeUndefined();
  });

  it('tells how many rows are pending and when the oldest was queued (metrics, readiness)', async () => {
    expect(await store.pendingStats()).toEqual({ pending: 0 });
    fixture.clock.set(1_000);
    await store.enqueueSend(entry('k1', '19:a'));
    fixture.clock.set(2_000);
    await store.enqueueSend(entry('k2', '19:b'));
    expect(await store.pendingStats()).toEqual({ pending: 2, oldestCreatedAt: 1_000 });
    const first = await store.get('k1');
    await store.markSent(first!.seq, 'activity-1');
    expect(await store.pendingStats()).toEqual({ pending: 1, oldestCreatedAt: 2_000 });
  });

  it('ignores a second send with the same key, whatever became of the first', async () => {
    await store.enqueueSend(entry('k1'));
    expect(await store.enqueueSend(entry('k1', '19:b', text('other')))).toBe(false);
    const first = await store.get('k1');
    expect(first).toMatchObject({ conversationId: '19:a', message: text('k1') });
    await store.markSent(first!.seq, 'activity-1');
    expect(await store.enqueueSend(entry('k1'))).toBe(false);
    expect(await store.enqueueSend({ ...entry('k1'), dropReason: 'no reference' })).toBe(false);
    expect(await store.get('k1')).toMatchObject({ status: 'sent', activityId: 'activity-1' });
  });

  it('records a send dropped at once, so that its key is remembered', async () => {
    expect(await store.enqueueSend({ ...entry('k1'), dropReason: 'no conversation reference stored' })).toBe(true);
    expect(await store.get('k1')).toMatchObject({ status: 'dropped', lastError: 'no conversation reference stored' });
    expect(await store.nextPending('19:a')).toBeUndefined();
    expect(await store.pendingConversations()).toEqual([]);
  });

  it('records an activity posted in a turn as sent, with its id, so that an update can replace it (adopt)', async () => {
    expect(await store.enqueueSend({ ...entry('operation:1:card', '19:a', card), sentActivityId: 'activity-in-turn' })).toBe(true);
    expect(await store.get('operation:1:card')).toMatchObject({ kind: 'send', status: 'sent', activityId: 'activity-in-turn', message: card });
    expect(await store.nextPending('19:a')).toBeUndefined();
    expect(await store.pendingStats()).toEqual({ pending: 0 });
    expect(await store.enqueueSend({ ...entry('operation:1:card'), sentActivityId: 'another' })).toBe(false);
  });

  it('gives each conversation its pending rows in queue order, and the conversations by their oldest row', async () => {
    for (const [key, conversation] of [
      ['b1', '19:b'],
      ['a1', '19:a'],
      ['b2', '19:b'],
      ['a2', '19:a'],
    ] as const) {
      await store.enqueueSend(entry(key, conversation));
    }
    expect(await store.pendingConversations()).toEqual(['19:b', '19:a']);
    const order: string[] = [];
    for (let head = await store.nextPending('19:a'); head; head = await store.nextPending('19:a')) {
      order.push(head.key);
      await store.markSent(head.seq, `id-${head.key}`);
    }
    expect(order).toEqual(['a1', 'a2']);
    expect(await store.pendingConversations()).toEqual(['19:b']);
  });

  it('finishes and reschedules only rows still pending', async () => {
    await store.enqueueSend(entry('k1'));
    const row = (await store.get('k1'))!;
    fixture.clock.advance(500);
    expect(await store.reschedule(row.seq, { notBefore: 9_000, attempts: 1, throttled: 2, lastError: '503: busy' })).toBe(true);
    expect(await store.get('k1')).toMatchObject({
      status: 'pending',
      notBefore: 9_000,
      attempts: 1,
      throttled: 2,
      lastError: '503: busy',
      updatedAt: row.createdAt + 500,
    });
    expect(await store.markFailed(row.seq, '400: bad', { attempts: 2, throttled: 2 })).toBe(true);
    expect(await store.markSent(row.seq, 'late')).toBe(false);
    expect(await store.markDropped(row.seq, 'late')).toBe(false);
    expect(await store.reschedule(row.seq, { notBefore: 1, attempts: 9, throttled: 9, lastError: 'late' })).toBe(false);
    expect(await store.get('k1')).toMatchObject({ status: 'failed', lastError: '400: bad', attempts: 2, throttled: 2 });
    expect(await store.get('k1')).not.toHaveProperty('activityId');
  });

  it('queues an update behind its send and coalesces pending updates of the same target', async () => {
    await store.enqueueSend(entry('card'));
    await store.enqueueSend(entry('other'));
    const first = await store.enqueueUpdate({ ...entry('u1', '19:a', text('v1')), targetKey: 'card' });
    expect(first).toMatchObject({ kind: 'update', targetKey: 'card', status: 'pending', message: text('v1') });
    const second = await store.enqueueUpdate({ ...entry('u2', '19:a', text('v2')), targetKey: 'card' });
    expect(second.seq).toBeGreaterThan(first.seq);
    expect(await store.get('u1')).toBeUndefined();

    const order: string[] = [];
    for (let head = await store.nextPending('19:a'); head; head = await store.nextPending('19:a')) {
      order.push(`${head.key}:${head.message.kind === 'text' ? head.message.text : ''}`);
      await store.markSent(head.seq, 'id');
    }
    expect(order).toEqual(['card:card', 'other:other', 'u2:v2']);
  });

  it('does not coalesce into an update that was already delivered, nor across targets', async () => {
    await store.enqueueSend(entry('c1'));
    await store.enqueueSend(entry('c2'));
    const delivered = await store.enqueueUpdate({ ...entry('u1', '19:a', text('v1')), targetKey: 'c1' });
    await store.markSent(delivered.seq, 'id-c1');
    await store.enqueueUpdate({ ...entry('u2', '19:a', text('v2')), targetKey: 'c1' });
    await store.enqueueUpdate({ ...entry('u3', '19:a', text('w1')), targetKey: 'c2' });
    expect(await store.get('u1')).toMatchObject({ status: 'sent' });
    expect(await store.get('u2')).toMatchObject({ status: 'pending', targetKey: 'c1' });
    expect(await store.get('u3')).toMatchObject({ status: 'pending', targetKey: 'c2' });
  });

  it('keeps the pending update when the new one cannot be inserted', async () => {
    await store.enqueueSend(entry('card'));
    await store.enqueueUpdate({ ...entry('u1', '19:a', text('v1')), targetKey: 'card' });
    await expect(store.enqueueUpdate({ ...entry('card', '19:a', text('v2')), targetKey: 'card' })).rejects.toThrow(/already taken/);
    expect(await store.get('u1')).toMatchObject({ status: 'pending', message: text('v1') });
  });

  it('records a dropped update without touching the pending one', async () => {
    await store.enqueueSend(entry('card'));
    await store.enqueueUpdate({ ...entry('u1', '19:a', text('v1')), targetKey: 'card' });
    await store.enqueueUpdate({ ...entry('u2', '19:a', text('v2')), targetKey: 'card', dropReason: 'no conversation reference stored' });
    expect(await store.get('u1')).toMatchObject({ status: 'pending' });
    expect(await store.get('u2')).toMatchObject({ status: 'dropped', lastError: 'no conversation reference stored' });
  });

  it('drops every pending row of one conversation and leaves the rest', async () => {
    await store.enqueueSend(entry('a1', '19:a'));
    await store.enqueueSend(entry('a2', '19:a'));
    await store.enqueueSend(entry('b1', '19:b'));
    await store.markSent((await store.get('a1'))!.seq, 'id-a1');
    expect(await store.dropPending('19:a', 'bot removed')).toBe(1);
    expect(await store.get('a1')).toMatchObject({ status: 'sent' });
    expect(await store.get('a2')).toMatchObject({ status: 'dropped', lastError: 'bot removed' });
    expect(await store.pendingConversations()).toEqual(['19:b']);
  });

  it('prunes finished rows older than the cutoff and never a pending one', async () => {
    await store.enqueueSend(entry('old-sent'));
    await store.enqueueSend({ ...entry('old-dropped'), dropReason: 'no reference' });
    await store.enqueueSend(entry('old-pending'));
    await store.markSent((await store.get('old-sent'))!.seq, 'id');
    const cutoff = fixture.clock.now() + 1;
    fixture.clock.advance(10);
    await store.enqueueSend(entry('new-sent'));
    await store.markSent((await store.get('new-sent'))!.seq, 'id');

    expect(await store.prune(cutoff)).toBe(2);
    expect(await store.get('old-sent')).toBeUndefined();
    expect(await store.get('old-dropped')).toBeUndefined();
    expect(await store.get('old-pending')).toMatchObject({ status: 'pending' });
    expect(await store.get('new-sent')).toMatchObject({ status: 'sent' });
    // A pruned key is forgotten: the bound on how long keys are remembered.
    expect(await store.enqueueSend(entry('old-sent'))).toBe(true);
  });

  it('claims a due head for one instance until its claim lapses, then lets another take it', async () => {
    fixture.clock.set(10_000);
    await store.enqueueSend(entry('a1'));
    const head = (await store.nextPending('19:a'))!;
    const other = (await fixture.open()).outbox;
    expect(await store.claim(head.seq, { owner: 'one', now: 10_000, until: 70_000 })).toBe(true);
    expect(await store.nextPending('19:a')).toMatchObject({ key: 'a1', claimedBy: 'one', claimedUntil: 70_000 });
    expect(await other.claim(head.seq, { owner: 'two', now: 10_001, until: 70_001 })).toBe(false);
    // Its own claim is renewed; once lapsed (its instance died), another instance may take the row.
    expect(await store.claim(head.seq, { owner: 'one', now: 20_000, until: 80_000 })).toBe(true);
    expect(await other.claim(head.seq, { owner: 'two', now: 80_000, until: 140_000 })).toBe(true);
    expect(await store.get('a1')).toMatchObject({ claimedBy: 'two', claimedUntil: 140_000 });
    expect(await store.markSent(head.seq, 'id-a1')).toBe(true);
    expect(await store.get('a1')).not.toHaveProperty('claimedBy');
    expect(await store.claim(head.seq, { owner: 'one', now: 200_000, until: 260_000 })).toBe(false);
  });

  it('claims only the head of a conversation, only when due, and a reschedule ends the claim', async () => {
    fixture.clock.set(1_000);
    await store.enqueueSend(entry('a1'));
    await store.enqueueSend(entry('a2'));
    await store.enqueueSend(entry('b1', '19:b'));
    const [a1, a2, b1] = await Promise.all(['a1', 'a2', 'b1'].map(async (key) => (await store.get(key))!));
    const claim = (owner: string, now: number) => ({ owner, now, until: now + 60_000 });
    // Per-conversation order across instances: a2 waits until a1 is finished, whoever holds a1.
    expect(await store.claim(a2!.seq, claim('two', 1_000))).toBe(false);
    expect(await store.claim(b1!.seq, claim('two', 1_000))).toBe(true);
    expect(await store.claim(a1!.seq, claim('one', 1_000))).toBe(true);
    expect(await store.reschedule(a1!.seq, { notBefore: 5_000, attempts: 1, throttled: 0, lastError: '503: busy' })).toBe(true);
    expect(await store.get('a1')).not.toHaveProperty('claimedBy');
    expect(await store.claim(a2!.seq, claim('two', 2_000))).toBe(false);
    expect(await store.claim(a1!.seq, claim('two', 4_999))).toBe(false);
    expect(await store.claim(a1!.seq, claim('two', 5_000))).toBe(true);
    await store.markDropped(a1!.seq, '404');
    expect(await store.claim(a2!.seq, claim('one', 5_001))).toBe(true);
  });

  it('gives a contested head to exactly one of several instances claiming it at once', async () => {
    fixture.clock.set(1_000);
    await store.enqueueSend(entry('a1'));
    const head = (await store.nextPending('19:a'))!;
    const stores = [store, ...(await Promise.all([fixture.open(), fixture.open(), fixture.open()])).map((b) => b.outbox)];
    const won = await Promise.all(stores.map((s, i) => s.claim(head.seq, { owner: `i${i}`, now: 1_000, until: 60_000 })));
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  it('claims the heads of several conversations in one call: only heads, only due ones, not those another instance holds', async () => {
    fixture.clock.set(1_000);
    await store.enqueueSend(entry('a1'));
    await store.enqueueSend(entry('a2'));
    await store.enqueueSend({ ...entry('b1', '19:b'), notBefore: 5_000 });
    await store.enqueueSend(entry('c1', '19:c'));
    await store.enqueueSend(entry('d1', '19:d'));
    const other = (await fixture.open()).outbox;
    expect(await other.claimHeads(['19:c'], { owner: 'two', now: 1_000, until: 61_000 })).toMatchObject([{ head: { key: 'c1' }, claimed: true }]);

    const heads = await store.claimHeads(['19:a', '19:b', '19:c', '19:d', '19:empty'], { owner: 'one', now: 1_000, until: 61_000 });
    // In the order asked for; a conversation with nothing pending is left out.
    expect(heads.map(({ head, claimed }) => [head.key, claimed])).toEqual([
      ['a1', true],
      ['b1', false],
      ['c1', false],
      ['d1', true],
    ]);
    expect(heads[2]!.head).toMatchObject({ claimedBy: 'two', claimedUntil: 61_000 });
    expect(await store.get('a1')).toMatchObject({ claimedBy: 'one', claimedUntil: 61_000 });
    // Per-conversation order: a2 is not a head while a1 is pending, whoever asks.
    expect(await other.claimHeads(['19:a'], { owner: 'two', now: 2_000, until: 62_000 })).toMatchObject([{ head: { key: 'a1' }, claimed: false }]);
    // A drain's cutoff: due by then only.
    fixture.clock.set(6_000);
    expect(await store.claimHeads(['19:b'], { owner: 'one', now: 6_000, until: 66_000, dueBy: 4_000 })).toMatchObject([{ head: { key: 'b1' }, claimed: false }]);
    expect(await store.claimHeads(['19:b'], { owner: 'one', now: 6_000, until: 66_000 })).toMatchObject([{ head: { key: 'b1' }, claimed: true }]);
  });

  it("hands an owner's claims back at once, and nobody else's", async () => {
    fixture.clock.set(1_000);
    await store.enqueueSend(entry('a1'));
    await store.enqueueSend(entry('b1', '19:b'));
    const other = (await fixture.open()).outbox;
    const [a1] = await store.claimHeads(['19:a'], { owner: 'one', now: 1_000, until: 61_000 });
    const [b1] = await other.claimHeads(['19:b'], { owner: 'two', now: 1_000, until: 61_000 });
    await store.release([a1!.head.seq, b1!.head.seq], 'one');
    expect(await store.get('a1')).not.toHaveProperty('claimedBy');
    expect(await store.get('b1')).toMatchObject({ claimedBy: 'two' });
    expect(await other.claimHeads(['19:a', '19:b'], { owner: 'two', now: 1_001, until: 61_001 })).toMatchObject([
      { head: { key: 'a1' }, claimed: true },
      { head: { key: 'b1' }, claimed: true },
    ]);
  });

  it('gives each head to exactly one of several instances claiming batches at once, and each conversation in order', async () => {
    fixture.clock.set(1_000);
    const conversations = Array.from({ length: 12 }, (_, i) => `19:batch-${i}`);
    for (const id of conversations) for (const n of [1, 2, 3]) await store.enqueueSend(entry(`${id}#${n}`, id));
    const stores = [store, ...(await Promise.all([fixture.open(), fixture.open()])).map((b) => b.outbox)];
    const delivered = new Map<string, string[]>();
    // Rounds of: every instance claims a batch (in its own order) at once, then finishes what it claimed.
    for (let round = 0; round < 3; round++) {
      const now = 1_000 + round;
      const claims = await Promise.all(
        stores.map((s, i) => s.claimHeads(i % 2 ? [...conversations].reverse() : conversations, { owner: `i${i}`, now, until: now + 60_000 })),
      );
      const won = claims.flat().filter((c) => c.claimed);
      expect(won).toHaveLength(conversations.length);
      expect(new Set(won.map((c) => c.head.seq)).size).toBe(conversations.length);
      for (const { head } of won) {
        delivered.set(head.conversationId, [...(delivered.get(head.conversationId) ?? []), head.key]);
        await store.markSent(head.seq, `id-${head.key}`);
      }
    }
    for (const id of conversations) expect(delivered.get(id)).toEqual([`${id}#1`, `${id}#2`, `${id}#3`]);
  });

  it('keeps pending rows and remembered keys across a restart', async () => {
    await store.enqueueSend(entry('sent'));
    await store.markSent((await store.get('sent'))!.seq, 'id-1');
    await store.enqueueSend(entry('waiting', '19:b'));
    await db.close();

    const reopened = (await fixture.open()).outbox;
    expect(await reopened.pendingConversations()).toEqual(['19:b']);
    expect(await reopened.nextPending('19:b')).toMatchObject({ key: 'waiting', status: 'pending' });
    expect(await reopened.enqueueSend(entry('sent'))).toBe(false);
    expect(await reopened.get('sent')).toMatchObject({ status: 'sent', activityId: 'id-1' });
  });
});
