import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationState,
  type InvokeResponse,
  type StatePropertyAccessor,
} from 'botbuilder';
import type { DialogSet } from 'botbuilder-dialogs';
import type { CardActionRouter } from '../actions/cardActionRouter';
import type { ActionRequest } from '../actions/types';
import type { CommandDispatcher } from '../commands/dispatcher';
import { type CommandServices, type Reply, type Request, textReply } from '../interaction';
import type { CommandResult } from '../commands/types';
import type { ProposalHandler } from '../dialogs/proposals';
import { setTurnCorrelationId } from '../dialogs/turn';
import type { ConversationDirectory } from '../core/conversationDirectory';
import { createTranslator } from '../i18n/catalog';
import type { Logger } from '../ports/logger';
import { conversationKey } from './conversationKey';
import { normalizeText } from './normalizeText';
import { toActivity } from './replies';

export interface BotDeps {
  dispatcher: CommandDispatcher<CommandServices>;
  conversations: ConversationDirectory;
  conversationState: ConversationState;
  dialogs: DialogSet;
  /** Who started the conversation's pending dialog: only they may answer it. */
  dialogOwner: StatePropertyAccessor<string | undefined>;
  proposals: ProposalHandler;
  /** Answers Action.Execute card buttons (`adaptiveCard/action` invokes). */
  actions: CardActionRouter<CommandServices>;
  log: Logger;
}

/** Card buttons that answer a dialog's pending choice. */
const DIALOG_VERBS: ReadonlySet<string> = new Set(['pickGallery', 'galleryPage', 'cancelDialog']);

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
      await this.onMessageTurn(context, request, turn);
      await next();
    });

    this.onConversationUpdate(async (context, next) => {
      const { activity } = context;
      const botId = activity.recipient.id;
      if (activity.membersRemoved?.some((m) => m.id === botId)) {
        await deps.conversations.forget(conversationKey(activity.conversation.id));
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
      await deps.conversations.forget(conversationKey(context.activity.conversation.id));
      turnInfo(context).log.info('app uninstalled; reference deleted');
      await next();
    });
  }

  /**
   * A card's confirm button goes straight to the proposal (the dialog need not be waiting for it); other card
   * choices and typed answers continue the pending dialog, but only for the person who started it; any command
   * word is a command (and replaces the caller's own pending dialog).
   */
  private async onMessageTurn(context: TurnContext, request: Request, turn: TurnInfo): Promise<void> {
    const { deps } = this;
    const value = submittedValue(context);
    const isCommand = deps.dispatcher.isCommand(request.text);
    if (!value && isCommand) {
      // A typed command never continues a dialog, so its turn reads dialog state only if it starts one.
      const result = await deps.dispatcher.dispatch(request, turn.log);
      if (result.kind !== 'dialog') {
        await context.sendActivity(toActivity(result));
        return;
      }
      await this.beginDialog(await deps.dialogs.createContext(context), context, request, result);
      return;
    }
    const dc = await deps.dialogs.createContext(context);
    const owner = dc.activeDialog ? await deps.dialogOwner.get(context) : undefined;
    const userId = request.user.aadObjectId ?? request.user.id;
    const isOwner = owner !== undefined && owner.toLowerCase() === userId.toLowerCase();
    const t = createTranslator(request.locale);
    const reply = (r: Reply) => context.sendActivity(toActivity(r));

    if (value?.verb === 'confirm') {
      const answer = value.answer === 'yes' ? 'yes' : 'no';
      await reply(
        await deps.proposals.answer(String(value.confirmationId ?? ''), answer, answererOf(request), { removeRole: value.removeRole === 'true' }),
      );
      if (isOwner) await this.endDialogs(dc, context);
      return;
    }
    if (value && DIALOG_VERBS.has(String(value.verb))) {
      if (isOwner) await this.continueDialog(dc, context);
      else await reply(textReply(t(dc.activeDialog ? 'proposal.othersDialog' : 'proposal.choiceExpired')));
      return;
    }
    if (dc.activeDialog && !isCommand && request.text) {
      if (isOwner) await this.continueDialog(dc, context);
      else await reply(textReply(t('proposal.othersDialog')));
      return;
    }
    const result = await deps.dispatcher.dispatch(request, turn.log);
    if (result.kind !== 'dialog') {
      await reply(result);
      return;
    }
    await this.beginDialog(dc, context, request, result);
  }

  /** A command's dialog replaces whatever dialog was pending; its starter owns it. */
  private async beginDialog(
    dc: Awaited<ReturnType<DialogSet['createContext']>>,
    context: TurnContext,
    request: Request,
    result: Extract<CommandResult, { kind: 'dialog' }>,
  ): Promise<void> {
    const { deps } = this;
    if (dc.activeDialog) await dc.cancelAllDialogs();
    await deps.dialogOwner.set(context, request.user.aadObjectId ?? request.user.id);
    await dc.beginDialog(result.dialogId, result.options);
    if (!dc.activeDialog) await deps.dialogOwner.delete(context);
  }

  private async continueDialog(dc: Awaited<ReturnType<DialogSet['createContext']>>, context: TurnContext): Promise<void> {
    await dc.continueDialog();
    if (!dc.activeDialog) await this.deps.dialogOwner.delete(context);
  }

  private async endDialogs(dc: Awaited<ReturnType<DialogSet['createContext']>>, context: TurnContext): Promise<void> {
    await dc.cancelAllDialogs();
    await this.deps.dialogOwner.delete(context);
  }

  /**
   * Action.Execute: the verb and data go to the action router as a framework-free request; a card answers in
   * place of the clicked one, a text as a message Teams shows. Failures reach the turn error boundary in `run`.
   */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const turn = turnInfo(context);
    const { activity } = context;
    const tenantId = tenantOf(context);
    const request: ActionRequest = {
      verb: invokeValue.action.verb,
      data: invokeValue.action.data,
      ...(activity.locale ? { locale: activity.locale } : {}),
      user: {
        id: activity.from.id,
        ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}),
        ...(activity.from.name ? { name: activity.from.name } : {}),
      },
      conversation: { id: conversationKey(activity.conversation.id), ...(tenantId ? { tenantId } : {}) },
      correlationId: turn.correlationId,
    };
    turn.log.debug({ verb: String(request.verb).slice(0, 40) }, 'card action');
    const answer = await this.deps.actions.handle(request, turn.log);
    switch (answer.kind) {
      case 'card':
        return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: answer.card };
      case 'text':
        // Teams shows a message response's value, a string, under the card, as plain text: no markdown there.
        return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: plainText(answer.text) as unknown as Record<string, unknown> };
      case 'badRequest':
        return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: answer.text } };
    }
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
    const conversationId = conversationKey(activity.conversation.id);
    // The channel's, not the thread's, and no activity to reply to: proactive messages start a new post.
    const { activityId: _replyTarget, ...reference } = TurnContext.getConversationReference(activity);
    await this.deps.conversations.remember(
      {
        conversationId,
        ...(tenantId ? { tenantId } : {}),
        // Stored as JSON by the store, so no copy here.
        reference: { ...reference, conversation: { ...reference.conversation, id: conversationId } } as Record<string, unknown>,
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
    log: lazyChild(root, {
      correlationId,
      activityId: activity.id,
      conversationId: activity.conversation?.id,
      aadObjectId: activity.from?.aadObjectId,
    }),
  };
  context.turnState.set(TURN_INFO, info);
  setTurnCorrelationId(context, correlationId);
  return info;
}

