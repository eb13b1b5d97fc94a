import type { RegionReplicationState } from './galleryGateway';
import type { Fence } from './leases';

/**
 * What the replication tracker knows about one replication: a version of an image towards one set of
 * target regions. A version whose target regions change later is a new replication (a new watch).
 */
export type WatchStatus =
  /** Being polled. */
  | 'watching'
  /** Every region completed. */
  | 'completed'
  /** No region still replicating, at least one failed. */
  | 'failed'
  /** The version was deleted, or its targets changed (a newer watch took over): never announced. */
  | 'closed'
  /** Already finished when first seen: remembered so it is not read again, never announced. */
  | 'seen';

export interface RegionWatch {
  /** Lowercase region name. */
  region: string;
  state: RegionReplicationState;
  progress: number;
  details?: string;
  /** First observation of this region, the base of its progress rate. */
  baseAt: number;
  baseProgress: number;
  /** When it was first seen Completed or Failed. */
  finishedAt?: number;
}

/** Who started a replication, where, in which language; `cardKey`: the outbox key of the card they were shown. */
export interface WatchRequester {
  userId: string;
  conversationId: string;
  locale: string;
  /** Their operation's card: its progress is told there, in place, rather than in a card of its own. */
  cardKey?: string;
}

export interface ReplicationWatch {
  /** `versionId|region,region,…` (version id lowercased, regions sorted). */
  id: string;
  versionId: string;
  galleryId: string;
  imageName: string;
  versionName: string;
  /** Sorted lowercase region names. */
  targets: string[];
  /** Lab hosts with this gallery attached when the watch started; their conversations hear about it. */
  hostIds: string[];
  origin: 'bot' | 'discovered';
  /** Set when the bot started it: who asked and where, told even if that conversation is bound elsewhere. */
  requester?: WatchRequester;
  status: WatchStatus;
  regions: RegionWatch[];
  /** When replication began, as far as known (the bot's request, else the version's publish time, else first sight). */
  startedAt: number;
  firstSeenAt: number;
  polls: number;
  /** Consecutive failed reads, for backoff. */
  errors: number;
  nextPollAt: number;
  lastPolledAt?: number;
  /** Conversations the progress card was posted to (its updates go there). */
  cardConversations: string[];
  cardUpdatedAt?: number;
  /** The card shows an older state than the watch: an update is due once a minute has passed. */
  cardStale: boolean;
  finishedAt?: number;
  announcedAt?: number;
}

export interface ReplicationWatchStore {
  get(id: string): Promise<ReplicationWatch | undefined>;
  /**
   * Inserts unless the id exists; resolves whether it was inserted. With a fence (the tracker's lease), refused
   * with StaleFenceError once a newer holder has the lease; likewise `save`.
   */
  insert(watch: ReplicationWatch, fence?: Fence): Promise<boolean>;
  save(watch: ReplicationWatch, fence?: Fence): Promise<void>;
  /** Watches with work left: watching, a stale card, or finished but not yet announced. */
  listUnsettled(): Promise<ReplicationWatch[]>;
  /** Ids of every watch of these versions (any status), to skip versions already known. */
  idsForVersions(versionIds: readonly string[]): Promise<Set<string>>;
  /** For metrics: how many watches have each status. */
  countByStatus(): Promise<Record<string, number>>;
}

/**
 * Whether the tracker still has something to do for the watch: reads, a stale card, an announcement. The
 * tracker keeps such a watch in memory; a store's `listUnsettled` returns exactly these.
 */
export function hasWorkLeft(watch: ReplicationWatch): boolean {
  if (watch.status === 'watching' || watch.cardStale) return true;
  return (watch.status === 'completed' || watch.status === 'failed') && watch.announcedAt === undefined;
}

export function watchIdOf(versionId: string, targets: readonly string[]): string {
  return `${versionId.toLowerCase()}|${[...targets].map((t) => t.toLowerCase()).sort().join(',')}`;
}
