import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { ETagConflictError, type BindingStore, type ConversationReferenceData, type ConversationRefStore } from '../ports/stores';

export interface SeenConversation {
  conversationId: string;
  tenantId?: string;
  reference: ConversationReferenceData;
}

/**
 * Keeps the conversation references that proactive messages need, and binds a conversation seen for the
 * first time to the default lab host when one is configured.
 */
export class ConversationDirectory {
  constructor(
    private readonly refs: ConversationRefStore,
    private readonly bindings: BindingStore,
    private readonly clock: Clock,
    private readonly defaultHostId: () => string | undefined,
  ) {}

  async remember(seen: SeenConversation, log: Logger): Promise<void> {
    const known = await this.refs.upsert(seen);
    const hostId = this.defaultHostId();
    if (known || !hostId) return;
    try {
      await this.bindings.put(
        { conversationId: seen.conversationId, hostId, boundBy: 'default', boundAt: this.clock.now() },
        { ifNoneMatch: '*' },
      );
      log.info({ hostId }, 'conversation bound to the default lab host');
    } catch (error) {
      // Someone bound it first (an admin, or a concurrent first message): theirs stands.
      if (!(error instanceof ETagConflictError)) throw error;
    }
  }

  async forget(conversationId: string): Promise<void> {
    await this.refs.delete(conversationId);
  }
}
