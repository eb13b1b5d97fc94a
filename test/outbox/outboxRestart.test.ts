import { textOf } from '../support/fakeBotConnector';
import { createOutboxHarness, text, type OutboxHarness } from './outboxHarness';

let h: OutboxHarness;
afterEach(async () => {
  await h.close();
});

describe('Outbox across restarts', () => {
  it('a new outbox over the same file delivers what the previous one left, and never resends a sent key', async () => {
    h = await createOutboxHarness();
    await h.addConversation('19:a');
    await h.addConversation('19:b');
    await h.outbox.start();
    await h.outbox.send('19:a', text('a1'), { key: 'a1' });
    await h.outbox.send('19:a', text('a2'), { key: 'a2' });
    await h.connector.waitForAccepted(2);
    await h.settled();
    await h.outbox.stop();
    // Persisted while stopped, as when the process dies before delivering.
    expect(await h.outbox.send('19:a', text('a3'), { key: 'a3' })).toBe(true);
    expect(await h.outbox.send('19:b', text('b1'), { key: 'b1' })).toBe(true);

    const outbox = await h.restart();
    expect(await outbox.send('19:a', text('a1 again'), { key: 'a1' })).toBe(false);
    expect(await outbox.send('19:a', text('a3 again'), { key: 'a3' })).toBe(false);
    expect(await outbox.send('19:a', text('a4'), { key: 'a4' })).toBe(true);
    await outbox.start();
    await h.connector.waitForAccepted(5);
    await h.settled();
    expect(h.log.lines).toContainEqual(expect.objectContaining({ msg: 'resuming pending messages', conversations: 2 }));

    expect(h.connector.textsOf('19:a')).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(h.connector.textsOf('19:b')).toEqual(['b1']);

    // The activity id of a message sent before the restart is still known to update it.
    const a1 = h.connector.accepted.find((a) => textOf(a.activity) === 'a1');
    await outbox.update('19:a', 'a1', text('a1, edited'));
    await h.connector.waitForAccepted(6);
    expect(h.connector.accepted.at(-1)).toMatchObject({ method: 'PUT', activityId: a1?.activityId });
    expect(h.connector.requests).toHaveLength(6);
  });

  it('drain delivers what is due, then stops; what comes after waits for the next start', async () => {
    h = await createOutboxHarness();
    for (const c of ['19:a', '19:b']) await h.addConversation(c);
    // Another tenant, so that its 429 holds back nothing else.
    await h.addConversation('19:c', 'tenant-2');
    h.connector.fail('19:c', { status: 429, times: 1, retryAfterSeconds: 1 });
    await h.outbox.start();
    await h.outbox.send('19:c', text('retried later'), { key: 'c1' });
    for (let i = 0; i < 400 && (await h.store.get('c1'))?.throttled !== 1; i++) await new Promise((r) => setTimeout(r, 5));
    for (const c of ['19:a', '19:b']) for (const i of [1, 2, 3]) await h.outbox.send(c, text(`${c} ${i}`), { key: `${c}/${i}` });

    expect(await h.outbox.drain(10_000)).toBe(true);
    expect(h.connector.textsOf('19:a')).toEqual(['19:a 1', '19:a 2', '19:a 3']);
    expect(h.connector.textsOf('19:b')).toEqual(['19:b 1', '19:b 2', '19:b 3']);
    // Its retry was not due when the drain began, so the drain did not wait for it.
    expect(h.connector.textsOf('19:c')).toEqual([]);

    expect(await h.outbox.send('19:a', text('after the drain'), { key: 'late' })).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.connector.accepted).toHaveLength(6);
    expect(await h.store.get('late')).toMatchObject({ status: 'pending' });

    await (await h.restart()).start();
    await h.connector.waitForAccepted(8);
    await h.settled();
    expect(h.connector.textsOf('19:a').at(-1)).toBe('after the drain');
    expect(h.connector.textsOf('19:c')).toEqual(['retried later']);
  });
});
