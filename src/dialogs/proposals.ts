import type { Activity, TurnContext } from 'botbuilder';
import { lastSegment, UserError } from '../kernel';
import type { Answer, AnswerResult, ConfirmationService } from '../core/confirmationService';
import type { GalleryService } from '../core/galleryService';
import type { OperationRunner } from '../core/operationRunner';
import { createTranslator, type Translator } from '../i18n/catalog';
import { hasRole, type AccessPolicy } from '../ports/accessPolicy';
import type { Confirmation } from '../ports/confirmations';
import type { OperationKind, OperationRecord } from '../ports/operations';
import type { Logger } from '../ports/logger';
import type { OperationPosts } from '../operations/operationPosts';
import { cardTime, outcomeCard, runningCard, statusMessage, type Deed } from '../operations/statusCards';
import type { Clock } from '../ports/clock';
import type { AuditLog } from '../ports/stores';
import { actingUserId, displayNameOf, textReply, userMessageOf, type Reply, type Request } from '../interaction';
import type { UserMessage } from '../kernel';

/** Who answers, and where: never taken from card data. */
export interface Answerer {
  userId: string;
  aadObjectId?: string;
  /** Their channel account id and name: for the card's "Confirmed by" and an @mention, never for identity. */
  channelUserId?: string;
  name?: string;
  conversationId: string;
  /** The channel post whose thread the answer came from. */
  thread?: string;
  locale?: string;
  correlationId: string;
}

/** The answerer of a turn: the acting user (their Entra object id: the one identity rule), in this conversation. */
export function answererOf(turn: Omit<Request, 'text'>): Answerer {
  const userId = actingUserId(turn.user);
  const name = displayNameOf(turn.user);
  return {
    userId,
    aadObjectId: userId,
    ...(turn.user.id ? { channelUserId: turn.user.id } : {}),
    ...(name ? { name } : {}),
    conversationId: turn.conversation.id,
    ...(turn.conversation.thread ? { thread: turn.conversation.thread } : {}),
    ...(turn.locale ? { locale: turn.locale } : {}),
    correlationId: turn.correlationId,
  };
}

export interface ProposalDeps {
  confirmations: ConfirmationService;
  galleryService: GalleryService;
  runner: OperationRunner;
  policy: AccessPolicy;
  audit: AuditLog;
  clock: Clock;
  /** Where an operation's card is recorded before the operation is launched, so that its end updates it. */
  posts: OperationPosts;
  /** A Reply as the activity the edge would send (dialogs do not import bot/). */
  toActivity: (reply: Reply) => Partial<Activity>;
  logger: Logger;
}

/** What an answer came to: what to say, and whether the proposal card is now answered (and what it started). */
export interface ProposalAnswer {
  reply: Reply;
  outcome?: 'confirmed' | 'cancelled';
  started?: OperationRecord;
  /** A refusal because the proposal is used up (expired, or answered before): its card has nothing left to press. */
  spent?: SpentProposal;
}

/** A proposal that can no longer be answered, and how it ended (or what changed since it was made). */
export type SpentProposal = Extract<AnswerResult, { kind: 'expired' | 'alreadyAnswered' }> | { kind: 'changed'; confirmation: Confirmation; message: UserMessage };

const OPERATION_OF: Readonly<Record<string, OperationKind>> = {
  attach: 'attach',
  create: 'createAndAttach',
  detach: 'detach',
  replicate: 'replicate',
  retryRegions: 'retryRegions',
};

/**
 * Answers a proposal (typed yes/no in a dialog, or a card button) and, when confirmed by its proposer who is
 * still an admin of the host, journals the operation and launches it. The turn never waits on Azure.
 */
export class ProposalHandler {
  constructor(private readonly deps: ProposalDeps) {}

  /**
   * Answers in a turn and shows it where it was asked: the proposal card (`cardActivityId`, when known) is
   * replaced by what became of it — the operation's card, updated in place until it ends, or "Cancelled by …" —
   * and the operation is launched only once that card is recorded. A button of a proposal used up (expired,
   * answered before) replaces its card by how it ended, with no button left; a typed answer to it, and any other
   * refusal (not yours, host busy…), leaves the card as it is and says why.
   */
  async answerInTurn(
    context: TurnContext,
    confirmationId: string,
    answer: Answer,
    who: Answerer,
    extras: { removeRole?: boolean; cardActivityId?: string; typed?: boolean } = {},
  ): Promise<void> {
    const result = await this.answer(confirmationId, answer, who, extras);
    const { deps } = this;
    if (!result.outcome) {
      const spentCard = result.spent && extras.cardActivityId && !extras.typed ? await this.spentCard(result.spent, who, extras.cardActivityId) : undefined;
      if (spentCard) await placeCard(context, deps.toActivity(spentCard), extras.cardActivityId, deps.logger);
      else await context.sendActivity(deps.toActivity(result.reply));
      return;
    }
    const t = createTranslator(who.locale);
    const deed: Deed = { key: result.outcome === 'confirmed' ? 'opcard.by.confirmed' : 'opcard.by.cancelled', ...(who.name ? { name: who.name } : {}), at: deps.clock.now() };
    const op = result.started;
    const card = op ? runningCard(op, t, deed) : outcomeCard(t, t('opcard.cancelled'), deed);
    const activityId = await placeCard(context, deps.toActivity(card), extras.cardActivityId, deps.logger);
    if (!op) return;
    if (activityId) {
      try {
        await deps.posts.record(op.id, { conversationId: who.conversationId, activityId, ...(who.thread ? { thread: who.thread } : {}), user: { id: who.channelUserId ?? who.userId, ...(who.name ? { name: who.name } : {}) } }, card);
      } catch (error) {
        // The outcome is then posted as a new message rather than on this card.
        deps.logger.warn({ err: error, operationId: op.id }, 'operation card not recorded');
      }
    }
    deps.runner.launch(op.id);
  }

