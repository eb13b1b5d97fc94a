import type { OutgoingMessage } from './notifier';

/**
 * The outbox's storage: every proactive message is written here before it is delivered, and kept after
 * (until pruned) so that its key stays known across restarts.
 */
export type OutboxKind = 'send' | 'update';
export type OutboxStatus = 'pending' | 'sent' | 'dropped' | 'failed';

export interface OutboxRecord {
  /** Delivery order within a conversation. */
  seq: number;
  /** Unique. A send's idempotency key; an update's own fresh key. */
  key: string;
  conversationId: string;
  tenantId?: string;
  kind: OutboxKind;
  /** Updates only: the key of the send whose activity this replaces. */
  targetKey?: string;
  message: OutgoingMessage;
  status: OutboxStatus;
  /** Failed attempts, 429s aside (those are `throttled`). */
  attempts: number;
  /** 429 answers received. */
  throttled: number;
  /** Not to be attempted before this time (ms since the epoch). */
  notBefore: number;
  /** Sends once sent: the id updates need. */
  activityId?: string;
  /** Why it was retried, dropped or failed; never the payload. */
  lastError?: string;
  createdAt: number;
  updatedAt: number;
  /** While an instance delivers it: that instance, and when its claim lapses (another may then deliver it). */
  claimedBy?: string;
  claimedUntil?: number;
}

export interface NewOutboxEntry {
  key: string;
  conversationId: string;
  tenantId?: string;
  message: OutgoingMessage;
  notBefore: number;
  /** Records the entry as dropped at once (e.g. no conversation reference), so that its key is remembered. */
  dropReason?: string;
  /** Records the entry as sent at once, as this activity (posted in a turn), so that updates can replace it. */
  sentActivityId?: string;
}

export interface NewOutboxUpdate extends NewOutboxEntry {
  targetKey: string;
}

export interface HeadClaim {
  owner: string;
  now: number;
  until: number;
  /** Only heads due by then are claimed (a drain's cutoff); default `now`. */
  dueBy?: number;
}

export interface ClaimedHead {
  head: OutboxRecord;
  /** True when this call claimed it for the owner. */
  claimed: boolean;
}

export interface RetryPlan {
  notBefore: number;
  attempts: number;
  throttled: number;
  lastError: string;
}

/**
 * Writes that finish or reschedule a row take its seq and apply only while it is still pending; they
 * resolve false when it no longer is (dropped meanwhile, replaced by a newer update).
 */
export interface OutboxStore {
  /** False, and nothing written, when the key is already known. */
  enqueueSend(entry: NewOutboxEntry): Promise<boolean>;
  /**
   * enqueueSend in one round trip, the tenant read from the conversation reference stored in the same database (a
   * backend's own ConversationRefStore); without a reference the row is recorded as dropped with `noReference`.
   * Resolves with what was recorded, or undefined when the key is already known. Optional: a fan-out to hundreds of
   * conversations through PostgreSQL queues twice as fast with it.
   */
  enqueueSendByReference?(entry: Omit<NewOutboxEntry, 'tenantId' | 'dropReason' | 'sentActivityId'>, noReference: string): Promise<'pending' | 'dropped' | undefined>;
  /**
   * Queues a replacement of the send `targetKey`. A pending update of the same target is replaced by this
   * one (which takes the end of the queue), so that only the newest is delivered. Resolves with the new row.
   */
  enqueueUpdate(entry: NewOutboxUpdate): Promise<OutboxRecord>;
  get(key: string): Promise<OutboxRecord | undefined>;
  /** The oldest pending row of a conversation: the next to deliver there (claimed or not). */
  nextPending(conversationId: string): Promise<OutboxRecord | undefined>;
  /**
   * Claims the row for `claim.owner` until `claim.until`, so that no other instance delivers it meanwhile. Only
   * while it is pending, due (`notBefore <= now`), the head of its conversation (per-conversation order across
   * instances) and not claimed by another owner whose claim still runs. False when any of that fails. Finishing
   * or rescheduling a row ends its claim.
   */
  claim(seq: number, claim: { owner: string; now: number; until: number }): Promise<boolean>;
  /**
   * The delivery loop's claim, for several conversations in one go: reads the head (oldest pending row) of each of
   * these conversations and claims each as `claim` would, the due ones being those with `notBefore <= dueBy`
   * (default `now`). Conversations with nothing pending are left out. A head not claimed is returned as read.
   */
  claimHeads(conversationIds: readonly string[], claim: HeadClaim): Promise<ClaimedHead[]>;
  /** Ends `owner`'s claims on these rows at once (no request was made), so that any instance may take them. */
  release(seqs: readonly number[], owner: string): Promise<void>;
  /** Conversations with pending rows, by their oldest pending row. */
  pendingConversations(): Promise<string[]>;
  markSent(seq: number, activityId: string | undefined): Promise<boolean>;
  markDropped(seq: number, reason: string): Promise<boolean>;
  /** With the attempt counts as they stand after the last attempt. */
  markFailed(seq: number, reason: string, counts: Pick<RetryPlan, 'attempts' | 'throttled'>): Promise<boolean>;
  reschedule(seq: number, plan: RetryPlan): Promise<boolean>;
  /** Drops every pending row of a conversation; resolves with how many. */
  dropPending(conversationId: string, reason: string): Promise<number>;
  /** Deletes finished rows last written before `before`; pending rows are never pruned. Resolves with how many. */
  prune(before: number): Promise<number>;
  /** For metrics and readiness: how many rows are pending, and when the oldest was created. */
  pendingStats(): Promise<{ pending: number; oldestCreatedAt?: number }>;
}

