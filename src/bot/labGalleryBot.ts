import { randomUUID } from 'node:crypto';
import { ActivityTypes, TeamsActivityHandler, TurnContext, type ConversationState, type InvokeResponse } from 'botbuilder';
import type { CommandDispatcher } from '../commands/dispatcher';
import type { CommandServices } from '../commands/services';
import type { Request } from '../commands/types';
import type { ConversationDirectory } from '../core/conversationDirectory';
import { createTranslator } from '../i18n/catalog';
import type { Logger } from '../ports/logger';
import { normalizeText } from './normalizeText';
import { toActivity } from './replies';

export interface BotDeps {
  dispatcher: CommandDispatcher<CommandServices>;
  conversations: ConversationDirectory;
  conversationState: ConversationState;
  log: Logger;
}

interface TurnInfo {
  correlationId: string;
  log: Logger;
}

const TURN_INFO = Symbol('turnInfo');

/**
 * The Bot Framework edge: the only class that sees TurnContext. It turns a message into a Request for the
 * dispatcher, sends the Reply, keeps conversation references, and is the one turn error boundary.
 */
export class LabGalleryBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();

    this.onMessage(async (context, next) => {
      const turn = turnInfo(context);
      await this.remember(context, turn.log);
      const request = toRequest(context, turn.correlationId);
      turn.log.debug({ text: request.text.slice(0, 80) }, 'message');
      const reply = await deps.dispatcher.dispatch(request, turn.log);
      await context.sendActivity(toActivity(reply));
      await next();
    });

    this.onConversationUpdate(async (context, next) => {
      const { activity } = context;
      const botId = activity.recipient.id;
      if (activity.membersRemoved?.some((m) => m.id === botId)) {
        await deps.conversations.forget(activity.conversation.id);
        turnInfo(context).log.info('bot removed from conversation; reference deleted');
      } else if (activity.membersAdded?.some((m) => m.id === botId)) {
        await this.remember(context, turnInfo(context).log);
      }
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.remember(context, turnInfo(context).log);
      await next();
    });

    this.onInstallationUpdateRemove(async (context, next) => {
      await deps.conversations.forget(context.activity.conversation.id);
      turnInfo(context).log.info('app uninstalled; reference deleted');
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    const turn = turnInfo(context, this.deps.log);
    try {
      await super.run(context);
      await this.deps.conversationState.saveChanges(context, false);
    } catch (error) {
      await this.onTurnFailure(context, turn, error);
    }
  }

  /** Logs with the ids; tells the user something short and safe, never the error's own text. */
  private async onTurnFailure(context: TurnContext, turn: TurnInfo, error: unknown): Promise<void> {
    turn.log.error({ err: error }, 'turn failed');
    const t = createTranslator(context.activity.locale);
    try {
      if (context.activity.type === ActivityTypes.Invoke) {
        const response: InvokeResponse = {
          status: 500,
          body: {
            statusCode: 500,
            type: 'application/vnd.microsoft.error',
            value: { code: 'InternalError', message: t('error.invokeFailed', { correlationId: turn.correlationId }) },
          },
        };
        await context.sendActivity({ type: 'invokeResponse', value: response });
      } else if (context.activity.type === ActivityTypes.Message) {
        await context.sendActivity(t('error.apology', { correlationId: turn.correlationId }));
      }
    } catch (sendError) {
      turn.log.error({ err: sendError }, 'could not tell the user about the failure');
    }
  }

  private async remember(context: TurnContext, log: Logger): Promise<void> {
    const { activity } = context;
    const tenantId = tenantOf(context);
    await this.deps.conversations.remember(
      {
        conversationId: activity.conversation.id,
        ...(tenantId ? { tenantId } : {}),
        reference: JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as Record<string, unknown>,
      },
      log,
    );
  }
}

function turnInfo(context: TurnContext, root?: Logger): TurnInfo {
  const existing = context.turnState.get(TURN_INFO) as TurnInfo | undefined;
  if (existing) return existing;
  if (!root) throw new Error('turn info read before the turn started');
  const { activity } = context;
  const correlationId = randomUUID();
  const info: TurnInfo = {
    correlationId,
    log: root.child({
      correlationId,
      activityId: activity.id,
      conversationId: activity.conversation?.id,
      aadObjectId: activity.from?.aadObjectId,
    }),
  };
  context.turnState.set(TURN_INFO, info);
  return info;
}

function tenantOf(context: TurnContext): string | undefined {
  const channelData = context.activity.channelData as { tenant?: { id?: string } } | undefined;
  return channelData?.tenant?.id ?? context.activity.conversation.tenantId;
}

export function toRequest(context: TurnContext, correlationId: string): Request {
  const { activity } = context;
  const text = normalizeText(TurnContext.removeRecipientMention(activity) ?? activity.text);
  const tenantId = tenantOf(context);
  return {
    text,
    ...(activity.locale ? { locale: activity.locale } : {}),
    user: {
      id: activity.from.id,
      ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}),
      ...(activity.from.name ? { name: activity.from.name } : {}),
    },
    conversation: {
      id: activity.conversation.id,
      ...(tenantId ? { tenantId } : {}),
      ...(activity.conversation.conversationType ? { type: activity.conversation.conversationType } : {}),
    },
    correlationId,
  };
}
