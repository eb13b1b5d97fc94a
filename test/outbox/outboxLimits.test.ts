import type { RateLimits } from '../../src/outbox';
import { TEAMS_LIMITS, type AcceptedActivity } from '../support/fakeBotConnector';
import { createOutboxHarness, text, type OutboxHarness } from './outboxHarness';

/** Teams' shape at a tenth of the time, for both the outbox and the fake connector. */
const SMALL: RateLimits = {
  perConversation: [
    { limit: 3, windowMs: 100 },
    { limit: 5, windowMs: 250 },
  ],
  perTenant: [{ limit: 6, windowMs: 200 }],
};

/**
 * The rate windows run on the harness's clock, 8× faster than real time, shared by the outbox and the fake
 * connector: what is held back and what the connector sees are the same as at 1×.
 */
const FAST = { timeScale: 8 };

let h: OutboxHarness;
afterEach(async () => {
  await h.close();
});

async function sendAll(conversations: readonly string[], n: number): Promise<void> {
  for (let i = 1; i <= n; i++) for (const c of conversations) await h.outbox.send(c, text(`${c} #${i}`), { key: `${c}/${i}` });
}

const expectedTexts = (c: string, n: number) => Array.from({ length: n }, (_, i) => `${c} #${i + 1}`);

/** Arrival of the i-th (1-based) accepted activity minus that of the first. */
const span = (accepted: readonly AcceptedActivity[], i: number) => (accepted[i - 1]?.arrivedAt ?? 0) - (accepted[0]?.arrivedAt ?? 0);

describe('Outbox rate limits', () => {
  it('keeps 20 messages to one conversation within its limits: the connector never answers 429', async () => {
    h = await createOutboxHarness({ limits: SMALL }, { limits: SMALL }, FAST);
    await h.addConversation('19:a');
    await sendAll(['19:a'], 20);
    await h.outbox.start();
    const accepted = await h.connector.waitForAccepted(20, 20_000);

    expect(h.connector.throttled()).toBe(0);
    expect(h.connector.textsOf('19:a')).toEqual(expectedTexts('19:a', 20));
    // The limits did hold it back: at most 5 in any 250 ms.
    expect(span(accepted, 16)).toBeGreaterThanOrEqual(750);
  });

  it('shares the tenant limit between conversations without a 429', async () => {
    h = await createOutboxHarness({ limits: SMALL }, { limits: SMALL }, FAST);
    const conversations = ['19:a', '19:b', '19:c', '19:d'];
    for (const c of conversations) await h.addConversation(c);
    await sendAll(conversations, 4);
    await h.outbox.start();
    const accepted = await h.connector.waitForAccepted(16, 20_000);

    expect(h.connector.throttled()).toBe(0);
    for (const c of conversations) expect(h.connector.textsOf(c)).toEqual(expectedTexts(c, 4));
    expect(span(accepted, 13)).toBeGreaterThanOrEqual(2 * 200);
  });

  it("defaults to Teams' own limits: 8 messages to one conversation pass 7 per second without a 429", async () => {
    h = await createOutboxHarness({}, { limits: TEAMS_LIMITS }, FAST);
    await h.addConversation('19:a');
    await sendAll(['19:a'], 8);
    await h.outbox.start();
    const accepted = await h.connector.waitForAccepted(8, 20_000);

    expect(h.connector.throttled()).toBe(0);
    expect(h.connector.textsOf('19:a')).toEqual(expectedTexts('19:a', 8));
    expect(span(accepted, 8)).toBeGreaterThanOrEqual(1_000);
  });

  it('without client-side limits the connector throttles, and the outbox still delivers everything once, in order', async () => {
    // Two a second: the third request comes well within the second however slow the machine.
    const connectorLimits = { perConversation: [{ limit: 2, windowMs: 1_000 }], perTenant: [] };
    h = await createOutboxHarness({ limits: { perConversation: [], perTenant: [] } }, { limits: connectorLimits });
    await h.addConversation('19:a');
    await sendAll(['19:a'], 4);
    await h.outbox.start();
    await h.connector.waitForAccepted(4, 20_000);
    await h.settled();

    expect(h.connector.limited()).toBeGreaterThan(0);
    expect(h.connector.textsOf('19:a')).toEqual(expectedTexts('19:a', 4));
    // Each of those 429s reached the outbox, none was absorbed by the SDK.
    const rows = await Promise.all(expectedTexts('19:a', 4).map((_, i) => h.store.get(`19:a/${i + 1}`)));
    expect(rows.reduce((sum, r) => sum + (r?.throttled ?? 0), 0)).toBe(h.connector.limited());
  });
});
