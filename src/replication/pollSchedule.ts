import type { RegionWatch } from '../ports/replicationWatches';

export interface PollBounds {
  minMs: number;
  maxMs: number;
}

export const DEFAULT_POLL_BOUNDS: PollBounds = { minMs: 15_000, maxMs: 600_000 };

/** First look again this soon when no region has moved yet; doubled while nothing moves. */
const NO_RATE_FIRST_MS = 60_000;
/** A poll aimed at the expected completion lands this much later at most, so it does not come too early. */
const LANDING_JITTER_MS = 3_000;

export function isFinished(region: Pick<RegionWatch, 'state'>): boolean {
  return region.state === 'Completed' || region.state === 'Failed';
}

/** Expected time until the slowest unfinished region completes, from each region's progress rate; undefined while some region has no rate yet. */
export function expectedRemainingMs(regions: readonly RegionWatch[], now: number): number | undefined {
  let longest = 0;
  for (const region of regions) {
    if (isFinished(region)) continue;
    const elapsed = now - region.baseAt;
    const moved = region.progress - region.baseProgress;
    if (elapsed <= 0 || moved <= 0) return undefined;
    longest = Math.max(longest, ((100 - region.progress) * elapsed) / moved);
  }
  return longest;
}

/**
 * How long to wait before the next read of a replication: aimed just after the expected completion when that
 * is near, otherwise the longest wait allowed (less a random tenth, so a thousand watches started together
 * spread out); doubling while no progress is seen. Always within the bounds.
 */
export function nextPollDelay(
  regions: readonly RegionWatch[],
  now: number,
  options: { bounds?: PollBounds; previousDelayMs?: number; random?: () => number } = {},
): number {
  const { minMs, maxMs } = options.bounds ?? DEFAULT_POLL_BOUNDS;
  const random = options.random ?? Math.random;
  const remaining = expectedRemainingMs(regions, now);
  let delay: number;
  if (remaining === undefined) delay = options.previousDelayMs ? options.previousDelayMs * 2 : NO_RATE_FIRST_MS;
  else if (remaining <= maxMs) delay = remaining + random() * LANDING_JITTER_MS;
  else delay = maxMs * (0.9 + 0.1 * random());
  return Math.round(Math.min(maxMs, Math.max(minMs, delay)));
}
