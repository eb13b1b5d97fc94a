/** An Adaptive Card payload as sent to Teams (src/cards renders them from templates). */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  [key: string]: unknown;
}

/** Someone a text @mentions: the text carries `<at>name</at>` for each (Teams' markup, the one place it is allowed). */
export interface Mention {
  /** Their channel account id (Teams: `29:…`), or their Entra object id. */
  id: string;
  name: string;
}

/**
 * A message for a conversation, sent outside of a turn (a long operation's result, an announcement).
 * `thread`: a channel post's id, to reply in that post's thread rather than start a new post.
 */
export type OutgoingMessage =
  | { kind: 'text'; text: string; mentions?: Mention[]; thread?: string }
  | { kind: 'card'; card: AdaptiveCard; summary: string; thread?: string };

export interface SendOptions {
  /**
   * Idempotency key: a message whose key was already queued (now or before a restart) is not queued again.
   * Also names the message for `update`. Defaults to a fresh key.
   */
  key?: string;
}

/**
 * Every proactive send goes through here (the outbox): the message is persisted first and delivered after,
 * in order per conversation, within Teams' rate limits.
 */
export interface ConversationNotifier {
  /** Resolves once the message is persisted; resolves false when its key was already queued. */
  send(conversationId: string, message: OutgoingMessage, options?: SendOptions): Promise<boolean>;
  /**
   * Replaces, in place, the message queued under `key` (Bot Framework's updateActivity once it was sent).
   * Replacements not yet delivered coalesce: only the newest is sent.
   */
  update(conversationId: string, key: string, message: OutgoingMessage): Promise<void>;
  /**
   * Records an activity the bot posted in a turn (`message`, now `activityId`) under `key`, so that `update`
   * replaces it later like a message sent through here. Resolves false when the key is already known.
   */
  adopt(conversationId: string, key: string, activityId: string, message: OutgoingMessage): Promise<boolean>;
}
