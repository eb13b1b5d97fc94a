import type { ConversationNotifier, OutgoingMessage, SendOptions } from '../../src/ports/notifier';

/** A hand-written fake of the outbox: keeps what would have been sent proactively, honours keys. */
export class RecordingNotifier implements ConversationNotifier {
  readonly sent: { conversationId: string; message: OutgoingMessage; key: string }[] = [];
  readonly updates: { conversationId: string; key: string; message: OutgoingMessage }[] = [];
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

  texts(): string[] {
    return this.sent.map((s) => (s.message.kind === 'text' ? s.message.text : s.message.summary));
  }
}
