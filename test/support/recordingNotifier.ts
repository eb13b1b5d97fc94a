import type { ConversationNotifier, OutgoingMessage, SendOptions } from '../../src/ports/notifier';

/** A hand-written fake of the outbox: keeps what would have been sent proactively, honours keys. */
export class RecordingNotifier implements ConversationNotifier {
  readonly sent: { conversationId: string; message: OutgoingMessage; key: string }[] = [];
  readonly updates: { conversationId: string; key: string; message: OutgoingMessage }[] = [];
  /** Activities posted in a turn and recorded under a key, for later updates. */
  readonly adopted: { conversationId: string; key: string; activityId: string; message: OutgoingMessage }[] = [];
  failNext = 0;
  private nextKey = 1;

  async send(conversationId: string, message: OutgoingMessage, options: SendOptions = {}): Promise<boolean> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('outbox unavailable');
    }
    const key = options.key ?? `recorded-${this.nextKey++}`;
    if (this.sent.some((s) => s.key === key)) return false;
    this.sent.push({ conversationId, message, key });
    return true;
  }

  async update(conversationId: string, key: string, message: OutgoingMessage): Promise<void> {
    this.updates.push({ conversationId, key, message });
  }

  async adopt(conversationId: string, key: string, activityId: string, message: OutgoingMessage): Promise<boolean> {
    if (this.adopted.some((a) => a.key === key) || this.sent.some((s) => s.key === key)) return false;
    this.adopted.push({ conversationId, key, activityId, message });
    return true;
  }

  /** The newest content of the message under `key`: its last update, else what was sent or adopted. */
  latest(key: string): OutgoingMessage | undefined {
    const updated = this.updates.filter((u) => u.key === key).pop();
    return updated?.message ?? this.sent.find((s) => s.key === key)?.message ?? this.adopted.find((a) => a.key === key)?.message;
  }

  /**
   * What each message says in the end (its last update, else as sent or adopted), in the order they were first
   * queued: a card as its visible text.
   */
  outcomes(): string[] {
    const keys = [...new Set([...this.adopted.map((a) => a.key), ...this.sent.map((s) => s.key)])];
    return keys.map((key) => messageText(this.latest(key)));
  }

  texts(): string[] {
    return this.sent.map((s) => (s.message.kind === 'text' ? s.message.text : s.message.summary));
  }
}

/** A message's visible text: its text, or its card's texts, titles and values. */
export function messageText(message: OutgoingMessage | undefined): string {
  if (!message) return '';
  if (message.kind === 'text') return message.text;
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value']) if (typeof o[key] === 'string') parts.push(o[key]);
      Object.values(o).forEach(walk);
    }
  };
  walk(message.card);
  return parts.join('\n');
}
