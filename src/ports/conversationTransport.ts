import type { OutgoingMessage } from './notifier';

/** The Bot Connector as seen by the outbox: one HTTP call per method, no retries of its own. */
export interface ConversationTransport {
  /** Posts a new activity; resolves with its id. */
  send(conversationId: string, message: OutgoingMessage): Promise<string>;
  /** Replaces a posted activity (updateActivity). */
  update(conversationId: string, activityId: string, message: OutgoingMessage): Promise<void>;
}

/** A refused delivery, as the Bot Connector answered it. */
export class DeliveryError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** From the Retry-After header, when there was one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
