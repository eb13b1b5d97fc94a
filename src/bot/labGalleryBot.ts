/**
 * bot/: the Bot Framework edge — the activity handler, routing a turn (routeTurn), the requester, per-turn
 * state, Reply to Activity, the Bot Connector transport. The only code that sees TurnContext and Activity.
 */
import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationState,
  type FileConsentCardResponse,
  type InvokeResponse,
  type StatePropertyAccessor,
} from 'botbuilder';
import type { DialogContext, DialogSet } from 'botbuilder-dialogs';
import type { CardActionRouter } from '../actions/cardActionRouter';
import type { ActionRequest } from '../actions/types';
import type { CommandDispatcher } from '../commands/dispatcher';
import { welcomeReply } from '../commands/welcome';
import { SUBMIT_VERBS, textReply, type CommandServices, type Request } from '../interaction';
import type { CommandResult } from '../commands/types';
import { answererOf, type ProposalHandler } from '../dialogs/proposals';
import type { ConversationDirectory } from '../core/conversationDirectory';
import { createTranslator } from '../i18n/catalog';
import { stripInvisibleDeep } from '../kernel';
import type { Logger } from '../ports/logger';
import { noTelemetry, type Telemetry } from '../ports/telemetry';
import { conversationKey } from './conversationKey';
import { acceptFile, declineFile, deliverFile, type FileDeliveryDeps } from './fileDelivery';
import { normalizeText } from './normalizeText';
import { toActivity } from './replies';
import { actingUserId } from './requester';
import { routeTurn, type DialogStanding, type MessageTurn, type Route } from './routeTurn';
import { beginTurn, describeTurn, tenantOf, turnInfo, type TurnInfo } from './turnState';

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
  /** Tenants whose activities are answered (lower case); empty or absent: any. */
  allowedTenantIds?: readonly string[];
  /** A span and metrics per turn; default none. */
  telemetry?: Telemetry;
  /** Where files made for someone (inventory) wait, and how they reach them. */
  files?: FileDeliveryDeps;
}

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What someone without an Entra object id may still ask: nothing that reads or acts as a person. */
const ANONYMOUS_COMMANDS: ReadonlySet<string> = new Set(['help', 'status']);

