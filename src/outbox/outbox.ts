import { randomUUID } from 'node:crypto';
import type { Clock, Timer } from '../ports/clock';
import type { ConversationTransport } from '../ports/conversationTransport';
import type { Logger } from '../ports/logger';
import type { ConversationNotifier, OutgoingMessage, SendOptions } from '../ports/notifier';
import type { OutboxRateLimiter, OutboxStore } from '../ports/outbox';
import { noTelemetry, type Telemetry } from '../ports/telemetry';
import type { ConversationRefStore } from '../ports/stores';
import { DeliveryLoop, RECORD_MS } from './deliveryLoop';
import { SlidingWindowLimiter, teamsRateLimits, type RateLimits } from './rateLimiter';
import { defaultRetryOptions, type RetryOptions } from './retryPolicy';

export interface OutboxOptions {
  store: OutboxStore;
  transport: ConversationTransport;
  /** Where the tenant of a conversation is read, and what a 403 deletes. */
  refs: ConversationRefStore;
  /** Reads the time and arms every timer of the outbox (retries, rate-limit holds, pruning, drain). */
  clock: Clock;
  logger: Logger;
  /** Defaults to Teams' limits; tests pass small windows. */
  limits?: RateLimits;
  /**
   * Where the limits are counted. Default: in this process (one instance). Several instances on one database pass
   * the database's limiter, built over the same `limits`, so that Teams' limits hold for the fleet.
   */
  limiter?: OutboxRateLimiter;
  /**
   * Several instances on one database: this instance's name in its claims (default a random id), how long a claim
   * keeps the others off a row (default 60 s: a dead instance's rows are delivered by another after that), and how
   * often the store is read for rows other instances queued or left (default never: one instance). `sendTimeoutMs` is
   * the transport's request timeout (default 15 s, BotConnectorTransport's): a request starts only while the claim
   * outlasts it plus the time to record its outcome, so that no other instance can take a row whose request may still
   * be in flight. A claim must therefore run longer than that (refused otherwise).
   */
  fleet?: { instanceId?: string; claimMs?: number; rescanEveryMs?: number; sendTimeoutMs?: number };
  /**
   * `refs` are the conversation references of `store`'s own database (one storage backend): a send is then queued in
   * one round trip where the store can (enqueueSendByReference), its tenant read by the insert itself.
   */
  refsShareStore?: boolean;
  retry?: Partial<RetryOptions>;
  /** Requests in flight at once over all conversations. Default 16. */
  concurrency?: number;
  /** Finished rows, and so their keys, are kept this long. Default 7 days. */
  retentionMs?: number;
  /** Default 1 hour. */
  pruneEveryMs?: number;
  /** [0, 1), for the backoff jitter. */
  random?: () => number;
  /** Keys of sends without one, and of updates. */
  newKey?: () => string;
  /** Delivery results by status (429s apart). Default none. */
  telemetry?: Pick<Telemetry, 'outboxDelivery'>;
}

const NO_REFERENCE = 'no conversation reference stored';
/** The least a claim leaves for what comes before the request (the rate-limit place). */
const MIN_PREPARE_MS = 5_000;

/**
 * The ConversationNotifier every proactive message goes through: `send` and `update` persist the message,
 * then the delivery loop takes it to the ConversationTransport within Teams' limits. Nothing is delivered
 * before `start()`. Delivery is at least once: a crash between the connector's answer and the row being
 * marked sent delivers that message again at the next start. Several outboxes (instances) may share a database:
 * each row is claimed by one of them before it is sent, each conversation's rows go in order whichever instance
 * sends them, and with a shared `limiter` Teams' limits hold for all of them together (see `fleet`).
 */
export class Outbox implements ConversationNotifier {
  private readonly store: OutboxStore;
  private readonly refs: ConversationRefStore;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly newKey: () => string;
  private readonly retentionMs: number;
  private readonly pruneEveryMs: number;
  private readonly loop: DeliveryLoop;
  private readonly limiter: OutboxRateLimiter;
  private readonly rescanEveryMs: number | undefined;
  private readonly refsShareStore: boolean;
  private pruneTimer: Timer | undefined;
  private rescanTimer: Timer | undefined;
  private started = false;

  constructor(options: OutboxOptions) {
    this.store = options.store;
    this.refs = options.refs;
    this.clock = options.clock;
    this.log = options.logger;
    this.newKey = options.newKey ?? randomUUID;
    this.retentionMs = options.retentionMs ?? 7 * 24 * 3_600_000;
    this.pruneEveryMs = options.pruneEveryMs ?? 3_600_000;
    this.limiter = options.limiter ?? new SlidingWindowLimiter(options.limits ?? teamsRateLimits);
    this.rescanEveryMs = options.fleet?.rescanEveryMs;
    this.refsShareStore = options.refsShareStore ?? false;
    const claimMs = options.fleet?.claimMs ?? 60_000;
    const sendTimeoutMs = options.fleet?.sendTimeoutMs ?? 15_000;
    // Room left to read the head and take a rate-limit place between the claim and the request.
    if (!(claimMs >= sendTimeoutMs + RECORD_MS + MIN_PREPARE_MS)) {
      throw new Error(`outbox claim of ${claimMs} ms: it must run at least ${sendTimeoutMs + RECORD_MS + MIN_PREPARE_MS} ms (the send timeout, ${RECORD_MS} ms to record, ${MIN_PREPARE_MS} ms to prepare)`);
    }
    this.loop = new DeliveryLoop({
      store: options.store,
      transport: options.transport,
      refs: options.refs,
      limiter: this.limiter,
      owner: options.fleet?.instanceId ?? randomUUID(),
      claimMs,
      sendTimeoutMs,
      retry: { ...defaultRetryOptions, ...options.retry },
      concurrency: options.concurrency ?? 16,
      clock: options.clock,
      random: options.random ?? Math.random,
      log: this.log,
      telemetry: options.telemetry ?? noTelemetry,
    });
  }