  /**
   * What a used-up proposal's card becomes: "This proposal expired · Expired at 16:03 · type **detach** again",
   * "Cancelled by Alex Wilber · 16:03"… Only its proposer gets this far (anyone else is refused first), so the
   * name is theirs. Undefined when the card is the started operation's own (the outbox keeps that one current).
   */
  private async spentCard(spent: SpentProposal, who: Answerer, cardActivityId: string): Promise<Reply | undefined> {
    const t = createTranslator(who.locale);
    const { confirmation } = spent;
    if (spent.kind === 'changed') {
      return statusMessage({ headline: t(spent.message), headlineColor: 'Attention', footer: t('opcard.notStarted', { command: confirmation.action }) });
    }
    const outcome = spent.kind === 'expired' ? 'expired' : spent.outcome;
    const name = who.name ? { name: who.name } : {};
    const at = confirmation.usedAt ?? this.deps.clock.now();
    switch (outcome) {
      case 'expired':
        return statusMessage({
          headline: t('opcard.proposalExpired'),
          footer:
            confirmation.action === 'retryRegions'
              ? t('opcard.expiredAtRetry', { time: cardTime(confirmation.expiresAt) })
              : t('opcard.expiredAt', { time: cardTime(confirmation.expiresAt), command: confirmation.action }),
        });
      case 'cancelled':
        return outcomeCard(t, t('opcard.cancelled'), { key: 'opcard.by.cancelled', ...name, at });
      case 'confirmed': {
        if (confirmation.operationId && (await this.isOperationCard(confirmation.operationId, cardActivityId))) return undefined;
        return outcomeCard(t, t('proposal.alreadyConfirmed'), { key: 'opcard.by.confirmed', ...name, at });
      }
    }
  }

  /** Whether the card became the operation's own; when the store cannot say (logged), it is taken as so and left alone. */
  private async isOperationCard(operationId: string, cardActivityId: string): Promise<boolean> {
    try {
      return (await this.deps.posts.get(operationId))?.activityId === cardActivityId;
    } catch (error) {
      this.deps.logger.warn({ err: error, operationId }, 'operation card not read');
      return true;
    }
  }

  /**
   * A choice card (picker) pressed once no flow waits on it any more: nothing can answer it, so it says so in place
   * of its buttons, for everyone who sees it.
   */
  async retireChoice(context: TurnContext, locale: string | undefined, cardActivityId: string): Promise<void> {
    const t = createTranslator(locale);
    await placeCard(context, this.deps.toActivity(statusMessage({ headline: t('proposal.choiceExpired') })), cardActivityId, this.deps.logger);
  }

  /** The answer, with the operation it journaled when confirmed: the caller launches it (`answerInTurn` does). */
  async answer(confirmationId: string, answer: Answer, who: Answerer, extras: { removeRole?: boolean } = {}): Promise<ProposalAnswer> {
    const t = createTranslator(who.locale);
    const { confirmations } = this.deps;
    if (answer === 'no') {
      const result = await confirmations.answer(confirmationId, who.conversationId, who.userId, 'no');
      // A 'no' never confirms; the narrowing is for the compiler.
      if (result.kind === 'confirmed') return { reply: textReply(t('proposal.unknown')) };
      return refused(t, result, result.kind === 'cancelled' ? { outcome: 'cancelled' } : {});
    }
    const seen = await confirmations.inspect(confirmationId, who.conversationId, who.userId);
    if (seen.kind !== 'open') return refused(t, seen);
    return this.execute(seen.confirmation, who, t, extras);
  }

