import type { ConversationNotifier, OutgoingMessage } from '../../src/ports/notifier';

/** A hand-written fake: keeps what would have been sent proactively. */
export class RecordingNotifier implements ConversationNotifier {
  readonly sent: { conversationId: string; message: OutgoingMessage }[] = [];
  failNext = 0;

  async send(conversationId: string, message: OutgoingMessage): Promise<string | undefined> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('connector unavailable');
    }
    this.sent.push({ conversationId, message });
    return `proactive-${this.sent.length}`;
  }

  texts(): string[] {
    return this.sent.map((s) => (s.message.kind === 'text' ? s.message.text : s.message.summary));
  }
}