  async send(conversationId: string, message: OutgoingMessage, options: SendOptions = {}): Promise<boolean> {
    const key = options.key ?? this.newKey();
    if (this.refsShareStore && this.store.enqueueSendByReference) {
      const recorded = await this.store.enqueueSendByReference({ key, conversationId, message, notBefore: this.loop.dueTime() }, NO_REFERENCE);
      return this.queuedSend(conversationId, key, recorded);
    }
    const ref = await this.refs.get(conversationId);
    const queued = await this.store.enqueueSend({
      key,
      conversationId,
      tenantId: ref?.tenantId,
      message,
      notBefore: this.loop.dueTime(),
      ...(ref ? {} : { dropReason: NO_REFERENCE }),
    });
    return this.queuedSend(conversationId, key, queued ? (ref ? 'pending' : 'dropped') : undefined);
  }

  private queuedSend(conversationId: string, key: string, recorded: 'pending' | 'dropped' | undefined): boolean {
    if (recorded === undefined) {
      this.log.debug({ conversationId, key }, 'key already queued; message ignored');
      return false;
    }
    if (recorded === 'pending') this.loop.queued(conversationId);
    else this.log.warn({ conversationId, key }, 'no conversation reference; message dropped');
    return true;
  }

  async adopt(conversationId: string, key: string, activityId: string, message: OutgoingMessage): Promise<boolean> {
    const ref = await this.refs.get(conversationId);
    // Nothing to deliver: the row only names the activity for later updates.
    return this.store.enqueueSend({ key, conversationId, tenantId: ref?.tenantId, message, notBefore: this.clock.now(), sentActivityId: activityId });
  }

  async update(conversationId: string, key: string, message: OutgoingMessage): Promise<void> {
    const target = await this.store.get(key);
    let dropReason: string | undefined;
    if (target?.kind !== 'send') dropReason = 'no message was queued under this key';
    else if (target.conversationId !== conversationId) dropReason = 'the message under this key is in another conversation';
    else if (target.status === 'dropped' || target.status === 'failed') dropReason = `the message under this key was ${target.status}`;
    const ref = dropReason === undefined ? await this.refs.get(conversationId) : undefined;
    if (dropReason === undefined && !ref) dropReason = NO_REFERENCE;
    const row = await this.store.enqueueUpdate({
      key: this.newKey(),
      targetKey: key,
      conversationId,
      tenantId: ref?.tenantId,
      message,
      notBefore: this.loop.dueTime(),
      ...(dropReason === undefined ? {} : { dropReason }),
    });
    if (dropReason === undefined) this.loop.queued(conversationId);
    else this.log.warn({ conversationId, key, updateKey: row.key, reason: dropReason }, 'update dropped');
  }

  /** Pending messages and the creation time of the oldest, for metrics and readiness (zero when the store cannot tell). */
  async backlog(): Promise<{ pending: number; oldestCreatedAt?: number }> {
    return (await this.store.pendingStats?.()) ?? { pending: 0 };
  }

  /** Prunes old finished rows and delivers what is pending, including what a previous run left. */
  async start(): Promise<void> {
    if (this.started) return;
    await this.prune();
    const pending = await this.store.pendingConversations();
    if (pending.length > 0) this.log.info({ conversations: pending.length }, 'resuming pending messages');
    this.started = true;
    this.loop.start(pending);
    this.schedulePrune();
    this.scheduleRescan();
  }

  /** At shutdown: delivers what is due now, waits for requests in flight, then stops. False on timeout. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.cancelPrune();
    const finished = await this.loop.drain(timeoutMs);
    if (!finished) this.log.warn({ timeoutMs }, 'outbox not drained in time; the rest is delivered at the next start');
    return finished;
  }

  /** Starts no more requests; resolves once those in flight are recorded. Pending rows wait for the next start. */
  async stop(): Promise<void> {
    this.cancelPrune();
    await this.loop.stop();
  }

  private async prune(): Promise<void> {
    const pruned = await this.store.prune(this.clock.now() - this.retentionMs);
    if (pruned > 0) this.log.info({ pruned }, 'outbox pruned');
    await this.limiter.prune?.(this.clock.now());
  }

  /** Rows other instances queued, or left behind when they died, become lanes here too. */
  private scheduleRescan(): void {
    if (!this.started || this.rescanEveryMs === undefined) return;
    this.rescanTimer = this.clock.setTimeout(() => {
      this.store.pendingConversations().then(
        (pending) => {
          if (this.started) this.loop.adopt(pending);
          this.scheduleRescan();
        },
        (error: unknown) => {
          this.log.error({ err: error }, 'outbox could not read the pending conversations');
          this.scheduleRescan();
        },
      );
    }, this.rescanEveryMs);
  }

  private schedulePrune(): void {
    if (!this.started) return;
    this.pruneTimer = this.clock.setTimeout(() => {
      this.prune().then(
        () => this.schedulePrune(),
        (error: unknown) => {
          this.log.error({ err: error }, 'outbox prune failed');
          this.schedulePrune();
        },
      );
    }, this.pruneEveryMs);
  }

  private cancelPrune(): void {
    this.started = false;
    this.pruneTimer?.cancel();
    this.pruneTimer = undefined;
    this.rescanTimer?.cancel();
    this.rescanTimer = undefined;
  }
}
