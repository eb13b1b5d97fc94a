import { Outbox, SlidingWindowLimiter, teamsRateLimits } from '../../src/outbox';
import { systemClock, type Clock } from '../../src/ports/clock';
import type { OutboxRateLimiter } from '../../src/ports/outbox';
import { createOutboxHarness, text, type OutboxHarness } from './outboxHarness';

/**
 * A claim keeps other instances off a row only for a while: no request may still be in flight on the claiming
 * instance once it lapses (another instance would then send the message again).
 */
let h: OutboxHarness;
afterEach(async () => {
  await h?.close();
});

describe('Outbox claims', () => {
  it('refuses a claim shorter than the send timeout plus the time to prepare and record', async () => {
    h = await createOutboxHarness();
    const base = { store: h.store, transport: h.transport, refs: h.refs, clock: systemClock, logger: h.log };
    expect(() => new Outbox({ ...base, fleet: { claimMs: 20_000 } })).toThrow(/outbox claim of 20000 ms: it must run at least 30000 ms/);
    expect(() => new Outbox({ ...base, fleet: { claimMs: 20_000, sendTimeoutMs: 5_000 } })).not.toThrow();
  });

  it('does not start a request its claim would not outlast: hands the row back and sends it under a fresh claim, once', async () => {
    h = await createOutboxHarness();
    await h.addConversation('19:slow');
    // The outbox's time jumps 6 s while its first rate-limit place is taken (a stalled database, say): the claim of
    // 30 s no longer covers a 15 s request plus 10 s to record it.
    let offset = 0;
    const clock: Clock = {
      now: () => systemClock.now() + offset,
      sleep: (ms) => systemClock.sleep(ms),
      setTimeout: (callback, ms) => systemClock.setTimeout(callback, ms),
    };
    const limits = new SlidingWindowLimiter(teamsRateLimits);
    let stalls = 1;
    const limiter: OutboxRateLimiter = {
      delayFor: (conversationId, tenantKey, now) => limits.delayFor(conversationId, tenantKey, now),
      tryBegin: (conversationId, tenantKey, now) => limits.tryBegin(conversationId, tenantKey, now),
      tryBeginMany: async (requests, now) => {
        if (stalls-- > 0) offset += 6_000;
        return limits.tryBeginMany(requests, now);
      },
      holdTenant: (tenantKey, until) => limits.holdTenant(tenantKey, until),
    };
    const outbox = new Outbox({
      store: h.store,
      transport: h.transport,
      refs: h.refs,
      clock,
      logger: h.log,
      limiter,
      fleet: { instanceId: 'slow', claimMs: 30_000, sendTimeoutMs: 15_000 },
    });
    try {
      await outbox.start();
      await outbox.send('19:slow', text('once'), { key: 'slow:1' });
      await h.connector.waitForAccepted(1, 5_000);
      await outbox.drain(5_000);
    } finally {
      await outbox.stop();
    }
    expect(h.connector.requests).toHaveLength(1);
    expect(h.connector.textsOf('19:slow')).toEqual(['once']);
    expect(await h.store.get('slow:1')).toMatchObject({ status: 'sent' });
    expect(h.log.lines.filter((line) => line.level === 'warn')).toMatchObject([{ msg: 'outbox claim too close to its end to send; the row is claimed again', key: 'slow:1' }]);
  });
});
