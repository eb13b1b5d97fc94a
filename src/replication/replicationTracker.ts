import { AzureError, lastSegment } from '../kernel';
import type { Clock } from '../ports/clock';
import type { GalleryGateway, ImageVersion } from '../ports/galleryGateway';
import type { GeographyGrouping, LocationGateway } from '../ports/locationGateway';
import type { Logger } from '../ports/logger';
import type { ConversationNotifier } from '../ports/notifier';
import { watchIdOf, type RegionWatch, type ReplicationWatch, type ReplicationWatchStore } from '../ports/replicationWatches';
import type { GalleryScanner, UnknownReplication } from './galleryScanner';
import { isFinished, nextPollDelay, type PollBounds } from './pollSchedule';
import type { ReadBudget } from './readBudget';
import type { Recipient, ReplicationAudience } from './replicationAudience';
import { announcement, progressCard, type RegionLabels } from './replicationMessages';

export interface TrackerDeps {
  watches: ReplicationWatchStore;
  galleries: Pick<GalleryGateway, 'getVersion'>;
  scanner: GalleryScanner;
  audience: ReplicationAudience;
  locations: Pick<LocationGateway, 'listRegions'>;
  geographyMatch: GeographyGrouping;
  notifier: ConversationNotifier;
  budget: ReadBudget;
  clock: Clock;
  /** Clock ms per real ms (the demo's simulated time); `start()` converts its waits. Default 1. */
  timeScale?: number;
  logger: Logger;
  scanIntervalMs: number;
  bounds?: PollBounds;
  /** The progress card is updated in place at most this often. Default one minute. */
  cardIntervalMs?: number;
  random?: () => number;
}

/** A replication the bot itself started (the `replicate` command). */
export interface StartedReplication {
  versionId: string;
  hostId: string;
  targets: string[];
  startedAt: number;
  requester: { userId: string; conversationId: string; locale: string };
}

const DEFAULT_CARD_INTERVAL_MS = 60_000;
/** After a failed scan that was not a 429, try again this soon at the latest. */
const SCAN_RETRY_MS = 60_000;
/** Without Retry-After, a 429 pauses this long. */
const DEFAULT_THROTTLE_MS = 60_000;
const POLL_CONCURRENCY = 4;

/**
 * Watches image versions replicate: the ones the bot started and the ones a scan of the bound hosts'
 * galleries discovers. Each is read on its own schedule (expected completion, bounded, jittered) within the
 * read budget; its progress card is posted to the hosts' conversations and updated in place at most once a
 * minute; its end is announced once. Everything is persisted before it is sent, so a restart resumes where
 * it was and says nothing twice (the outbox drops a key it has already queued).
 *
 * `tick()` does what is due at the clock's now and says when to call it next; `start()` runs it on timers.
 */
export class ReplicationTracker {
  private readonly active = new Map<string, ReplicationWatch>();
  private nextScanAt = 0;
  /** When the last successful scan ran: a version it did not see began replicating after it. */
  private lastScanAt: number | undefined;
  private loaded = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;

  constructor(private readonly deps: TrackerDeps) {}

  /** Watches with work left, for tests and the logs. */
  get watching(): readonly ReplicationWatch[] {
    return [...this.active.values()];
  }

