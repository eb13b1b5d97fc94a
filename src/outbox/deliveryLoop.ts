import type { Clock, Timer } from '../ports/clock';
import type { ConversationTransport, DeliveryError } from '../ports/conversationTransport';
import type { Logger } from '../ports/logger';
import type { OutboxRateLimiter, OutboxRecord, OutboxStore, RateDecision, RateLease } from '../ports/outbox';
import type { ConversationRefStore } from '../ports/stores';
import type { Telemetry } from '../ports/telemetry';
import { asDeliveryError, decide, type RetryOptions } from './retryPolicy';

export interface DeliveryLoopDeps {
  store: OutboxStore;
  transport: ConversationTransport;
  refs: ConversationRefStore;
  limiter: OutboxRateLimiter;
  /** This instance, as its claims name it. */
  owner: string;
  /** How long a claim keeps other instances off a row: more than `sendTimeoutMs` + RECORD_MS (checked by Outbox). */
  claimMs: number;
  /** The longest a request to the connector may take (the transport's timeout): no request starts later than the claim allows. */
  sendTimeoutMs: number;
  retry: RetryOptions;
  concurrency: number;
  clock: Clock;
  random: () => number;
  log: Logger;
  telemetry: Pick<Telemetry, 'outboxDelivery'>;
}

/** One conversation's queue as the loop sees it; the rows themselves stay in the store. */
interface Lane {
  conversationId: string;
  /** Tenant of the head last read: a lane its tenant holds back is skipped without reading the store. */
  tenantKey?: string;
  busy: boolean;
  /** Not looked at again before then. */
  heldUntil: number;
  /** Held by a rate limit (rather than by its head's notBefore): work that is due. */
  heldByLimit: boolean;
  /** Rows queued through this process, counted so that an empty read racing a new row keeps the lane. */
  queued: number;
}

/** What a claim must still run once a request ended (or timed out), for its outcome to be recorded under it. */
export const RECORD_MS = 10_000;
/**
 * Conversations claimed at once. Small batches spread the requests: a burst is answered slower, and a request counts
 * in Teams' windows from its answer (bench:fanout: 4 did better than 1 and than 16).
 */
const MAX_BATCH = 4;
/** A failed pass (the store) is tried again after this long. */
const PASS_RETRY_MS = 1_000;
/** A conversation whose head another instance is delivering is looked at again after this long (at most). */
const CLAIMED_ELSEWHERE_MS = 250;

/**
 * Delivers the pending rows: per conversation strictly in seq order with one request in flight, several
 * conversations at once up to `concurrency`, every request within the rate limits. Each pass walks the
 * lanes round-robin (a lane that was just served goes to the back) and starts what may start; completions,
 * new rows and one timer (the earliest moment a held lane may go) start the next pass. Several instances may run
 * loops over one database: a row is claimed before it is sent, and the limiter may count for all of them.
 */
export class DeliveryLoop {
  private readonly lanes = new Map<string, Lane>();
  private readonly inFlight = new Set<Promise<void>>();
  /** The earliest moment a lane held in the current pass may go. */
  private passWakeAt = Number.POSITIVE_INFINITY;
  private running = false;
  private pumping = false;
  private pumpAgain = false;
  private timer: { handle: Timer; at: number } | undefined;
  /** While draining: rows due after this are left for the next start. */
  private drainCutoff: number | undefined;
  private dueLeft = false;
  private drained: (() => void) | undefined;

  constructor(private readonly deps: DeliveryLoopDeps) {}

  start(conversationIds: readonly string[]): void {
    for (const id of conversationIds) this.lane(id);
    this.running = true;
    this.drainCutoff = undefined;
    this.wake();
  }

  /** Conversations with pending rows found in the store (another instance queued them): looked at in the next pass. */
  adopt(conversationIds: readonly string[]): void {
    for (const id of conversationIds) this.lane(id);
    this.wake();
  }

  /** notBefore for a row queued now: while draining, after the cutoff (queued for the next start). */
  dueTime(): number {
    const now = this.deps.clock.now();
    return this.drainCutoff === undefined ? now : Math.max(now, this.drainCutoff + 1);
  }

