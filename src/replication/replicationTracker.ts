/**
 * replication/: following image versions as they replicate — discovery (galleryScanner), the pure observation
 * step, the poll schedule and ARM read budget, the announcer and its messages, and the tracker that runs them.
 */
import { AzureError } from '../kernel';
import type { Clock, Timer } from '../ports/clock';
import type { GalleryGateway } from '../ports/galleryGateway';
import type { GeographyGrouping, LocationGateway } from '../ports/locationGateway';
import { StaleFenceError, type Fence, type LeaseStore } from '../ports/leases';
import type { Logger } from '../ports/logger';
import type { ConversationNotifier } from '../ports/notifier';
import { hasWorkLeft, type ReplicationWatch, type ReplicationWatchStore } from '../ports/replicationWatches';
import type { GalleryScanner } from './galleryScanner';
import { startedWatchId, watchOfDiscovered, watchOfStarted, type StartedReplication } from './newWatch';
import { observeReplication, throttleWaitMs, type VersionRead } from './observeReplication';
import { DEFAULT_POLL_BOUNDS, type PollBounds } from './pollSchedule';
import type { ReadBudget } from './readBudget';
import { ReplicationAnnouncer } from './replicationAnnouncer';
import type { ReplicationAudience } from './replicationAudience';

export type { StartedReplication } from './newWatch';

export interface TrackerDeps {
  watches: ReplicationWatchStore;
  galleries: Pick<GalleryGateway, 'getVersion'>;
  scanner: GalleryScanner;
  audience: ReplicationAudience;
  locations: Pick<LocationGateway, 'listRegions'>;
  geographyMatch: GeographyGrouping;
  notifier: ConversationNotifier;
  /** Checks the fence before each message is queued, when the tracker runs under a lease (several instances). */
  leases?: Pick<LeaseStore, 'isCurrent'>;
  budget: ReadBudget;
  /** Its time and its waits: the demo passes its simulated clock, so the schedule fits the replications it watches. */
  clock: Clock;
  logger: Logger;
  scanIntervalMs: number;
  bounds?: PollBounds;
  /** The progress card is updated in place at most this often. Default one minute. */
  cardIntervalMs?: number;
  random?: () => number;
}

const DEFAULT_CARD_INTERVAL_MS = 60_000;
/** After a failed scan or tick that was not a 429, try again this soon at the latest. */
const RETRY_MS = 60_000;
/** `start()` wakes at least this often, so a changed clock or a new binding is noticed within a minute... */
const MAX_WAIT_MS = 60_000;
/** ...and no more often than this, so work that keeps failing does not spin. */
const MIN_WAIT_MS = 250;
const POLL_CONCURRENCY = 4;

/**
 * Watches image versions replicate: the ones the bot started and the ones a scan of the bound hosts'
 * galleries discovers. Each is read on its own schedule (observeReplication) within the read budget; what it
 * has to say goes through the announcer. Everything is persisted before it is sent, so a restart resumes where
 * it was and says nothing twice (the outbox drops a key it has already queued).
 *
 * `tick()` does what is due at the clock's now and says when to call it next; `start()` runs it on the clock's timers.
 */
export class ReplicationTracker {
  private readonly active = new Map<string, ReplicationWatch>();
  private readonly announcer: ReplicationAnnouncer;
  private nextScanAt = 0;
  /** When the last successful scan ran: a version it did not see began replicating after it. */
  private lastScanAt: number | undefined;
  private loaded = false;
  private timer: Timer | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;
  /** Set while running under a lease: every write carries it, and a stale one stops the tracker. */
  private lease: { fence: Fence; onLost: () => void } | undefined;

  constructor(private readonly deps: TrackerDeps) {
    const { audience, locations, geographyMatch, logger } = deps;
    const notifier = this.fencedNotifier(deps.notifier);
    this.announcer = new ReplicationAnnouncer({ audience, locations, geographyMatch, notifier, logger, cardIntervalMs: deps.cardIntervalMs ?? DEFAULT_CARD_INTERVAL_MS, ...(deps.clock.timeScale ? { timeScale: deps.clock.timeScale } : {}) });
  }

  /** Watches with work left, for tests and the logs. */
  get watching(): readonly ReplicationWatch[] {
    return [...this.active.values()];
  }

