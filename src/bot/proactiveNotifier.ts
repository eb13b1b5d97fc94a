import type { CloudAdapterBase, ConversationReference } from 'botbuilder';
import type { ConversationNotifier, OutgoingMessage } from '../ports/notifier';
import type { ConversationRefStore } from '../ports/stores';
import { toActivity } from './replies';

/** Sends outside of a turn through the stored conversation reference (Bot Framework's proactive messaging). */
export class ProactiveNotifier implements ConversationNotifier {
  constructor(
    private readonly adapter: CloudAdapterBase,
    private readonly appId: string,
    private readonly refs: ConversationRefStore,
  ) {}

  async send(conversationId: string, message: OutgoingMessage): Promise<string | undefined> {
    const stored = await this.refs.get(conversationId);
    if (!stored) throw new Error(`no conversation reference for ${conversationId}`);
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.appId, stored.reference as Partial<ConversationReference>, async (context) => {
      id = (await context.sendActivity(toActivity(message)))?.id;
    });
    return id;
  }
}
