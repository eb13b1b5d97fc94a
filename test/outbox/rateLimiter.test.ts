import { SlidingWindowLimiter, teamsRateLimits } from '../../src/outbox';
import { TEAMS_LIMITS } from '../support/fakeBotConnector';

const limits = {
  perConversation: [
    { limit: 2, windowMs: 1_000 },
    { limit: 3, windowMs: 5_000 },
  ],
  perTenant: [{ limit: 3, windowMs: 1_000 }],
};

/** Starts and settles a request at `at`. */
function request(limiter: SlidingWindowLimiter, conversation: string, at: number, tenant = 't1'): void {
  limiter.begin(conversation, tenant, at).settle(at);
}

describe('SlidingWindowLimiter', () => {
  it("defaults are Teams' limits for one bot", () => {
    // The fake connector writes Teams' table out on its own: the two must agree.
    expect(teamsRateLimits).toEqual(TEAMS_LIMITS);
  });

  it('lets a conversation go up to each limit, then says how long until the oldest leaves the window', () => {
    const limiter = new SlidingWindowLimiter(limits);
    expect(limiter.delayFor('c', 't1', 0)).toBe(0);
    request(limiter, 'c', 0);
    request(limiter, 'c', 100);
    expect(limiter.delayFor('c', 't1', 200)).toBe(800);
    expect(limiter.delayFor('c', 't1', 1_000)).toBe(0);
    request(limiter, 'c', 1_000);
    // 2 per second allows it now, 3 per 5 seconds only once the first is 5 s old.
    expect(limiter.delayFor('c', 't1', 1_100)).toBe(3_900);
    expect(limiter.delayFor('other', 't1', 1_100)).toBe(0);
  });

  it('counts a request in flight as ending now, and a settled one from its end', () => {
    const limiter = new SlidingWindowLimiter({ perConversation: [{ limit: 2, windowMs: 1_000 }], perTenant: [] });
    request(limiter, 'c', 0);
    const slow = limiter.begin('c', 't1', 10);
    expect(limiter.delayFor('c', 't1', 500)).toBe(500);
    expect(limiter.delayFor('c', 't1', 1_000)).toBe(0);
    const other = limiter.begin('c', 't1', 1_000);
    // Both still in flight: no sooner than a full window from now.
    expect(limiter.delayFor('c', 't1', 1_100)).toBe(1_000);
    slow.settle(1_200);
    other.settle(1_150);
    expect(limiter.delayFor('c', 't1', 1_300)).toBe(850);
    expect(limiter.delayFor('c', 't1', 2_150)).toBe(0);
  });

  it('decides a batch in order: each request let through counts for the ones after it', async () => {
    const limiter = new SlidingWindowLimiter(limits);
    const decisions = await limiter.tryBeginMany(
      [
        { conversationId: 'c', tenantKey: 't1' },
        { conversationId: 'c', tenantKey: 't1' },
        { conversationId: 'c', tenantKey: 't1' },
        { conversationId: 'd', tenantKey: 't1' },
        { conversationId: 'e', tenantKey: 't1' },
        { conversationId: 'f', tenantKey: 't2' },
      ],
      0,
    );
    expect(decisions.map((d) => (d.kind === 'go' ? 'go' : `wait ${d.delayMs}${d.tenant ? ' tenant' : ''}`))).toEqual([
      'go',
      'go',
      'wait 1000',
      'go',
      'wait 1000 tenant',
      'go',
    ]);
  });

  it('frees the slot of a request that was not made', () => {
    const limiter = new SlidingWindowLimiter(limits);
    request(limiter, 'c', 0);
    limiter.begin('c', 't1', 0).cancel();
    expect(limiter.delayFor('c', 't1', 0)).toBe(0);
  });

  it('shares the tenant window between its conversations, not with other tenants', () => {
    const limiter = new SlidingWindowLimiter(limits);
    request(limiter, 'a', 0);
    request(limiter, 'b', 10);
    request(limiter, 'c', 20);
    expect(limiter.delayFor('d', 't1', 30)).toBe(970);
    expect(limiter.delayFor('d', 't2', 30)).toBe(0);
  });

  it('holds a tenant back after a 429', () => {
    const limiter = new SlidingWindowLimiter(limits);
    limiter.holdTenant('t1', 2_000);
    limiter.holdTenant('t1', 1_500);
    expect(limiter.delayFor('any', 't1', 500)).toBe(1_500);
    expect(limiter.delayFor('any', 't2', 500)).toBe(0);
    expect(limiter.delayFor('any', 't1', 2_000)).toBe(0);
  });

  it('forgets conversations it has not seen for longer than its longest window', () => {
    const limiter = new SlidingWindowLimiter(limits);
    for (let i = 0; i < 1_000; i++) request(limiter, `c${i}`, i);
    expect(limiter.delayFor('c0', 't1', 1_500)).toBeGreaterThan(0);
    expect(limiter.delayFor('c0', 't1', 6_000)).toBe(0);
  });

  it('refuses limits that cannot be honoured', () => {
    expect(() => new SlidingWindowLimiter({ perConversation: [{ limit: 0, windowMs: 1_000 }], perTenant: [] })).toThrow(/positive/);
    expect(() => new SlidingWindowLimiter({ perConversation: [], perTenant: [{ limit: 5, windowMs: 0 }] })).toThrow(/positive/);
  });
});
