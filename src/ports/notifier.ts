import type { AdaptiveCard } from '../cards/renderCard';

/** A message for a conversation, sent outside of a turn (a long operation's result, an announcement). */
export type OutgoingMessage = { kind: 'text'; text: string } | { kind: 'card'; card: AdaptiveCard; summary: string };

export interface ConversationNotifier {
  /** Sends to a conversation the bot has a stored reference for; resolves with the sent activity's id. */
  send(conversationId: string, message: OutgoingMessage): Promise<string | undefined>;
}
