import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { ETagConflictError, type BindingStore, type ConversationReferenceData, type ConversationRefStore } from '../ports/stores';

export interface SeenConversation {
  conversationId: string;
  tenantId?: string;
  reference: ConversationReferenceData;
}

/** Conversations whose last write this process remembers; beyond that the memory starts over (a write each). */
const MAX_REMEMBERED = 10_000;

/**
 * An unchanged reference is written again after this long, so that a row deleted behind this process's back
 * (the delivery loop on a 403, another instance on a removal) comes back with a later message, and updated_at
 * tells when the conversation was last active to the minute. A conversation's busy minute writes once.
 */
const REWRITE_AFTER_MS = 60_000;

/**
 * Keeps the conversation references that proactive messages need, and binds a conversation seen for the
 * first time to the default lab host when one is configured.
 */
export class ConversationDirectory {
  /**
   * What this process last wrote per conversation, as JSON: a message whose reference has not changed since
   * (same service URL, sender, locale, …) needs no write, and most messages are such.
   */
  private readonly written = new Map<string, { digest: string; at: number; locale?: string }>();

  constructor(
    private readonly refs: ConversationRefStore,
    private readonly bindings: BindingStore,
    private readonly clock: Clock,
    private readonly defaultHostId: () => string | undefined,
  ) {}

  /**
   * Stores the reference unless this process wrote the very same one within the last minute. `always` writes
   * regardless: the bot being added or installed follows a removal whose delete this process may not have seen.
   */
  async remember(seen: SeenConversation, log: Logger, options: { always?: boolean } = {}): Promise<void> {
    const now = this.clock.now();
    const last = this.written.get(seen.conversationId);
    // A shared conversation keeps the language it was first seen in (its install, its first message): channel
    // posts do not switch language with whoever wrote last. A personal chat follows its one person.
    let reference = seen.reference;
    if (isShared(reference)) {
      const kept = last?.locale ?? (await this.refs.get(seen.conversationId))?.reference.locale;
      if (typeof kept === 'string' && kept) reference = { ...reference, locale: kept };
    }
    const digest = JSON.stringify([seen.tenantId, reference]);
    if (!options.always && last?.digest === digest && now - last.at < REWRITE_AFTER_MS) return;
    const known = await this.refs.upsert({ ...seen, reference });
    if (this.written.size >= MAX_REMEMBERED) this.written.clear();
    this.written.set(seen.conversationId, { digest, at: now, ...(typeof reference.locale === 'string' ? { locale: reference.locale } : {}) });
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
    this.written.delete(conversationId);
    await this.refs.delete(conversationId);
  }
}

/** A channel or group chat: anything but a personal (one-to-one) conversation. */
function isShared(reference: ConversationReferenceData): boolean {
  const conversation = reference.conversation as { conversationType?: unknown; isGroup?: unknown } | undefined;
  return conversation?.conversationType === 'channel' || conversation?.conversationType === 'groupChat' || conversation?.isGroup === true;
}
