import { lastSegment, parseGalleryId, parseImageVersionId } from '../kernel';
import { watchIdOf, type ReplicationWatch, type WatchRequester } from '../ports/replicationWatches';
import type { UnknownReplication } from './galleryScanner';

/** A replication the bot itself started (the `replicate` command). */
export interface StartedReplication {
  versionId: string;
  /** The lab host it was asked on, or the gallery when the conversation is bound to the gallery alone. */
  hostId: string;
  targets: string[];
  /** On the tracker's clock; absent, the moment the tracker hears of it (the demo's bot and tracker keep different clocks). */
  startedAt?: number;
  requester: WatchRequester;
  /**
   * A new attempt at targets already watched (a retry of failed regions, whose targets end as they were): its own
   * watch, so it is polled and announced anew rather than taken for the finished one.
   */
  attempt?: string;
}

/** The watch id of a started replication: its version and targets, and its attempt when it is a retry. */
export function startedWatchId(started: Pick<StartedReplication, 'versionId' | 'targets' | 'attempt'>): string {
  const id = watchIdOf(started.versionId, started.targets);
  return started.attempt ? `${id}#${started.attempt}` : id;
}

/** The watch of a replication the bot started: its start is exact, and the requester hears of it. */
export function watchOfStarted(started: StartedReplication, now: number): ReplicationWatch {
  return newWatch(
    {
      id: startedWatchId(started),
      versionId: started.versionId,
      ...versionParts(started.versionId),
      targets: [...started.targets].sort(),
      // Started in a conversation bound to the gallery alone, there is no host: the gallery's conversations hear of it.
      hostIds: parseGalleryId(started.hostId) ? [] : [started.hostId],
      origin: 'bot',
      requester: started.requester,
      startedAt: started.startedAt ?? now,
    },
    now,
  );
}

/**
 * The watch of a replication a scan found. It began not before the version was published, nor before the
 * previous successful scan (`lastScanAt`), which did not see it.
 */
export function watchOfDiscovered(unknown: UnknownReplication, lastScanAt: number | undefined, now: number): ReplicationWatch {
  return newWatch(
    {
      id: watchIdOf(unknown.versionId, unknown.targets),
      versionId: unknown.versionId,
      galleryId: unknown.galleryId,
      imageName: unknown.imageName,
      versionName: unknown.versionName,
      targets: unknown.targets,
      hostIds: unknown.hostIds,
      origin: 'discovered',
      startedAt: Math.min(now, Math.max(unknown.publishedAt ?? now, lastScanAt ?? Number.NEGATIVE_INFINITY)),
    },
    now,
  );
}

function versionParts(versionId: string): { galleryId: string; imageName: string; versionName: string } {
  const version = parseImageVersionId(versionId);
  return version ? { galleryId: version.galleryId, imageName: version.imageName, versionName: version.versionName } : { galleryId: versionId, imageName: '', versionName: lastSegment(versionId) };
}

/** What a new watch is told; the rest starts empty, its first read due at once. */
type WatchStart = Pick<ReplicationWatch, 'id' | 'versionId' | 'galleryId' | 'imageName' | 'versionName' | 'targets' | 'hostIds' | 'origin' | 'requester' | 'startedAt'>;

function newWatch(start: WatchStart, now: number): ReplicationWatch {
  return { ...start, status: 'watching', regions: [], firstSeenAt: now, polls: 0, errors: 0, nextPollAt: now, cardConversations: [], cardStale: false };
}
