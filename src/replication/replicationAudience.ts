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
      const locale = conversationId === watch.requester?.conversationId ? watch.requester.locale : await this.localeOf(conversationId);
      recipients.push({ conversationId, locale });
    }
    if (watch.requester && !ids.has(watch.requester.conversationId)) recipients.push({ conversationId: watch.requester.conversationId, locale: watch.requester.locale });
    return recipients;
  }

  /** The language of the last message seen there (references are refreshed on every message). */
  private async localeOf(conversationId: string): Promise<string> {
    const locale = (await this.refs.get(conversationId))?.reference.locale;
    return typeof locale === 'string' && locale ? locale : 'en-US';
  }
}