/** Telemetry labels are closed sets: activity types and card verbs outside these are counted as `other`. */
const KNOWN_ACTIVITY_TYPES: ReadonlySet<string> = new Set(Object.values(ActivityTypes));

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
      const request = toRequest(context);
      // Never the text, not even its start: people paste passwords into chats.
      turn.log.debug({ command: deps.dispatcher.commandOf(request.text) ?? 'none', chars: request.text.length }, 'message');
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
        await this.remember(context, turnInfo(context).log, { always: true });
      }
      await next();
    });

    // Teams sends this once per install (personal, group chat or team): the one moment to say hello.
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.remember(context, turnInfo(context).log, { always: true });
      await context.sendActivity(toActivity(welcomeReply(createTranslator(context.activity.locale))));
      await next();
    });

    this.onInstallationUpdateRemove(async (context, next) => {
      await deps.conversations.forget(conversationKey(context.activity.conversation.id));
      turnInfo(context).log.info('app uninstalled; reference deleted');
      await next();
    });
  }

  /** Routes the message (routeTurn holds the rules) and carries the route out. */
  private async onMessageTurn(context: TurnContext, request: Request, turn: TurnInfo): Promise<void> {
    const { deps } = this;
    if (!request.user.aadObjectId) {
      // The one identity rule: no Entra object id, nobody. Help and status only; no dialog, no proposal.
      const command = deps.dispatcher.commandOf(request.text);
      const result = submittedValue(context) || command === undefined || !ANONYMOUS_COMMANDS.has(command) ? undefined : await deps.dispatcher.dispatch(request, turn.log);
      if (result && result.kind !== 'dialog' && result.kind !== 'file') {
        await context.sendActivity(toActivity(result));
        return;
      }
      turn.log.info({ command: command ?? 'none' }, 'refused: no Entra object id on the activity');
      await context.sendActivity(toActivity(textReply(createTranslator(request.locale)('identity.required'))));
      return;
    }
    const message: MessageTurn = { text: request.text, isCommand: deps.dispatcher.isCommand(request.text), dialog: 'unread' };
    const value = submittedValue(context);
    if (value) message.value = value;
    let dc: DialogContext | undefined;
    const first = routeTurn(message);
    let route: Route;
    if (first.kind === 'readDialog') {
      dc = await deps.dialogs.createContext(context);
      route = routeTurn({ ...message, dialog: await this.standing(dc, context, request) });
    } else route = first;
    deps.telemetry?.annotateTurn({ route: route.kind });
    switch (route.kind) {
      case 'confirm':
        await deps.proposals.answerInTurn(context, route.confirmationId, route.answer, answererOf(request), {
          removeRole: route.removeRole,
          ...(context.activity.replyToId ? { cardActivityId: context.activity.replyToId } : {}),
        });
        if (route.endOwnDialog && dc) await this.endDialogs(dc, context);
        return;
      case 'continueDialog':
        if (dc) await this.continueDialog(dc, context);
        return;
      case 'refuse':
        // A picker with no flow behind it is dead for everyone: it becomes the refusal (someone else's live flow keeps its card).
        if (route.message === 'proposal.choiceExpired' && context.activity.replyToId) await deps.proposals.retireChoice(context, request.locale, context.activity.replyToId);
        else await context.sendActivity(toActivity(textReply(createTranslator(request.locale)(route.message))));
        return;
      case 'command': {
        // A dispatched command reads dialog state only if it starts a dialog.
        const result = await deps.dispatcher.dispatch(request, turn.log);
        if (result.kind === 'file') {
          if (deps.files) await deliverFile(context, result, deps.files, createTranslator(request.locale), turn.log);
          else await context.sendActivity(toActivity(result.summary));
          return;
        }
        if (result.kind !== 'dialog') {
          await context.sendActivity(toActivity(result));
          return;
        }
        await this.beginDialog(dc ?? (await deps.dialogs.createContext(context)), context, request, result);
        return;
      }
    }
  }

  /** The pending dialog as this sender sees it: only its starter may answer it. */
  private async standing(dc: DialogContext, context: TurnContext, request: Request): Promise<DialogStanding> {
    if (!dc.activeDialog) return 'none';
    const owner = await this.deps.dialogOwner.get(context);
    return owner !== undefined && owner.toLowerCase() === actingUserId(request.user).toLowerCase() ? 'mine' : 'others';
  }

  /** A command's dialog replaces whatever dialog was pending; its starter owns it. */
  private async beginDialog(
    dc: DialogContext,
    context: TurnContext,
    request: Request,
    result: Extract<CommandResult, { kind: 'dialog' }>,
  ): Promise<void> {
    const { deps } = this;
    if (dc.activeDialog) await dc.cancelAllDialogs();
    await deps.dialogOwner.set(context, actingUserId(request.user));
    await dc.beginDialog(result.dialogId, result.options);
    if (!dc.activeDialog) await deps.dialogOwner.delete(context);
  }

  private async continueDialog(dc: DialogContext, context: TurnContext): Promise<void> {
    await dc.continueDialog();
    if (!dc.activeDialog) await this.deps.dialogOwner.delete(context);
  }

  private async endDialogs(dc: DialogContext, context: TurnContext): Promise<void> {
    await dc.cancelAllDialogs();
    await this.deps.dialogOwner.delete(context);
  }

  /**
   * Action.Execute: the verb and data go to the action router as a framework-free request; a card answers in
   * place of the clicked one, a text as a message Teams shows. Failures reach the turn error boundary in `run`.
   */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const turn = turnInfo(context);
    const { user, conversation, locale, correlationId } = describeTurn(context);
    if (!user.aadObjectId) {
      turn.log.info('card action refused: no Entra object id on the activity');
      return messageResponse(createTranslator(locale)('identity.required'));
    }
    const request: ActionRequest = {
      verb: invokeValue.action.verb,
      data: stripInvisibleDeep(invokeValue.action.data),
      ...(locale ? { locale } : {}),
      user,
      conversation: { id: conversation.id, ...(conversation.tenantId ? { tenantId: conversation.tenantId } : {}), ...(conversation.thread ? { thread: conversation.thread } : {}) },
      correlationId,
      ...(context.activity.replyToId ? { cardActivityId: context.activity.replyToId } : {}),
    };
    // Card data is user input: a verb is logged only when it is one of ours.
    // Card data is user input (a verb may be anything, even an object): only our own verbs are logged or labelled.
    const verb = this.knownVerb(request.verb);
    turn.log.debug({ verb: verb ?? '(unknown)' }, 'card action');
    this.deps.telemetry?.annotateTurn({ route: 'action', command: verb ?? 'other' });
    const answer = await this.deps.actions.handle(request, turn.log);
    switch (answer.kind) {
      case 'card':
        return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: answer.card };
      case 'text':
        return messageResponse(answer.text);
      case 'badRequest':
        return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: answer.text } };
    }
  }

  /** Teams' answer to a file consent card (personal chat): upload on accept, forget the file on decline. */
  protected override async handleTeamsFileConsentAccept(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    if (this.deps.files) await acceptFile(context, response, this.deps.files, createTranslator(context.activity.locale), turnInfo(context).log);
  }

  protected override async handleTeamsFileConsentDecline(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    if (this.deps.files) await declineFile(context, response, this.deps.files, createTranslator(context.activity.locale));
  }

  private knownVerb(verb: unknown): string | undefined {
    return typeof verb === 'string' && this.deps.actions.verbs.includes(verb) ? verb : undefined;
  }

  /** A malformed Action.Execute (no `action` object) is the sender's error, 400, not a failed turn. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const { activity } = context;
    if (activity.name === 'adaptiveCard/action') {
      const value: unknown = activity.value;
      const action = value && typeof value === 'object' ? (value as { action?: unknown }).action : undefined;
      if (!action || typeof action !== 'object' || Array.isArray(action)) {
        turnInfo(context).log.info('card action refused: malformed invoke value');
        const t = createTranslator(activity.locale);
        return { status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: t('actions.invalid') } } };
      }
    }
    return super.onInvokeActivity(context);
  }

  override async run(context: TurnContext): Promise<void> {
    const telemetry = this.deps.telemetry ?? noTelemetry;
    const correlationId = randomUUID();
    const type = context.activity.type;
    // The span carries the correlation id, the turn's log lines the trace id: either finds the other.
    await telemetry.turn({ activityType: KNOWN_ACTIVITY_TYPES.has(type) ? type : 'other', correlationId }, async () => {
      const traceId = telemetry.traceId();
      const turn = beginTurn(context, this.deps.log, correlationId, traceId ? { traceId } : undefined);
      try {
        if (!this.fromAllowedTenant(context)) {
          telemetry.annotateTurn({ outcome: 'refused' });
          await this.refuseTenant(context, turn);
          return;
        }
        await super.run(context);
        await this.deps.conversationState.saveChanges(context, false);
      } catch (error) {
        telemetry.annotateTurn({ outcome: 'error' });
        await this.onTurnFailure(context, turn, error);
      }
    });
  }

  private fromAllowedTenant(context: TurnContext): boolean {
    const allowed = this.deps.allowedTenantIds ?? [];
    if (allowed.length === 0) return true;
    const tenantId = tenantOf(context)?.toLowerCase();
    return tenantId !== undefined && allowed.includes(tenantId);
  }

  /**
   * Another tenant (or none where tenants are restricted): one short refusal to a message or an invoke, nothing
   * read, nothing changed, no conversation reference kept; other activities (installs, member changes) are ignored.
   */
  private async refuseTenant(context: TurnContext, turn: TurnInfo): Promise<void> {
    const { activity } = context;
    const tenantId = tenantOf(context);
    // Logged only when it has a tenant id's shape: the field is sender input.
    const shown = tenantId === undefined ? 'none' : TENANT_ID.test(tenantId) ? tenantId : '(not a tenant id)';
    turn.log.info({ tenantId: shown, type: String(activity.type).slice(0, 40) }, 'activity from a tenant not allowed; refused');
    const text = createTranslator(activity.locale)('tenant.notAllowed');
    if (activity.type === ActivityTypes.Invoke) {
      const response: InvokeResponse = { status: 200, body: messageResponse(text) };
      await context.sendActivity({ type: 'invokeResponse', value: response });
    } else if (activity.type === ActivityTypes.Message) {
      await context.sendActivity(text);
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

  private async remember(context: TurnContext, log: Logger, options: { always?: boolean } = {}): Promise<void> {
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
      options,
    );
  }
}

