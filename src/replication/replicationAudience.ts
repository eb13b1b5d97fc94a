import type { BindingStore, ConversationRefStore } from '../ports/stores';
import type { ReplicationWatch } from '../ports/replicationWatches';

export interface Recipient {
  conversationId: string;
  locale: string;
}

/**
 * Who hears about a replication: every conversation bound to its hosts or to its gallery directly, and the
 * requester's, each once, in their language.
 */
export class ReplicationAudience {
  constructor(
    private readonly bindings: Pick<BindingStore, 'listByHost' | 'listByGallery'>,
    private readonly refs: Pick<ConversationRefStore, 'get'>,
  ) {}

  async of(watch: Pick<ReplicationWatch, 'hostIds' | 'galleryId' | 'requester'>): Promise<Recipient[]> {
    const ids = new Set<string>();
    for (const hostId of watch.hostIds) for (const binding of await this.bindings.listByHost(hostId)) ids.add(binding.conversationId);
    for (const binding of await this.bindings.listByGallery(watch.galleryId)) ids.add(binding.conversationId);
    const recipients: Recipient[] = [];
    for (const conversationId of ids) {
      if (conversationId === watch.requester?.conversationId) {
        recipients.push({ conversationId, locale: watch.requester.locale });
        continue;
      }
      const reference = (await this.refs.get(conversationId))?.reference;
      // The requester hears of it where they asked: not a second time in their own personal chat.
      if (watch.requester && isPersonalChatOf(reference, watch.requester.userId)) continue;
      recipients.push({ conversationId, locale: localeOf(reference) });
    }
    if (watch.requester && !ids.has(watch.requester.conversationId)) recipients.push({ conversationId: watch.requester.conversationId, locale: watch.requester.locale });
    return recipients;
  }

}

type Reference = Record<string, unknown> | undefined;

/** The conversation's language as its reference keeps it (a channel: its first; a personal chat: its person's last). */
function localeOf(reference: Reference): string {
  const locale = reference?.locale;
  return typeof locale === 'string' && locale ? locale : 'en-US';
}

/** A one-to-one chat with that person (their Entra object id), as its stored reference tells. */
function isPersonalChatOf(reference: Reference, userId: string): boolean {
  const conversation = reference?.conversation as { conversationType?: unknown } | undefined;
  const user = reference?.user as { aadObjectId?: unknown } | undefined;
  return conversation?.conversationType === 'personal' && typeof user?.aadObjectId === 'string' && user.aadObjectId.toLowerCase() === userId.toLowerCase();
}