  /** For the metrics: watches by status (the store's, else the ones in memory) and the read budget spent. */
  async stats(): Promise<{ watchesByStatus: Record<string, number>; readsSpent: number; readsPerHour: number }> {
    const { watches, budget } = this.deps;
    const watchesByStatus = watches.countByStatus
      ? await watches.countByStatus()
      : [...this.active.values()].reduce<Record<string, number>>((counts, w) => ({ ...counts, [w.status]: (counts[w.status] ?? 0) + 1 }), {});
    return { watchesByStatus, readsSpent: budget.spent, readsPerHour: budget.readsPerHour };
  }

  async track(started: StartedReplication): Promise<void> {
    await this.load();
    const id = startedWatchId(started);
    const existing = this.active.get(id) ?? (await this.deps.watches.get(id));
    if (existing) {
      // A scan may have found it first: it is the bot's all the same, and the requester hears of it.
      if (existing.origin !== 'bot' || !existing.requester) {
        existing.origin = 'bot';
        existing.requester = started.requester;
        await this.deps.watches.save(existing, this.lease?.fence);
      }
      return;
    }
    const watch = watchOfStarted(started, this.deps.clock.now());
    // Unfenced: inserting a watch that does not exist yet is safe from any instance; the tracker that holds the lease picks it up.
    if (await this.deps.watches.insert(watch)) this.active.set(id, watch);
    this.wake();
  }

  /** Does what is due now; resolves with when it should run next. */
  tick(): Promise<number> {
    this.running ??= this.runTick().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Makes the next scan happen at the next tick (after the bot changed a gallery, in tests). */
  scanSoon(): void {
    this.nextScanAt = 0;
    this.wake();
  }

  /**
   * Runs `tick` on the clock's timers. Under a lease (several instances), it starts afresh from the stored watches,
   * writes with the lease's fence, picks up each tick the watches other instances inserted, and stops at the first
   * write refused as stale, calling `onLost`.
   */
  start(lease?: { fence: Fence; onLost: () => void }): void {
    if (lease) {
      this.lease = lease;
      this.forget();
    }
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** What another instance may have changed since: read again from the store at the next tick. */
  private forget(): void {
    this.active.clear();
    this.loaded = false;
    this.nextScanAt = 0;
    this.lastScanAt = undefined;
  }

  private lost(): void {
    const lease = this.lease;
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.lease = undefined;
    this.forget();
    this.deps.logger.warn({ lease: lease?.fence.lease, fencingToken: lease?.fence.token }, 'replication lease taken by another instance; tracker stopped');
    lease?.onLost();
  }

  /** Under a lease, a message is queued only while the fence is current (the outbox's keys drop any repeat). */
  private fencedNotifier(notifier: ConversationNotifier): ConversationNotifier {
    const check = async () => {
      const fence = this.lease?.fence;
      if (fence && this.deps.leases && !(await this.deps.leases.isCurrent(fence))) throw new StaleFenceError(fence);
    };
    return {
      send: async (conversationId, message, options) => {
        await check();
        return notifier.send(conversationId, message, options);
      },
      update: async (conversationId, key, message) => {
        await check();
        return notifier.update(conversationId, key, message);
      },
      adopt: async (conversationId, key, activityId, message) => {
        await check();
        return notifier.adopt(conversationId, key, activityId, message);
      },
    };
  }

  private wake(): void {
    if (!this.stopped) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    this.timer?.cancel();
    const { clock, logger } = this.deps;
    this.timer = clock.setTimeout(() => {
      this.timer = undefined;
      this.tick()
        .then((next) => {
          if (!this.stopped) this.schedule(Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, next - clock.now())));
        })
        .catch((error: unknown) => {
          if (error instanceof StaleFenceError) return this.lost();
          logger.error({ err: error }, 'replication tracker tick failed');
          if (!this.stopped) this.schedule(RETRY_MS);
        });
    }, delayMs);
  }

  /** Once; under a lease at every tick, since other instances insert the watches of the replications they start. */
  private async load(): Promise<void> {
    if (this.loaded && !this.lease) return;
    const first = !this.loaded;
    this.loaded = true;
    for (const watch of await this.deps.watches.listUnsettled()) if (!this.active.has(watch.id)) this.active.set(watch.id, watch);
    if (first && this.active.size) this.deps.logger.info({ watches: this.active.size }, 'replication watches resumed');
  }

