import type { GeographyGrouping, LocationGateway } from '../ports/locationGateway';
import type { Logger } from '../ports/logger';
import type { ConversationNotifier } from '../ports/notifier';
import type { ReplicationWatch } from '../ports/replicationWatches';
import type { Recipient, ReplicationAudience } from './replicationAudience';
import { announcement, progressCard, type RegionLabels } from './replicationMessages';

/** What the announcer queued, as the watch records it. */
export type Spoken = Partial<Pick<ReplicationWatch, 'cardConversations' | 'cardUpdatedAt' | 'cardStale' | 'announcedAt'>>;

export interface AnnouncerDeps {
  audience: ReplicationAudience;
  locations: Pick<LocationGateway, 'listRegions'>;
  geographyMatch: GeographyGrouping;
  notifier: ConversationNotifier;
  logger: Logger;
  /** The progress card is updated in place at most this often. */
  cardIntervalMs: number;
  /** The tracker's clock's speed against real time (the demo's ×60): the messages say so rather than show its dates. */
  timeScale?: number;
}

/**
 * What a watch has to say that needs no ARM read: its progress card posted to the hosts' conversations, then
 * updated in place at most once per `cardIntervalMs`, and its end announced once. Messages are keyed, so a
 * restart that queues one again is ignored by the outbox.
 */
export class ReplicationAnnouncer {
  constructor(private readonly deps: AnnouncerDeps) {}

  /**
   * Queues what is due at `now`; resolves with the fields recording it (to be saved with the watch), or
   * undefined when nothing was queued. A failure (locations unreadable, the outbox's storage) is logged and
   * left for the next call; what was queued before it is recorded.
   */
  async speak(watch: ReplicationWatch, now: number): Promise<Spoken | undefined> {
    if (watch.polls === 0) return undefined;
    const { notifier } = this.deps;
    let spoken: Spoken | undefined;
    // Read once per call, and only when something is to be said.
    let context: { labels: RegionLabels; recipients: Recipient[] } | undefined;
    const loadContext = async () => (context ??= { labels: await this.labels(watch), recipients: await this.deps.audience.of(watch) });
    try {
      if (watch.cardConversations.length === 0 && watch.cardUpdatedAt === undefined) {
        const { labels, recipients } = await loadContext();
        const requester = watch.requester;
        if (requester?.cardKey) {
          // Asked for in a conversation that shows its operation's card: that card follows the replication, and the
          // other conversations hear of it once, at the end, rather than through a card of their own.
          await notifier.update(requester.conversationId, requester.cardKey, progressCard(watch, labels, requester.locale, now, this.deps.timeScale));
          spoken = { cardConversations: [requester.conversationId], cardUpdatedAt: now, cardStale: false };
        } else {
          for (const r of recipients) await notifier.send(r.conversationId, progressCard(watch, labels, r.locale, now, this.deps.timeScale), { key: cardKey(watch, r.conversationId) });
          spoken = { cardConversations: recipients.map((r) => r.conversationId), cardUpdatedAt: now, cardStale: false };
        }
      } else if (watch.cardStale && now >= this.nextCardAt(watch)) {
        const { labels, recipients } = await loadContext();
        for (const conversationId of watch.cardConversations) {
          const locale = recipients.find((r) => r.conversationId === conversationId)?.locale ?? watch.requester?.locale ?? 'en-US';
          await notifier.update(conversationId, cardKey(watch, conversationId), progressCard(watch, labels, locale, now, this.deps.timeScale));
        }
        spoken = { cardUpdatedAt: now, cardStale: false };
      }
      if ((watch.status === 'completed' || watch.status === 'failed') && watch.announcedAt === undefined) {
        const { labels, recipients } = await loadContext();
        for (const r of recipients) {
          await notifier.send(r.conversationId, announcement(watch, labels, r.locale, this.deps.timeScale), { key: `replication:${watch.id}:announce:${r.conversationId}` });
        }
        spoken = { ...spoken, announcedAt: now };
        this.deps.logger.info({ versionId: watch.versionId, status: watch.status, tookMs: (watch.finishedAt ?? now) - watch.startedAt }, 'replication announced');
      }
    } catch (error) {
      this.deps.logger.warn({ err: error, versionId: watch.versionId }, 'replication message not queued yet');
    }
    return spoken;
  }

  /** When the stale card may be updated next; never while it is up to date. */
  nextCardAt(watch: ReplicationWatch): number {
    return watch.cardStale ? (watch.cardUpdatedAt ?? 0) + this.deps.cardIntervalMs : Number.POSITIVE_INFINITY;
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
}

/** The requester's operation card where they asked, else the watch's own card in that conversation. */
function cardKey(watch: ReplicationWatch, conversationId: string): string {
  const requester = watch.requester;
  if (requester?.cardKey && requester.conversationId === conversationId) return requester.cardKey;
  return `replication:${watch.id}:card:${conversationId}`;
}
