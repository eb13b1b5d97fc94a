import type { OutboxRecord } from '../../src/ports/outbox';
import { textOf } from '../support/fakeBotConnector';
import { createOutboxHarness, text, type OutboxHarness } from './outboxHarness';

let h: OutboxHarness;
afterEach(async () => {
  await h.close();
});

/** Queues n messages per conversation, interleaved across conversations; returns the texts per conversation. */
async function queue(conversations: readonly string[], n: number): Promise<Map<string, string[]>> {
  const expected = new Map<string, string[]>(conversations.map((c) => [c, []]));
  for (let i = 1; i <= n; i++) {
    for (const c of conversations) {
      const t = `${c} #${i}`;
      expect(await h.outbox.send(c, text(t), { key: `${c}/${i}` })).toBe(true);
      expected.get(c)?.push(t);
    }
  }
  return expected;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  for (const started = Date.now(); !(await condition()); ) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function rowsOf(conversationId: string, n: number): Promise<(OutboxRecord | undefined)[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => h.store.get(`${conversationId}/${i + 1}`)));
}

describe('Outbox through BotConnectorTransport to the Bot Connector', () => {
  it('delivers every message once, in order per conversation, as a new message of the conversation', async () => {
    h = await createOutboxHarness();
    for (const c of ['19:a', '19:b', '19:c']) await h.addConversation(c);
    const expected = await queue(['19:a', '19:b', '19:c'], 5);
    await h.outbox.start();
    await h.connector.waitForAccepted(15);
    await h.settled();

    for (const [c, texts] of expected) expect(h.connector.textsOf(c)).toEqual(texts);
    expect(h.connector.accepted).toHaveLength(15);
    expect(h.connector.requests).toHaveLength(15);
    expect(h.connector.accepted.every((a) => a.method === 'POST')).toBe(true);
    expect(h.connector.accepted.every((a) => a.tenantId === 'tenant-1')).toBe(true);
    const rows = await rowsOf('19:a', 5);
    expect(rows.map((r) => r?.status)).toEqual(Array(5).fill('sent'));
    expect(new Set(rows.map((r) => r?.activityId)).size).toBe(5);
  });

  it('keeps order and loses or doubles nothing under 429 storms, 5xx bursts and dropped connections', async () => {
    h = await createOutboxHarness();
    const conversations = ['19:storm', '19:burst', '19:mixed', '19:calm'];
    for (const c of conversations) await h.addConversation(c);
    h.connector.fail('19:storm', { status: 429, times: 3, retryAfterSeconds: 0 });
    h.connector.fail('19:burst', { status: 503, times: 2 });
    h.connector.fail('19:burst', { status: 502, times: 1 });
    h.connector.fail('19:burst', { status: 'reset', times: 1 });
    h.connector.fail('19:mixed', { status: 429, times: 2 });
    h.connector.fail('19:mixed', { status: 500, times: 1 });
    h.connector.fail('19:mixed', { status: 412, times: 1 });
    // Three each: with the refused attempts, the most any conversation needs is 7 requests, which Teams'
    // 7 per second allows without a wait.
    const expected = await queue(conversations, 3);
    await h.outbox.start();
    await h.connector.waitForAccepted(12, 20_000);
    await h.settled();

    for (const [c, texts] of expected) expect(h.connector.textsOf(c)).toEqual(texts);
    expect(h.connector.accepted).toHaveLength(12);
    expect(h.connector.throttled()).toBe(5);
    expect(h.connector.limited()).toBe(0);
    // Every refusal reached the outbox: the SDK's own retries did not absorb any of them.
    const rows = (await Promise.all(conversations.map((c) => rowsOf(c, 3)))).flat();
    expect(rows.every((r) => r?.status === 'sent')).toBe(true);
    const total = (field: 'attempts' | 'throttled', c: string) =>
      rows.filter((r) => r?.conversationId === c).reduce((sum, r) => sum + (r?.[field] ?? 0), 0);
    expect([total('throttled', '19:storm'), total('attempts', '19:storm')]).toEqual([3, 0]);
    expect([total('throttled', '19:burst'), total('attempts', '19:burst')]).toEqual([0, 4]);
    expect([total('throttled', '19:mixed'), total('attempts', '19:mixed')]).toEqual([2, 2]);
    expect(h.log.lines.filter((l) => l.msg === 'throttled by the Bot Connector; retrying')).toHaveLength(5);
    // Keys and statuses are logged, payloads never.
    expect(JSON.stringify(h.log.lines)).not.toMatch(/#\d/);
  });

  it('honours Retry-After and holds back the conversation and its tenant meanwhile', async () => {
    h = await createOutboxHarness();
    await h.addConversation('19:a');
    await h.addConversation('19:b');
    h.connector.fail('19:a', { status: 429, times: 1, retryAfterSeconds: 1 });
    await h.outbox.start();
    await h.outbox.send('19:a', text('first'), { key: 'a1' });
    await h.outbox.send('19:a', text('second'), { key: 'a2' });
    await h.connector.waitFor(() => h.connector.throttled() === 1, 'the 429');
    const throttledAt = h.connector.requests[0]?.arrivedAt ?? 0;
    // Queued once the outbox has taken the 429 in, so that the tenant is held by then.
    await until(async () => (await h.store.get('a1'))?.throttled === 1);
    await h.outbox.send('19:b', text('other conversation, same tenant'), { key: 'b1' });
    await h.connector.waitForAccepted(3);
    await h.settled();

    expect(h.connector.textsOf('19:a')).toEqual(['first', 'second']);
    // Timers may fire a millisecond early; nothing of that tenant went out before the second was over.
    for (const a of h.connector.accepted) expect(a.arrivedAt - throttledAt).toBeGreaterThanOrEqual(995);
  });

  it('on 403 deletes the reference and drops what is left for that conversation, and only that one', async () => {
    h = await createOutboxHarness();
    await h.addConversation('19:gone');
    await h.addConversation('19:here');
    h.connector.removeBot('19:gone');
    const expected = await queue(['19:gone', '19:here'], 4);
    await h.outbox.start();
    await h.connector.waitForAccepted(4);
    await h.settled();

    expect(h.connector.textsOf('19:here')).toEqual(expected.get('19:here'));
    expect(h.connector.requests.filter((r) => r.conversationId === '19:gone')).toHaveLength(1);
    expect(await h.refs.get('19:gone')).toBeUndefined();
    const gone = await rowsOf('19:gone', 4);
    expect(gone.map((r) => r?.status)).toEqual(Array(4).fill('dropped'));
    expect(gone[3]?.lastError).toMatch(/bot removed/);
    expect(h.log.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', conversationId: '19:gone', dropped: 4, status: 403 }),
    );

    // Later messages there are recorded as dropped at once, without a request.
    expect(await h.outbox.send('19:gone', text('too late'), { key: 'late' })).toBe(true);
    expect(await h.store.get('late')).toMatchObject({ status: 'dropped', lastError: 'no conversation reference stored' });
    expect(h.log.lines).toContainEqual(expect.objectContaining({ level: 'warn', key: 'late', msg: 'no conversation reference; message dropped' }));
    expect(h.connector.requests.filter((r) => r.conversationId === '19:gone')).toHaveLength(1);
  });

  it('on 404 drops that message and goes on with the next', async () => {
    h = await createOutboxHarness();
    await h.addConversation('19:a');
    h.connector.fail('19:a', { status: 404, times: 1 });
    await queue(['19:a'], 3);
    await h.outbox.start();
    await h.connector.waitForAccepted(2);
    await h.settled();

    expect(h.connector.textsOf('19:a')).toEqual(['19:a #2', '19:a #3']);
    expect((await rowsOf('19:a', 3)).map((r) => r?.status)).toEqual(['dropped', 'sent', 'sent']);
  });

  it('gives a message up after the last attempt, logs it as an error, and goes on with the next', async () => {
    h = await createOutboxHarness({ retry: { maxAttempts: 3, baseBackoffMs: 5, maxBackoffMs: 20 } });
    await h.addConversation('19:a');
    h.connector.fail('19:a', { status: 503, times: 3 });
    await queue(['19:a'], 2);
    await h.outbox.start();
    await h.connector.waitForAccepted(1);
    await h.settled();

    expect(h.connector.textsOf('19:a')).toEqual(['19:a #2']);
    expect(await h.store.get('19:a/1')).toMatchObject({ status: 'failed', attempts: 3, lastError: expect.stringMatching(/^503/) });
    expect(h.log.lines).toContainEqual(
      expect.objectContaining({ level: 'error', key: '19:a/1', status: 503, msg: 'message not delivered; giving up' }),
    );
  });

  it('holds an update until its send has an activity id, then replaces that activity', async () => {
    h = await createOutboxHarness();
    await h.addConversation('19:a');
    h.connector.fail('19:a', { status: 503, times: 2 });
    await h.outbox.start();
    await h.outbox.send('19:a', text('in progress'), { key: 'progress' });
    await h.outbox.update('19:a', 'progress', text('done'));
    await h.connector.waitForAccepted(2);
    await h.settled();

    const [post, put] = h.connector.accepted;
    expect(post).toMatchObject({ method: 'POST' });
    expect(put).toMatchObject({ method: 'PUT', activityId: post?.activityId });
    expect(textOf(h.connector.current(post?.activityId ?? '') ?? {})).toBe('done');
    expect(await h.store.get('progress')).toMatchObject({ status: 'sent', activityId: post?.activityId });
  });

  it('updates an activity posted in a turn once it is adopted under a key, and survives a restart', async () => {
    h = await createOutboxHarness();
    await h.addConversation('19:a');
    // The turn's own post (here through the transport, as the bot's turn would through the connector).
    const posted = await h.transport.send('19:a', text('⏳ attaching'));
    expect(await h.outbox.adopt('19:a', 'operation:1:card', posted, text('⏳ attaching'))).toBe(true);
    expect(await h.outbox.adopt('19:a', 'operation:1:card', 'other', text('again'))).toBe(false);
    const outbox = await h.restart();
    await outbox.start();
    await outbox.update('19:a', 'operation:1:card', text('✅ attached'));
    await h.connector.waitForAccepted(2);
    await h.settled();
    expect(h.connector.accepted.map((a) => `${a.method} ${a.activityId === posted ? 'posted' : a.activityId} ${textOf(a.activity)}`)).toEqual(['POST posted ⏳ attaching', 'PUT posted ✅ attached']);
  });

  it('posts a message with a thread as a reply in that channel post', async () => {
    h = await createOutboxHarness();
    await h.addConversation('19:a');
    await h.outbox.start();
    await h.outbox.send('19:a', { ...text('ready'), thread: '777' }, { key: 'ready' });
    await h.connector.waitForAccepted(1);
    expect(h.connector.accepted.map((a) => a.conversationId)).toEqual(['19:a;messageid=777']);
  });

  it('coalesces updates not yet delivered: only the newest is sent', async () => {
    h = await createOutboxHarness();
    await h.addConversation('19:a');
    await h.outbox.send('19:a', text('0 %'), { key: 'progress' });
    for (const step of ['25 %', '50 %', '75 %']) await h.outbox.update('19:a', 'progress', text(step));
    await h.outbox.start();
    await h.connector.waitForAccepted(2);
    await h.settled();
    await h.outbox.update('19:a', 'progress', text('100 %'));
    await h.connector.waitForAccepted(3);

    expect(h.connector.accepted.map((a) => `${a.method} ${textOf(a.activity)}`)).toEqual(['POST 0 %', 'PUT 75 %', 'PUT 100 %']);
    await h.settled();
    expect(h.connector.requests).toHaveLength(3);
  });

  it('records updates it cannot deliver as dropped, with a warning', async () => {
    h = await createOutboxHarness();
    await h.addConversation('19:a');
    await h.addConversation('19:b');
    h.connector.fail('19:a', { status: 404, times: 1 });
    await h.outbox.update('19:a', 'never-sent', text('x'));
    await h.outbox.send('19:a', text('card'), { key: 'card' });
    await h.outbox.update('19:b', 'card', text('in the wrong conversation'));
    await h.outbox.update('19:a', 'card', text('card, updated'));
    await h.outbox.start();
    await h.settled();

    // The send got the 404, so its queued update had nothing to replace.
    expect(h.connector.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 404']);
    await h.outbox.update('19:a', 'card', text('card, updated again'));
    const warnings = h.log.lines.filter((l) => l.level === 'warn').map((l) => (l.msg === 'update dropped' ? l.reason : l.msg));
    expect(warnings).toEqual([
      'no message was queued under this key',
      'the message under this key is in another conversation',
      'conversation or activity not found; message dropped',
      'update dropped: the message it replaces was not delivered',
      'the message under this key was dropped',
    ]);
  });
});