function submittedValue(context: TurnContext): Record<string, unknown> | undefined {
  const { value } = context.activity;
  if (!value || typeof value !== 'object' || Array.isArray(value) || commandButton(context) !== undefined) return undefined;
  return stripInvisibleDeep(value as Record<string, unknown>);
}

/** The command a command button sent (welcome, help, "did you mean"): the turn is then a typed message. */
function commandButton(context: TurnContext): string | undefined {
  const value = context.activity.value as Record<string, unknown> | undefined;
  return value?.verb === SUBMIT_VERBS.command && typeof value.command === 'string' ? value.command : undefined;
}

/** The message as a Request: its text normalised once (mention stripped), the rest as every turn describes it. */
function toRequest(context: TurnContext): Request {
  const { activity } = context;
  const typed = commandButton(context) ?? TurnContext.removeRecipientMention(activity) ?? activity.text;
  return { text: normalizeText(typed), ...describeTurn(context) };
}

/** Teams shows a message response's value, a string, under the card, as plain text: no markdown there. */
function messageResponse(text: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: plainText(text) as unknown as Record<string, unknown> };
}

/** Markdown emphasis and code marks dropped, for the places Teams shows text as is. */
function plainText(markdown: string): string {
  return markdown.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/`([^`]+)`/g, '$1');
}