  /** A row was queued for this conversation. */
  queued(conversationId: string): void {
    this.lane(conversationId).queued++;
    this.wake();
  }

  /** Delivers what is due now, then stops; false when the timeout came first. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (!this.running) return this.inFlight.size === 0;
    this.drainCutoff = this.deps.clock.now();
    const done = new Promise<boolean>((resolve) => (this.drained = () => resolve(true)));
    let expire: (value: boolean) => void = () => undefined;
    const timedOut = new Promise<boolean>((resolve) => (expire = resolve));
    const timeout = this.deps.clock.setTimeout(() => expire(false), timeoutMs);
    this.wake();
    try {
      return await Promise.race([done, timedOut]);
    } finally {
      timeout.cancel();
      this.halt();
    }
  }

  /** Starts nothing more and waits for the requests in flight to be recorded. */
  async stop(): Promise<void> {
    this.halt();
    await Promise.allSettled([...this.inFlight]);
  }

  private halt(): void {
    this.running = false;
    this.drained = undefined;
    this.timer?.handle.cancel();
    this.timer = undefined;
  }

  private lane(conversationId: string): Lane {
    let lane = this.lanes.get(conversationId);
    if (!lane) {
      lane = { conversationId, busy: false, heldUntil: 0, heldByLimit: false, queued: 0 };
      this.lanes.set(conversationId, lane);
    }
    return lane;
  }

  private wake(): void {
    if (this.running) void this.pump();
  }