/** At most `limit` requests in any `windowMs`. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

export interface RateLimits {
  perConversation: readonly RateWindow[];
  perTenant: readonly RateWindow[];
}

export interface RateLease {
  /** The request got its answer (or failed) at `at`; it counts from then on. */
  settle(at: number): void | Promise<void>;
  /** No request was made after all. */
  cancel(): void | Promise<void>;
}

export interface RateRequest {
  conversationId: string;
  tenantKey: string;
}

export type RateDecision =
  /**
   * `startAt`: a place taken ahead, for a request that may start then and no sooner (it counts as in flight from now
   * on). Absent: at once.
   */
  | { kind: 'go'; lease: RateLease; startAt?: number }
  /** `tenant`: the tenant's windows (or a hold after a 429) are what is full, so its other conversations wait too. */
  | { kind: 'wait'; delayMs: number; tenant: boolean };

/**
 * Teams' limits as the outbox honours them: in-process for one instance (SQLite), shared through the database by a
 * fleet of instances (PostgreSQL), so that the limits hold for the bot as a whole.
 */
export interface OutboxRateLimiter {
  /** What this instance already knows: a lower bound of the wait, read without I/O, to skip lanes cheaply. 0 = ask. */
  delayFor(conversationId: string, tenantKey: string, now: number): number;
  /** Checks every window and, when there is room, records a request starting now, atomically for the fleet. */
  tryBegin(conversationId: string, tenantKey: string, now: number): Promise<RateDecision>;
  /**
   * tryBegin for several requests, in their order, as one step: a request counts for the ones after it. One decision
   * per request, in the same order. The database's limiter does it in one transaction (the delivery loop's batches).
   */
  tryBeginMany(requests: readonly RateRequest[], now: number): Promise<RateDecision[]>;
  /** After a 429: nothing more for this tenant until `until`. */
  holdTenant(tenantKey: string, until: number): void | Promise<void>;
  /** Forgets requests older than every window (optional housekeeping). */
  prune?(now: number): Promise<void>;
}

/**
 * How long until every window has room for one more request, given when the requests counted so far happened
 * (a request in flight counts as happening now). Room opens when all but limit - 1 of them left the window.
 */
export function waitForRoom(times: readonly number[], windows: readonly RateWindow[], now: number): number {
  if (times.length === 0) return 0;
  let longest = 0;
  for (const { limit, windowMs } of windows) {
    const inWindow = times.filter((at) => at > now - windowMs);
    if (inWindow.length < limit) continue;
    inWindow.sort((a, b) => a - b);
    const freeing = inWindow[inWindow.length - limit] ?? now;
    longest = Math.max(longest, freeing + windowMs - now);
  }
  return Math.ceil(longest);
}