  /**
   * Journals the operation first and consumes the proposal only once it is journaled: a host busy with another
   * change leaves the proposal open (and is audited), and of two racing answers the one that does not consume
   * abandons its journal entry unlaunched.
   */
  private async execute(confirmation: Confirmation, who: Answerer, t: Translator, extras: { removeRole?: boolean }): Promise<ProposalAnswer> {
    const { deps } = this;
    const hostId = String(confirmation.params.hostId ?? '');
    // Ten minutes may have passed: the role is checked again, at the moment it matters.
    const role = await deps.policy.roleOf(who.aadObjectId ? { aadObjectId: who.aadObjectId } : {}, hostId);
    if (!hasRole(role, 'admin')) return { reply: textReply(t('proposal.noLongerAdmin')) };
    const kind = OPERATION_OF[confirmation.action];
    if (!kind) return { reply: textReply(t('proposal.unknown')) };
    // The host may have changed since the proposal (another admin, the portal): then it is not started, and says why.
    const changed = await deps.galleryService.changedSinceProposal(kind, hostId, confirmation.target);
    if (changed) {
      const message = userMessageOf(changed, { key: 'proposal.unknown', params: {} });
      return { reply: textReply(t(message)), spent: { kind: 'changed', confirmation, message } };
    }
    const params = kind === 'detach' ? { ...confirmation.params, removeRole: extras.removeRole === true } : confirmation.params;
    let operation;
    try {
      operation = await deps.galleryService.start(kind, {
        hostId,
        target: confirmation.target,
        requestedBy: who.userId,
        ...(who.name ? { requestedByName: who.name } : {}),
        conversationId: who.conversationId,
        locale: who.locale ?? 'en-US',
        correlationId: who.correlationId,
        params,
      });
    } catch (error) {
      if (!(error instanceof UserError) || error.key !== 'operation.busy') throw error;
      // A second click racing the first finds the host busy with this very proposal's operation.
      const now = await deps.confirmations.inspect(confirmation.id, who.conversationId, who.userId);
      if (now.kind !== 'open') return refused(t, now);
      return { reply: await this.refuseBusy(confirmation, hostId, who, t, error) };
    }
    if (!(await deps.confirmations.consume(confirmation.id, 'confirmed'))) {
      await deps.galleryService.abandon(operation);
      return refused(t, await deps.confirmations.raced(confirmation));
    }
    await deps.confirmations.attachOperation(confirmation.id, operation.id);
    const deed: Deed = { key: 'opcard.by.confirmed', ...(who.name ? { name: who.name } : {}), at: deps.clock.now() };
    return { reply: runningCard(operation, t, deed), outcome: 'confirmed', started: operation };
  }

  /** What runs on the host, and since when; the proposal is left as it was. */
  private async refuseBusy(confirmation: Confirmation, hostId: string, who: Answerer, t: Translator, error: UserError): Promise<Reply> {
    const { deps } = this;
    const now = deps.clock.now();
    const running = await deps.galleryService.runningOn(hostId);
    const runningKind = running?.kind ?? String(error.params.kind ?? '');
    const what = t(isOperationKind(runningKind) ? `operation.what.${runningKind}` : 'operation.what.other');
    await deps.audit.append({
      time: now,
      userId: who.userId,
      conversationId: who.conversationId,
      command: confirmation.action,
      target: confirmation.target,
      outcome: 'refused',
      correlationId: who.correlationId,
      detail: `operation.busy running=${runningKind || 'unknown'}${running ? ` operation=${running.id}` : ''}`,
    });
    return textReply(
      t('proposal.hostBusy', {
        host: lastSegment(hostId),
        what,
        minutes: running ? Math.max(0, Math.round((now - running.createdAt) / 60_000)) : 0,
        left: Math.max(1, Math.ceil((confirmation.expiresAt - now) / 60_000)),
      }),
    );
  }
}

const OPERATION_KINDS: ReadonlySet<string> = new Set<OperationKind>(['attach', 'createAndAttach', 'detach', 'replicate', 'createLab', 'retryRegions']);

function isOperationKind(value: string): value is OperationKind {
  return OPERATION_KINDS.has(value);
}

/** A refusal's words, and whether it is because the proposal is used up. */
function refused(t: Translator, result: Exclude<AnswerResult, { kind: 'confirmed' }>, extra: Pick<ProposalAnswer, 'outcome'> = {}): ProposalAnswer {
  const spent = result.kind === 'expired' || result.kind === 'alreadyAnswered' ? { spent: result } : {};
  return { reply: textReply(describe(t, result)), ...extra, ...spent };
}

function describe(t: Translator, result: Exclude<AnswerResult, { kind: 'confirmed' }>): string {
  switch (result.kind) {
    case 'cancelled':
      return t('proposal.cancelled');
    case 'notYours':
      return t('proposal.notYours');
    case 'expired':
      return t('proposal.expired', { command: result.confirmation.action });
    case 'alreadyAnswered':
      return t(
        result.outcome === 'confirmed' ? 'proposal.alreadyConfirmed' : result.outcome === 'expired' ? 'proposal.alreadyExpired' : 'proposal.alreadyCancelled',
      );
    case 'unknown':
      return t('proposal.unknown');
  }
}

/** Replaces the answered card in place when its id is known (and the channel allows it); otherwise posts a new one. */
export async function placeCard(context: TurnContext, activity: Partial<Activity>, cardActivityId: string | undefined, logger: Logger): Promise<string | undefined> {
  if (cardActivityId) {
    try {
      await context.updateActivity({ ...activity, id: cardActivityId });
      return cardActivityId;
    } catch (error) {
      // Not every client lets a message be updated: a new message says the same.
      logger.info({ err: error }, 'answered card not updated; posting its outcome instead');
    }
  }
  return (await context.sendActivity(activity))?.id;
}