  async track(started: StartedReplication): Promise<void> {
    await this.load();
    const id = watchIdOf(started.versionId, started.targets);
    const existing = this.active.get(id) ?? (await this.deps.watches.get(id));
    if (existing) {
      // A scan may have found it first: it is the bot's all the same, and the requester hears of it.
      if (existing.origin !== 'bot' || !existing.requester) {
        existing.origin = 'bot';
        existing.requester = started.requester;
        await this.deps.watches.save(existing);
      }
      return;
    }
    const ids = versionParts(started.versionId);
    const watch = newWatch({
      id,
      versionId: started.versionId,
      ...ids,
      targets: [...started.targets].sort(),
      hostIds: [started.hostId],
      origin: 'bot',
      requester: started.requester,
      startedAt: started.startedAt,
      now: this.deps.clock.now(),
    });
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

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private wake(): void {
    if (!this.stopped) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick()
        .then((next) => {
          // Real time: bounded, so a changed clock or a new binding is noticed within a minute.
          const waitMs = (next - this.deps.clock.now()) / (this.deps.timeScale ?? 1);
          if (!this.stopped) this.schedule(Math.min(60_000, Math.max(250, waitMs)));
        })
        .catch((error: unknown) => {
          this.deps.logger.error({ err: error }, 'replication tracker tick failed');
          if (!this.stopped) this.schedule(SCAN_RETRY_MS);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    for (const watch of await this.deps.watches.listUnsettled()) if (!this.active.has(watch.id)) this.active.set(watch.id, watch);
    if (this.active.size) this.deps.logger.info({ watches: this.active.size }, 'replication watches resumed');
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
      await this.settle(watch, now);
      if (watch.status === 'watching') readAt = Math.min(readAt, watch.nextPollAt);
      if (watch.cardStale) cardAt = Math.min(cardAt, (watch.cardUpdatedAt ?? 0) + this.cardIntervalMs);
    }
    if (starved) readAt = Math.max(readAt, budget.nextAvailableAt());
    return Math.min(Math.max(readAt, budget.pausedUntil), cardAt);
  }

  private get cardIntervalMs(): number {
    return this.deps.cardIntervalMs ?? DEFAULT_CARD_INTERVAL_MS;
  }

  private async scan(now: number): Promise<void> {
    try {
      const found = await this.deps.scanner.scan();
      for (const unknown of found) await this.discovered(unknown, now);
      this.lastScanAt = now;
      this.nextScanAt = now + this.deps.scanIntervalMs;
      if (found.length) this.deps.logger.info({ found: found.length }, 'replication scan found versions to look at');
    } catch (error) {
      this.nextScanAt = now + Math.min(this.deps.scanIntervalMs, SCAN_RETRY_MS);
      if (!this.throttled(error, now)) this.deps.logger.warn({ err: error }, 'replication scan failed');
    }
  }

  private async discovered(unknown: UnknownReplication, now: number): Promise<void> {
    const watch = newWatch({
      id: watchIdOf(unknown.versionId, unknown.targets),
      versionId: unknown.versionId,
      galleryId: unknown.galleryId,
      imageName: unknown.imageName,
      versionName: unknown.versionName,
      targets: unknown.targets,
      hostIds: unknown.hostIds,
      origin: 'discovered',
      // Not before it was published, nor before the previous scan that did not see it.
      startedAt: Math.min(now, Math.max(unknown.publishedAt ?? now, this.lastScanAt ?? Number.NEGATIVE_INFINITY)),
      now,
    });
    if (await this.deps.watches.insert(watch)) this.active.set(watch.id, watch);
  }

  /** One read of the version; the watch learns its regions' states and when to look next. */
  private async poll(watch: ReplicationWatch): Promise<void> {
    const now = this.deps.clock.now();
    const log = this.deps.logger;
    let version: ImageVersion;
    try {
      version = await this.deps.galleries.getVersion(watch.versionId, { withReplication: true });
    } catch (error) {
      if (error instanceof AzureError && error.kind === 'notFound') return this.close(watch, 'version deleted');
      if (this.throttled(error, now)) {
        watch.nextPollAt = this.deps.budget.pausedUntil;
      } else {
        watch.errors++;
        const { minMs, maxMs } = this.bounds;
        watch.nextPollAt = now + Math.min(maxMs, minMs * 2 ** watch.errors);
        log.warn({ err: error, versionId: watch.versionId, errors: watch.errors }, 'replication status read failed');
      }
      await this.deps.watches.save(watch);
      return;
    }
    const targets = version.targetRegions.map((t) => t.name).sort();
    if (watchIdOf(version.id, targets) !== watch.id) {
      // Someone changed the target regions again: that is a new replication, the next scan's (or the bot's).
      await this.close(watch, 'target regions changed');
      this.nextScanAt = Math.min(this.nextScanAt, now);
      return;
    }
    const previousPoll = watch.lastPolledAt;
    const changed = observe(watch, version, now);
    watch.polls++;
    watch.errors = 0;
    watch.lastPolledAt = now;
    const regions = watch.regions;
    const finished = regions.length > 0 && regions.length >= watch.targets.length && regions.every(isFinished);
    if (finished && watch.origin === 'discovered' && watch.polls === 1) {
      // Already over when first seen: nobody was waiting for it, so it is remembered and not announced.
      watch.status = 'seen';
      await this.deps.watches.save(watch);
      this.active.delete(watch.id);
      return;
    }
    if (finished) {
      watch.status = regions.some((r) => r.state === 'Failed') ? 'failed' : 'completed';
      watch.finishedAt = now;
    } else {
      watch.nextPollAt = now + nextPollDelay(regions, now, { bounds: this.bounds, ...(previousPoll ? { previousDelayMs: now - previousPoll } : {}), random: this.random });
    }
    if (changed || finished) watch.cardStale = true;
    await this.deps.watches.save(watch);
  }

  /** What needs no ARM read: post the card, update it (once a minute at most), announce the end. */
  private async settle(watch: ReplicationWatch, now: number): Promise<void> {
    if (watch.polls === 0) return;
    let dirty = false;
    // Read once per settle, and only when something is to be said.
    let context: { labels: RegionLabels; recipients: Recipient[] } | undefined;
    const loadContext = async () => (context ??= { labels: await this.labels(watch), recipients: await this.deps.audience.of(watch) });
    try {
      if (watch.cardConversations.length === 0 && watch.cardUpdatedAt === undefined) {
        const { labels, recipients } = await loadContext();
        for (const r of recipients) {
          await this.deps.notifier.send(r.conversationId, progressCard(watch, labels, r.locale, now), { key: cardKey(watch, r.conversationId) });
        }
        watch.cardConversations = recipients.map((r) => r.conversationId);
        watch.cardUpdatedAt = now;
        watch.cardStale = false;
        dirty = true;
      } else if (watch.cardStale && now - (watch.cardUpdatedAt ?? 0) >= this.cardIntervalMs) {
        const { labels, recipients } = await loadContext();
        for (const conversationId of watch.cardConversations) {
          const locale = recipients.find((r) => r.conversationId === conversationId)?.locale ?? watch.requester?.locale ?? 'en-US';
          await this.deps.notifier.update(conversationId, cardKey(watch, conversationId), progressCard(watch, labels, locale, now));
        }
        watch.cardUpdatedAt = now;
        watch.cardStale = false;
        dirty = true;
      }
      if ((watch.status === 'completed' || watch.status === 'failed') && watch.announcedAt === undefined) {
        const { labels, recipients } = await loadContext();
        for (const r of recipients) {
          await this.deps.notifier.send(r.conversationId, announcement(watch, labels, r.locale), { key: `replication:${watch.id}:announce:${r.conversationId}` });
        }
        watch.announcedAt = now;
        dirty = true;
        this.deps.logger.info({ versionId: watch.versionId, status: watch.status, tookMs: (watch.finishedAt ?? now) - watch.startedAt }, 'replication announced');
      }
    } catch (error) {
      // Locations unreadable, or the outbox's storage: the next tick tries again; what was queued stays queued.
      this.deps.logger.warn({ err: error, versionId: watch.versionId }, 'replication message not queued yet');
    }
    if (dirty) await this.deps.watches.save(watch);
    if (watch.status !== 'watching' && !watch.cardStale && watch.announcedAt !== undefined) this.active.delete(watch.id);
  }

  private async close(watch: ReplicationWatch, reason: string): Promise<void> {
    watch.status = 'closed';
    watch.cardStale = false;
    await this.deps.watches.save(watch);
    this.active.delete(watch.id);
    this.deps.logger.info({ versionId: watch.versionId, reason }, 'replication watch closed');
  }

  /** A 429: every read waits until ARM's Retry-After has passed. */
  private throttled(error: unknown, now: number): boolean {
    if (!(error instanceof AzureError) || error.kind !== 'throttled') return false;
    const waitMs = error.detail.retryAfterSeconds !== undefined ? error.detail.retryAfterSeconds * 1000 : DEFAULT_THROTTLE_MS;
    this.deps.budget.pauseUntil(now + waitMs);
    this.deps.logger.warn({ retryAfterMs: waitMs }, 'ARM throttled the replication tracker; pausing its reads');
    return true;
  }

  private async labels(watch: ReplicationWatch): Promise<RegionLabels> {
    const regions = await this.deps.locations.listRegions();
    const byName = new Map(regions.map((r) => [r.name, r]));
    const first = watch.targets.map((t) => byName.get(t)).find((r) => r !== undefined);
    return {
      displayName: (name) => byName.get(name)?.displayName ?? name,
      geography: first ? first[this.deps.geographyMatch] || first.geography : (watch.targets[0] ?? ''),
    };
  }

  private get bounds(): PollBounds {
    return this.deps.bounds ?? { minMs: 15_000, maxMs: 600_000 };
  }

  private get random(): () => number {
    return this.deps.random ?? Math.random;
  }
}

function cardKey(watch: ReplicationWatch, conversationId: string): string {
  return `replication:${watch.id}:card:${conversationId}`;
}

function versionParts(versionId: string): { galleryId: string; imageName: string; versionName: string } {
  const m = /^(.*\/providers\/Microsoft\.Compute\/galleries\/[^/]+)\/images\/([^/]+)\/versions\/([^/]+)$/i.exec(versionId);
  return { galleryId: m?.[1] ?? versionId, imageName: m?.[2] ?? '', versionName: m?.[3] ?? lastSegment(versionId) };
}

/** What a new watch is told; the rest starts empty. */
type WatchStart = Pick<ReplicationWatch, 'id' | 'versionId' | 'galleryId' | 'imageName' | 'versionName' | 'targets' | 'hostIds' | 'origin' | 'requester' | 'startedAt'>;

function newWatch(input: WatchStart & { now: number }): ReplicationWatch {
  const { now, ...rest } = input;
  return { ...rest, status: 'watching', regions: [], firstSeenAt: now, polls: 0, errors: 0, nextPollAt: now, cardConversations: [], cardStale: false };
}

/**
 * Merges a read into the watch's regions. A region's rate is measured from its first sighting, or from the
 * bot's own start when the bot started it (then the start is exact and progress began at 0).
 */
function observe(watch: ReplicationWatch, version: ImageVersion, now: number): boolean {
  let changed = false;
  const seen = version.replication?.regions ?? [];
  const next: RegionWatch[] = [];
  for (const region of seen) {
    const before = watch.regions.find((r) => r.region === region.region);
    const base = before ?? (watch.origin === 'bot' && region.progress > 0 && watch.startedAt < now ? { baseAt: watch.startedAt, baseProgress: 0 } : { baseAt: now, baseProgress: region.progress });
    const finishedAt = before?.finishedAt ?? (region.state === 'Completed' || region.state === 'Failed' ? now : undefined);
    if (!before || before.state !== region.state || before.progress !== region.progress) changed = true;
    next.push({
      region: region.region,
      state: region.state,
      progress: region.progress,
      ...(region.details ? { details: region.details } : {}),
      baseAt: base.baseAt,
      baseProgress: base.baseProgress,
      ...(finishedAt !== undefined ? { finishedAt } : {}),
    });
  }
  watch.regions = next.sort((a, b) => a.region.localeCompare(b.region));
  return changed;
}