type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * root.child(bindings), made when first written to at an enabled level: most turns log nothing, and a pino
 * child costs on every turn (its bindings go through redaction).
 */
function lazyChild(root: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const real = (): Logger => (child ??= root.child(bindings));
  const at =
    (level: LogLevel) =>
    (...args: [obj: object | string, msg?: string]): void => {
      if (root.isLevelEnabled?.(level) === false) return;
      // Passed on as given: pino tells log(obj) from log(obj, undefined) by the argument count.
      real()[level](...args);
    };
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => real().child(more),
    isLevelEnabled: (level) => root.isLevelEnabled?.(level) ?? true,
  };
}

function submittedValue(context: TurnContext): Record<string, unknown> | undefined {
  const { value } = context.activity;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function answererOf(request: Request) {
  return {
    userId: request.user.aadObjectId ?? request.user.id,
    ...(request.user.aadObjectId ? { aadObjectId: request.user.aadObjectId } : {}),
    conversationId: request.conversation.id,
    ...(request.locale ? { locale: request.locale } : {}),
    correlationId: request.correlationId,
  };
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
      id: conversationKey(activity.conversation.id),
      ...(tenantId ? { tenantId } : {}),
      ...(activity.conversation.conversationType ? { type: activity.conversation.conversationType } : {}),
    },
    correlationId,
  };
}

/** Markdown emphasis and code marks dropped, for the places Teams shows text as is. */
export function plainText(markdown: string): string {
  return markdown.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/`([^`]+)`/g, '$1');
}
