import { AzureError } from '../kernel';
import type { ImageVersion } from '../ports/galleryGateway';
import { watchIdOf, type RegionWatch, type ReplicationWatch } from '../ports/replicationWatches';
import { isFinished, nextPollDelay, type PollBounds } from './pollSchedule';

/** What one read of a version with its replication status came back with. */
export type VersionRead =
  | { kind: 'version'; version: ImageVersion }
  | { kind: 'notFound' }
  /** ARM answered 429: no read before `until` (the read budget's pause). */
  | { kind: 'throttled'; until: number }
  /** Any other error: read again after a backoff. */
  | { kind: 'failed' };

/** What a read did to a watch. `watch` is the watch after it; the one passed in is left as it was. */
export type Observation =
  /** Still replicating; `changed` when a region's state or progress moved (the card is then stale). */
  | { kind: 'watching'; watch: ReplicationWatch; changed: boolean }
  /** Every target region ended: the watch is `completed` or `failed`, its card stale, its end to be announced. */
  | { kind: 'finished'; watch: ReplicationWatch }
  /** Found by a scan already over at its first read: nobody was waiting for it, so it is never announced. */
  | { kind: 'seen'; watch: ReplicationWatch }
  /** Never announced: the version is gone, or its target regions changed (a new replication, for the next scan). */
  | { kind: 'closed'; watch: ReplicationWatch; reason: 'version deleted' | 'target regions changed' }
  /** The read failed; the watch is read again at its `nextPollAt`. */
  | { kind: 'retry'; watch: ReplicationWatch };

export interface ObserveOptions {
  bounds: PollBounds;
  /** Jitter for the next read, in [0, 1). */
  random: () => number;
}

/**
 * The tracker's rule for one read, without I/O: merges what Azure returned into the watch, says whether it
 * settled, and sets when to read next (`watch.nextPollAt`), all at `now`.
 */
export function observeReplication(watch: ReplicationWatch, read: VersionRead, now: number, options: ObserveOptions): Observation {
  switch (read.kind) {
    case 'notFound':
      return { kind: 'closed', watch: { ...watch, status: 'closed', cardStale: false }, reason: 'version deleted' };
    case 'throttled':
      return { kind: 'retry', watch: { ...watch, nextPollAt: read.until } };
    case 'failed': {
      const errors = watch.errors + 1;
      const { minMs, maxMs } = options.bounds;
      return { kind: 'retry', watch: { ...watch, errors, nextPollAt: now + Math.min(maxMs, minMs * 2 ** errors) } };
    }
    case 'version':
      return observeVersion(watch, read.version, now, options);
  }
}

function observeVersion(watch: ReplicationWatch, version: ImageVersion, now: number, options: ObserveOptions): Observation {
  const targets = version.targetRegions.map((t) => t.name).sort();
  // Against the watch's targets, not its id: a retry's watch carries its attempt in the id.
  if (watchIdOf(version.id, targets) !== watchIdOf(watch.versionId, watch.targets)) {
    return { kind: 'closed', watch: { ...watch, status: 'closed', cardStale: false }, reason: 'target regions changed' };
  }
  const { regions, changed } = mergeRegions(watch, version, now);
  const read: ReplicationWatch = { ...watch, regions, polls: watch.polls + 1, errors: 0, lastPolledAt: now };
  const finished = regions.length > 0 && regions.length >= watch.targets.length && regions.every(isFinished);
  if (finished && watch.origin === 'discovered' && read.polls === 1) return { kind: 'seen', watch: { ...read, status: 'seen' } };
  if (finished) {
    const status = regions.some((r) => r.state === 'Failed') ? 'failed' : 'completed';
    return { kind: 'finished', watch: { ...read, status, finishedAt: now, cardStale: true } };
  }
  const previousDelayMs = watch.lastPolledAt ? now - watch.lastPolledAt : undefined;
  const delay = nextPollDelay(regions, now, { bounds: options.bounds, ...(previousDelayMs !== undefined ? { previousDelayMs } : {}), random: options.random });
  return { kind: 'watching', watch: { ...read, nextPollAt: now + delay, cardStale: read.cardStale || changed }, changed };
}

/**
 * Merges a read into the watch's regions. A region's rate is measured from its first sighting, or from the
 * bot's own start when the bot started it (then the start is exact and progress began at 0).
 */
function mergeRegions(watch: ReplicationWatch, version: ImageVersion, now: number): { regions: RegionWatch[]; changed: boolean } {
  let changed = false;
  const regions: RegionWatch[] = [];
  for (const region of version.replication?.regions ?? []) {
    const before = watch.regions.find((r) => r.region === region.region);
    const base = before ?? (watch.origin === 'bot' && region.progress > 0 && watch.startedAt < now ? { baseAt: watch.startedAt, baseProgress: 0 } : { baseAt: now, baseProgress: region.progress });
    const finishedAt = before?.finishedAt ?? (region.state === 'Completed' || region.state === 'Failed' ? now : undefined);
    if (!before || before.state !== region.state || before.progress !== region.progress) changed = true;
    regions.push({
      region: region.region,
      state: region.state,
      progress: region.progress,
      ...(region.details ? { details: region.details } : {}),
      baseAt: base.baseAt,
      baseProgress: base.baseProgress,
      ...(finishedAt !== undefined ? { finishedAt } : {}),
    });
  }
  return { regions: regions.sort((a, b) => a.region.localeCompare(b.region)), changed };
}

/** Without Retry-After, a 429 pauses this long. */
const DEFAULT_THROTTLE_MS = 60_000;

/** How long ARM asked every read to wait when `error` is a 429; undefined for any other error. */
export function throttleWaitMs(error: unknown): number | undefined {
  if (!(error instanceof AzureError) || error.kind !== 'throttled') return undefined;
  return error.detail.retryAfterSeconds !== undefined ? error.detail.retryAfterSeconds * 1000 : DEFAULT_THROTTLE_MS;
}
