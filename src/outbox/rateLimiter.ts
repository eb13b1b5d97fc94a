import { waitForRoom, type OutboxRateLimiter, type RateDecision, type RateLease, type RateLimits, type RateRequest, type RateWindow } from '../ports/outbox';

export type { RateLease, RateLimits, RateWindow } from '../ports/outbox';

/** One bot's limits in Teams (reference/teams-platform.md). */
export const teamsRateLimits: RateLimits = Object.freeze({
  perConversation: Object.freeze([
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1_800, windowMs: 3_600_000 },
  ]),
  perTenant: Object.freeze([{ limit: 50, windowMs: 1_000 }]),
});

/** In memory, a lease settles at once. */
export interface LocalRateLease extends RateLease {
  settle(at: number): void;
  cancel(): void;
}

interface Stamp {
  at: number;
  open: boolean;
}

/** Lists of conversations not seen for a while are dropped every this many requests. */
const SWEEP_EVERY = 1_000;

/**
 * Client-side sliding windows over the requests this process makes: the limiter of a single instance (SQLite).
 * A request counts from its start while in flight and from its end once settled: the connector counted it on arrival, somewhere in between, so
 * counting the end keeps the connector's own count within the limits whatever the latency.
 */
export class SlidingWindowLimiter implements OutboxRateLimiter {
  private readonly conversations = new Map<string, Stamp[]>();
  private readonly tenants = new Map<string, Stamp[]>();
  private readonly tenantHolds = new Map<string, number>();
  private readonly keepConversationMs: number;
  private readonly keepTenantMs: number;
  private begun = 0;

  constructor(private readonly limits: RateLimits) {
    for (const { limit, windowMs } of [...limits.perConversation, ...limits.perTenant]) {
      if (!Number.isInteger(limit) || limit < 1 || !(windowMs > 0)) {
        throw new Error(`rate limit ${limit} per ${windowMs} ms: the limit must be a positive integer and the window positive`);
      }
    }
    this.keepConversationMs = Math.max(0, ...limits.perConversation.map((w) => w.windowMs));
    this.keepTenantMs = Math.max(0, ...limits.perTenant.map((w) => w.windowMs));
  }

  /** Milliseconds before a request to this conversation may start; 0 = now. */
  delayFor(conversationId: string, tenantKey: string, now: number): number {
    const held = (this.tenantHolds.get(tenantKey) ?? 0) - now;
    const conversation = waitFor(this.conversations.get(conversationId), this.limits.perConversation, now);
    const tenant = waitFor(this.tenants.get(tenantKey), this.limits.perTenant, now);
    return Math.max(0, Math.ceil(held), conversation, tenant);
  }

  async tryBegin(conversationId: string, tenantKey: string, now: number): Promise<RateDecision> {
    return this.decide(conversationId, tenantKey, now);
  }

  async tryBeginMany(requests: readonly RateRequest[], now: number): Promise<RateDecision[]> {
    return requests.map((r) => this.decide(r.conversationId, r.tenantKey, now));
  }

  private decide(conversationId: string, tenantKey: string, now: number): RateDecision {
    const held = Math.ceil((this.tenantHolds.get(tenantKey) ?? 0) - now);
    const tenant = Math.max(held, waitFor(this.tenants.get(tenantKey), this.limits.perTenant, now));
    const delayMs = Math.max(0, tenant, waitFor(this.conversations.get(conversationId), this.limits.perConversation, now));
    if (delayMs > 0) return { kind: 'wait', delayMs, tenant: tenant > 0 };
    return { kind: 'go', lease: this.begin(conversationId, tenantKey, now) };
  }

  /** Records a request starting now. */
  begin(conversationId: string, tenantKey: string, now: number): LocalRateLease {
    const stamp: Stamp = { at: now, open: true };
    this.track(this.conversations, conversationId, this.keepConversationMs, now).push(stamp);
    this.track(this.tenants, tenantKey, this.keepTenantMs, now).push(stamp);
    if (++this.begun % SWEEP_EVERY === 0) this.sweep(now);
    return {
      settle(at) {
        stamp.at = Math.max(stamp.at, at);
        stamp.open = false;
      },
      cancel() {
        // Out of every window at once; the next prune removes it.
        stamp.at = Number.NEGATIVE_INFINITY;
        stamp.open = false;
      },
    };
  }

  /** After a 429: nothing more for this tenant until `until`. */
  holdTenant(tenantKey: string, until: number): void {
    this.tenantHolds.set(tenantKey, Math.max(until, this.tenantHolds.get(tenantKey) ?? 0));
  }

  private track(lists: Map<string, Stamp[]>, key: string, keepMs: number, now: number): Stamp[] {
    const kept = (lists.get(key) ?? []).filter((s) => s.open || s.at > now - keepMs);
    lists.set(key, kept);
    return kept;
  }

  private sweep(now: number): void {
    for (const [lists, keepMs] of [
      [this.conversations, this.keepConversationMs],
      [this.tenants, this.keepTenantMs],
    ] as const) {
      for (const key of [...lists.keys()]) {
        if (this.track(lists, key, keepMs, now).length === 0) lists.delete(key);
      }
    }
    for (const [key, until] of this.tenantHolds) if (until <= now) this.tenantHolds.delete(key);
  }
}

/** A request in flight counts as ending now. */
function waitFor(stamps: readonly Stamp[] | undefined, windows: readonly RateWindow[], now: number): number {
  if (!stamps?.length) return 0;
  return waitForRoom(stamps.map((s) => (s.open ? now : s.at)), windows, now);
}