  private async runTick(): Promise<number> {
    await this.load();
    const { budget, clock } = this.deps;
    let now = clock.now();
    if (now >= this.nextScanAt && now >= budget.pausedUntil) await this.scan(now);

    const due = [...this.active.values()].filter((w) => w.status === 'watching' && w.nextPollAt <= now).sort((a, b) => a.nextPollAt - b.nextPollAt);
    let starved = false;
    const queue = due[Symbol.iterator]();
    const worker = async () => {
      for (let next = queue.next(); !next.done; next = queue.next()) {
        if (!budget.tryTake()) {
          starved = true;
          return;
        }
        await this.poll(next.value);
      }
    };
    await Promise.all(Array.from({ length: POLL_CONCURRENCY }, worker));

    now = clock.now();
    // Reads wait for their time, the budget and any 429 pause; cards and announcements need no read.
    let readAt = this.nextScanAt;
    let cardAt = Number.POSITIVE_INFINITY;
    for (const watch of [...this.active.values()]) {
      const spoken = await this.announcer.speak(watch, now);
      if (spoken) await this.apply(watch, spoken);
      if (watch.status === 'watching') readAt = Math.min(readAt, watch.nextPollAt);
      cardAt = Math.min(cardAt, this.announcer.nextCardAt(watch));
    }
    if (starved) readAt = Math.max(readAt, budget.nextAvailableAt());
    return Math.min(Math.max(readAt, budget.pausedUntil), cardAt);
  }

  private async scan(now: number): Promise<void> {
    try {
      const found = await this.deps.scanner.scan();
      for (const unknown of found) {
        const watch = watchOfDiscovered(unknown, this.lastScanAt, now);
        if (await this.deps.watches.insert(watch, this.lease?.fence)) this.active.set(watch.id, watch);
      }
      this.lastScanAt = now;
      this.nextScanAt = now + this.deps.scanIntervalMs;
      if (found.length) this.deps.logger.info({ found: found.length }, 'replication scan found versions to look at');
    } catch (error) {
      if (error instanceof StaleFenceError) throw error;
      this.nextScanAt = now + Math.min(this.deps.scanIntervalMs, RETRY_MS);
      if (!this.throttled(error, now)) this.deps.logger.warn({ err: error }, 'replication scan failed');
    }
  }

  /** One read of the version, observed; the watch is saved with what it learned. */
  private async poll(watch: ReplicationWatch): Promise<void> {
    const now = this.deps.clock.now();
    const read = await this.read(watch, now);
    const observed = observeReplication(watch, read, now, { bounds: this.deps.bounds ?? DEFAULT_POLL_BOUNDS, random: this.deps.random ?? Math.random });
    await this.apply(watch, observed.watch);
    if (observed.kind === 'closed') {
      this.deps.logger.info({ versionId: watch.versionId, reason: observed.reason }, 'replication watch closed');
      // A new set of target regions is a new replication: the next scan's (or the bot's).
      if (observed.reason === 'target regions changed') this.nextScanAt = Math.min(this.nextScanAt, now);
    }
  }

  private async read(watch: ReplicationWatch, now: number): Promise<VersionRead> {
    try {
      return { kind: 'version', version: await this.deps.galleries.getVersion(watch.versionId, { withReplication: true }) };
    } catch (error) {
      if (error instanceof AzureError && error.kind === 'notFound') return { kind: 'notFound' };
      if (this.throttled(error, now)) return { kind: 'throttled', until: this.deps.budget.pausedUntil };
      this.deps.logger.warn({ err: error, versionId: watch.versionId, errors: watch.errors + 1 }, 'replication status read failed');
      return { kind: 'failed' };
    }
  }

  /**
   * Records a change in the watch held in memory, at once and in place (`track()` may be naming the same watch's
   * requester meanwhile), then saves it; a watch with no work left is let go.
   */
  private async apply(watch: ReplicationWatch, change: Partial<ReplicationWatch>): Promise<void> {
    Object.assign(watch, change);
    if (!hasWorkLeft(watch)) this.active.delete(watch.id);
    await this.deps.watches.save(watch, this.lease?.fence);
  }

  /** A 429: every read waits until ARM's Retry-After has passed. */
  private throttled(error: unknown, now: number): boolean {
    const waitMs = throttleWaitMs(error);
    if (waitMs === undefined) return false;
    this.deps.budget.pauseUntil(now + waitMs);
    this.deps.logger.warn({ retryAfterMs: waitMs }, 'ARM throttled the replication tracker; pausing its reads');
    return true;
  }
}