  /** Never rejects: one pass at a time, a request for another during it runs right after. */
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        await this.pass();
      } while (this.pumpAgain && this.running);
      if (this.drained && !this.dueLeft && this.inFlight.size === 0) this.drained();
    } catch (error) {
      this.deps.log.error({ err: error }, 'outbox delivery pass failed; trying again shortly');
      this.wakeAt(this.deps.clock.now() + PASS_RETRY_MS);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Walks the lanes once and starts what may start, in batches of up to MAX_BATCH and the free places: a batch
   * claims its heads in one call to the store and takes their rate-limit places in one call to the limiter.
   */
  private async pass(): Promise<void> {
    const { clock, limiter, concurrency } = this.deps;
    this.passWakeAt = Number.POSITIVE_INFINITY;
    this.dueLeft = false;
    const batch: Lane[] = [];
    for (const lane of [...this.lanes.values()]) {
      if (!this.running) return;
      if (lane.busy) continue;
      const now = clock.now();
      if (lane.heldUntil > now) {
        this.wakeNoLaterThan(lane.heldUntil);
        this.dueLeft ||= lane.heldByLimit;
        continue;
      }
      if (lane.tenantKey !== undefined && this.hold(lane, limiter.delayFor(lane.conversationId, lane.tenantKey, now), now)) continue;
      if (batch.length >= MAX_BATCH) await this.startBatch(batch.splice(0));
      if (this.inFlight.size + batch.length >= concurrency) {
        if (batch.length > 0) await this.startBatch(batch.splice(0));
        if (!this.running) return;
        if (this.inFlight.size >= concurrency) {
          // A completion starts the next pass.
          this.dueLeft = true;
          break;
        }
      }
      batch.push(lane);
    }
    if (batch.length > 0 && this.running) await this.startBatch(batch);
    if (this.passWakeAt < Number.POSITIVE_INFINITY) this.wakeAt(this.passWakeAt);
  }

  /** Claims the heads of these lanes, takes rate-limit places for the claimed ones, and sends those that got one. */
  private async startBatch(lanes: readonly Lane[]): Promise<void> {
    const { clock, limiter, store, owner, claimMs } = this.deps;
    const queuedBefore = new Map(lanes.map((lane) => [lane, lane.queued]));
    let now = clock.now();
    const until = now + claimMs;
    const dueBy = this.drainCutoff;
    const heads = await store.claimHeads(
      lanes.map((lane) => lane.conversationId),
      { owner, now, until, ...(dueBy === undefined ? {} : { dueBy }) },
    );
    const found = new Map(heads.map((h) => [h.head.conversationId, h]));
    const claimed: { lane: Lane; head: OutboxRecord }[] = [];
    for (const lane of lanes) {
      const entry = found.get(lane.conversationId);
      if (!entry) {
        // Unless a row was queued while the store was being read.
        if (lane.queued === queuedBefore.get(lane)) this.lanes.delete(lane.conversationId);
        continue;
      }
      const { head } = entry;
      lane.tenantKey = head.tenantId ?? '';
      if (entry.claimed) claimed.push({ lane, head });
      else if (dueBy !== undefined && head.notBefore > dueBy) continue;
      else if (head.notBefore > now) this.holdUntil(lane, head.notBefore, false);
      else {
        // Another instance's claim runs (or it took the row since it was read): look again soon.
        const claimedUntil = head.claimedUntil !== undefined && head.claimedUntil > now ? head.claimedUntil : Number.POSITIVE_INFINITY;
        this.holdUntil(lane, Math.min(claimedUntil, now + CLAIMED_ELSEWHERE_MS), false);
      }
    }
    if (claimed.length === 0) return;
    now = clock.now();
    let decisions: RateDecision[];
    try {
      decisions = await limiter.tryBeginMany(
        claimed.map(({ lane, head }) => ({ conversationId: lane.conversationId, tenantKey: head.tenantId ?? '' })),
        now,
      );
    } catch (error) {
      await this.release(claimed.map(({ head }) => head.seq));
      throw error;
    }
    const waiting: number[] = [];
    claimed.forEach(({ lane, head }, i) => {
      const decision = decisions[i];
      if (decision?.kind === 'go') this.launch(lane, head, decision.lease, until, decision.startAt);
      else {
        this.hold(lane, decision?.delayMs ?? CLAIMED_ELSEWHERE_MS, now);
        waiting.push(head.seq);
      }
    });
    // Awaited: a later claim of the same row by this instance must not be released by this one.
    await this.release(waiting);
  }

  /** Hands claims back (no request was made): any instance may take the rows at once. */
  private async release(seqs: readonly number[]): Promise<void> {
    if (seqs.length === 0) return;
    await this.deps.store.release(seqs, this.deps.owner).catch((error: unknown) => {
      // Not fatal: the claims lapse by themselves.
      this.deps.log.warn({ err: error, rows: seqs.length }, 'outbox could not hand claims back');
    });
  }

  private wakeNoLaterThan(at: number): void {
    this.passWakeAt = Math.min(this.passWakeAt, at);
  }

  private holdUntil(lane: Lane, until: number, byLimit: boolean): void {
    lane.heldUntil = until;
    lane.heldByLimit = byLimit;
    this.wakeNoLaterThan(until);
  }

  /** Holds the lane back by a rate limit's delay; false when there is none. */
  private hold(lane: Lane, delayMs: number, now: number): boolean {
    if (delayMs <= 0) return false;
    this.holdUntil(lane, now + delayMs, true);
    this.dueLeft = true;
    return true;
  }

  private wakeAt(at: number): void {
    if (!this.running || (this.timer && this.timer.at <= at)) return;
    this.timer?.handle.cancel();
    const handle = this.deps.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.wake();
      },
      Math.max(0, at - this.deps.clock.now()),
    );
    this.timer = { handle, at };
  }

  private launch(lane: Lane, head: OutboxRecord, lease: RateLease, claimedUntil: number, startAt?: number): void {
    lane.busy = true;
    const delivery: Promise<void> = this.deliver(head, lease, claimedUntil, startAt)
      .catch((error: unknown) => {
        // The store failed around a delivery: the row stays pending and is attempted again.
        this.deps.log.error({ err: error, conversationId: head.conversationId, key: head.key }, 'outbox could not record a delivery');
      })
      .finally(() => {
        lane.busy = false;
        this.inFlight.delete(delivery);
        if (this.lanes.get(lane.conversationId) === lane) {
          this.lanes.delete(lane.conversationId);
          this.lanes.set(lane.conversationId, lane);
        }
        this.wake();
      });
    this.inFlight.add(delivery);
  }

  private async deliver(head: OutboxRecord, lease: RateLease, claimedUntil: number, startAt?: number): Promise<void> {
    const { store, transport, clock, log } = this.deps;
    const fields = { conversationId: head.conversationId, key: head.key, seq: head.seq, kind: head.kind };
    if (startAt !== undefined && startAt > clock.now()) {
      // A place taken ahead: the request waits for it, unless the loop stops meanwhile (then nothing is sent).
      await clock.sleep(startAt - clock.now());
      if (!this.running) {
        await lease.cancel();
        await this.release([head.seq]);
        return;
      }
    }
    let targetActivityId: string | undefined;
    if (head.kind === 'update') {
      const target = head.targetKey === undefined ? undefined : await store.get(head.targetKey);
      targetActivityId = target?.status === 'sent' ? target.activityId : undefined;
      if (targetActivityId === undefined) {
        await lease.cancel();
        await store.markDropped(head.seq, 'the message it replaces was not delivered');
        this.deps.telemetry.outboxDelivery(head.kind, 'dropped', 0);
        log.warn(fields, 'update dropped: the message it replaces was not delivered');
        return;
      }
    }
    // A request starts only while the claim outlasts it (its timeout) and its recording: another instance may take the
    // row once the claim lapses, and must not find this request still in flight.
    if (clock.now() + this.deps.sendTimeoutMs + RECORD_MS > claimedUntil) {
      await lease.cancel();
      await this.release([head.seq]);
      log.warn({ ...fields, claimedUntil }, 'outbox claim too close to its end to send; the row is claimed again');
      return;
    }
    let activityId: string | undefined;
    let failure: DeliveryError | undefined;
    try {
      if (targetActivityId === undefined) activityId = await transport.send(head.conversationId, head.message);
      else {
        await transport.update(head.conversationId, targetActivityId, head.message);
        activityId = targetActivityId;
      }
    } catch (error) {
      failure = asDeliveryError(error);
    }
    // The delivery is recorded whatever becomes of its stamp (an unsettled one counts a while longer, no more), and
    // alongside it: two round trips at once rather than one after the other.
    const settled = Promise.resolve()
      .then(() => lease.settle(clock.now()))
      .catch((error: unknown) => log.warn({ ...fields, err: error }, 'outbox could not settle a rate-limit stamp'));
    try {
      if (failure) return await this.failed(head, failure, fields);
      await store.markSent(head.seq, activityId);
      this.deps.telemetry.outboxDelivery(head.kind, 'sent', 200);
      log.debug({ ...fields, activityId }, 'message delivered');
    } finally {
      await settled;
    }
  }

  private async failed(head: OutboxRecord, error: DeliveryError, fields: Record<string, unknown>): Promise<void> {
    const { store, refs, limiter, clock, log } = this.deps;
    const reason = `${error.status === 0 ? 'no answer' : error.status}: ${error.message}`.slice(0, 500);
    const logged = { ...fields, status: error.status, attempts: head.attempts, throttled: head.throttled };
    const decision = decide(error, head, this.deps.retry, this.deps.random);
    const result = decision.kind === 'retry' ? (error.status === 429 ? 'throttled' : 'retry') : decision.kind === 'fail' ? 'failed' : 'dropped';
    this.deps.telemetry.outboxDelivery(head.kind, result, error.status);
    switch (decision.kind) {
      case 'retry': {
        const notBefore = clock.now() + decision.delayMs;
        if (decision.holdTenant) await limiter.holdTenant(head.tenantId ?? '', notBefore);
        await store.reschedule(head.seq, { notBefore, attempts: decision.attempts, throttled: decision.throttled, lastError: reason });
        const message = error.status === 429 ? 'throttled by the Bot Connector; retrying' : 'delivery failed; retrying';
        log.info({ ...logged, retryInMs: decision.delayMs, reason }, message);
        return;
      }
      case 'drop':
        await store.markDropped(head.seq, reason);
        log.warn({ ...logged, reason }, 'conversation or activity not found; message dropped');
        return;
      case 'removed': {
        await refs.delete(head.conversationId);
        const dropped = await store.dropPending(head.conversationId, `bot removed from the conversation (${reason})`);
        log.warn({ ...logged, dropped }, 'bot removed from the conversation; reference deleted and pending messages dropped');
        return;
      }
      case 'fail':
        await store.markFailed(head.seq, reason, decision);
        log.error({ ...logged, attempts: decision.attempts, throttled: decision.throttled, reason }, 'message not delivered; giving up');
        return;
    }
  }
}
