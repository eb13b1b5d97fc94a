import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  ConfirmPrompt,
  ListStyle,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { renderCard } from '../cards/renderCard';
import { galleryChoiceCard, proposalCard, type GalleryChoiceCardData } from '../cards/templates';
import { CANCEL_SYNONYMS, type DialogRequest, isCancelWord, SUBMIT_VERBS, textReply, userMessageOf, type Reply, type Request } from '../interaction';
import type { ConfirmationService } from '../core/confirmationService';
import { UserError } from '../kernel';
import type { GalleryService } from '../core/galleryService';
import type { ReplicationService } from '../core/replicationService';
import { createTranslator, type Translator } from '../i18n/catalog';
import type { GalleryGateway } from '../ports/galleryGateway';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { outcomeCard } from '../operations/statusCards';
import { InputPrompt, type Input } from './inputPrompt';
import { answererOf, type ProposalHandler } from './proposals';

const CONFIRM = 'confirm';
export const INPUT = 'input';

/** A turn as the bot edge describes it to a dialog step: who acts, where, in which language, under which id. */
export type DialogTurn = Omit<Request, 'text'>;

/**
 * What the dialogs need of the bot edge, which owns the turn and the Bot Framework activity shape. Injected so
 * that dialogs do not import bot/.
 */
export interface DialogEdge {
  turn(context: TurnContext): DialogTurn;
  activity(reply: Reply): Partial<Activity>;
}

export interface GalleryDialogDeps {
  galleries: GalleryGateway;
  galleryService: GalleryService;
  confirmations: ConfirmationService;
  proposals: ProposalHandler;
  replication: ReplicationService;
  edge: DialogEdge;
  clock: Clock;
  logger: Logger;
}

/** Kept in a flow's options once it has proposed, so that a typed yes/no answers that proposal. */
export interface ProposalState {
  confirmationId?: string;
  /** The message of the card the flow is waiting on (proposal, picker): replaced by its outcome once answered. */
  cardActivityId?: string;
  /** A choice card being paged: the flow restarts to show another page, which replaces this message in place. */
  pagedCardId?: string;
}

export type FlowStepContext<O extends DialogRequest> = WaterfallStepContext<O & ProposalState>;
export type FlowStep<O extends DialogRequest> = (step: FlowStepContext<O>) => Promise<DialogTurnResult>;

/** One flow: its steps, a confirm prompt (typed yes/no/oui/non) and a prompt that also takes card submissions. */
export class GalleryFlowDialog<O extends DialogRequest> extends ComponentDialog {
  constructor(id: string, stepsId: string, steps: FlowStep<O>[]) {
    super(id);
    const confirm = new ConfirmPrompt(CONFIRM, undefined, 'en-us');
    // The proposal card carries its own buttons; the prompt only listens for typed answers.
    confirm.style = ListStyle.none;
    // Its recogniser knows yes/no/oui/non; "cancel", "stop", "annuler" mean no as well.
    confirm.confirmChoices = [
      { value: 'yes', synonyms: ['oui', 'ok', 'confirm', 'confirmer'] },
      { value: 'no', synonyms: [...CANCEL_SYNONYMS] },
    ];
    this.addDialog(confirm);
    this.addDialog(new InputPrompt(INPUT));
    this.addDialog(new WaterfallDialog<O & ProposalState>(stepsId, steps));
    this.initialDialogId = stepsId;
  }
}

export const tOf = (step: WaterfallStepContext<object>): Translator => createTranslator(step.context.activity.locale);

export async function send(step: WaterfallStepContext<object>, deps: GalleryDialogDeps, reply: Reply): Promise<void> {
  await step.context.sendActivity(deps.edge.activity(reply));
}

/** Ends the dialog with a message; UserErrors become their localized text. */
export async function endWith(step: WaterfallStepContext<object>, deps: GalleryDialogDeps, error: unknown): Promise<DialogTurnResult> {
  if (!(error instanceof UserError)) throw error;
  const t = tOf(step);
  const text = t(userMessageOf(error, { key: 'error.apology', params: { correlationId: deps.edge.turn(step.context).correlationId } }));
  await send(step, deps, textReply(text));
  return step.endDialog();
}

/** Records the proposal, bound to the requester, and remembers it in the dialog for a typed answer. */
export async function propose<O extends DialogRequest>(
  step: FlowStepContext<O>,
  deps: GalleryDialogDeps,
  action: string,
  target: string,
  params: Record<string, unknown>,
): Promise<{ id: string }> {
  const confirmation = await deps.confirmations.propose({
    conversationId: deps.edge.turn(step.context).conversation.id,
    requestedBy: step.options.requestedBy,
    action,
    target,
    params,
  });
  step.options.confirmationId = confirmation.id;
  return confirmation;
}

export interface ProposalView {
  title: string;
  facts: { title: string; value: string }[];
  notes: string[];
  toggleLabel: string;
  confirmationId: string;
}

export async function promptProposal<O extends DialogRequest>(step: FlowStepContext<O>, deps: GalleryDialogDeps, t: Translator, data: ProposalView): Promise<DialogTurnResult> {
  const card = renderCard(proposalCard, {
    title: data.title,
    facts: data.facts,
    notes: data.notes.map((text) => ({ text })),
    warning: '',
    toggleLabel: data.toggleLabel,
    footer: t('proposal.footer'),
    confirmationId: data.confirmationId,
    confirmLabel: t('common.confirm'),
    cancelLabel: t('common.cancel'),
  });
  rememberCardId(step);
  return step.prompt(CONFIRM, {
    prompt: deps.edge.activity({ kind: 'card', card, summary: data.title }),
    retryPrompt: textActivity(t('proposal.retry')),
  });
}

/** The last step of every flow: a typed yes/no answers the pending proposal. */
export async function answered<O extends DialogRequest>(step: FlowStepContext<O>, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const { confirmationId } = step.options;
  if (confirmationId) {
    const yes = step.result === true;
    const { cardActivityId } = step.options;
    // Typed: a used-up proposal is answered in words, below what was typed, rather than on its card far above.
    await deps.proposals.answerInTurn(step.context, confirmationId, yes ? 'yes' : 'no', answererOf(deps.edge.turn(step.context)), { typed: true, ...(cardActivityId ? { cardActivityId } : {}) });
  }
  return step.endDialog();
}

export function textActivity(text: string): Partial<Activity> {
  return { type: ActivityTypes.Message, text };
}

/** A prompt answered with "cancel", "no", "stop", "annuler"…: says nothing was changed and ends the flow. */
export async function cancelledByWord(step: WaterfallStepContext<object>, deps: GalleryDialogDeps, input: Input | undefined): Promise<DialogTurnResult | undefined> {
  if (!input?.text || input.value || !isCancelWord(input.text)) return undefined;
  await send(step, deps, textReply(tOf(step)('proposal.cancelled')));
  return step.endDialog();
}

/** What a choice card lists (galleries for `attach`, images for `replicate`), and how. */
export interface ChoiceView<T> {
  title: string;
  intro: string;
  perPage: number;
  pageLine(page: number, pages: number, count: number): string;
  row(item: T): GalleryChoiceCardData['galleries'][number];
}

/** One page of a choice card, with its paging and Cancel buttons; a page out of range shows the nearest. */
export function choiceCard<T>(t: Translator, items: readonly T[], page: number, dialogId: string, view: ChoiceView<T>): Reply {
  const pages = Math.max(1, Math.ceil(items.length / view.perPage));
  const current = Math.min(Math.max(0, page), pages - 1);
  const card = renderCard(galleryChoiceCard, {
    title: view.title,
    intro: view.intro,
    dialogId,
    galleries: items.slice(current * view.perPage, (current + 1) * view.perPage).map((item) => view.row(item)),
    pageLine: view.pageLine(current + 1, pages, items.length),
    hasPrevious: current > 0,
    previousPage: current - 1,
    previousLabel: t('common.previous'),
    hasNext: current < pages - 1,
    nextPage: current + 1,
    nextLabel: t('common.next'),
    cancelLabel: t('common.cancel'),
  });
  return { kind: 'card', card, summary: view.title };
}

/**
 * A choice card's answer that picks nothing: Cancel (its button or a cancel word) ends the flow, a page button
 * shows that page (the flow restarts at `stepsId` on it). Undefined when the answer picks something.
 */
export async function choiceNavigation<O extends DialogRequest & { page?: number }>(
  step: FlowStepContext<O>,
  deps: GalleryDialogDeps,
  input: Input,
  stepsId: string,
): Promise<DialogTurnResult | undefined> {
  const t = tOf(step);
  const verb = input.value?.verb;
  if (verb === SUBMIT_VERBS.cancelDialog || (!input.value && isCancelWord(input.text))) {
    await settleChoice(step, deps, t('opcard.cancelled'), true);
    await send(step, deps, textReply(t('proposal.cancelled')));
    return step.endDialog();
  }
  if (verb === SUBMIT_VERBS.galleryPage) {
    const page = Number(input.value?.page) || 0;
    const { cardActivityId, ...options } = step.options;
    const pagedCardId = cardActivityId ?? step.context.activity.replyToId;
    return step.replaceDialog(stepsId, { ...options, page, ...(pagedCardId ? { pagedCardId } : {}) });
  }
  return undefined;
}

/**
 * Waits on a choice card: posted (its id noted, as `rememberCardId`), or, when the flow restarted to show another
 * page of it, put in place of the card that was paged, with no new message. A client that cannot update a message
 * gets the page as a new one.
 */
export async function promptChoice<O extends DialogRequest>(step: FlowStepContext<O>, deps: GalleryDialogDeps, card: Reply, retryText: string): Promise<DialogTurnResult> {
  const activity = deps.edge.activity(card);
  const retryPrompt = textActivity(retryText);
  const { pagedCardId } = step.options;
  delete step.options.pagedCardId;
  if (pagedCardId) {
    try {
      await step.context.updateActivity({ ...activity, id: pagedCardId });
      step.options.cardActivityId = pagedCardId;
      // The page is shown already: the prompt only waits (and asks again in words if the answer is not understood).
      return await step.prompt(INPUT, { retryPrompt });
    } catch (error) {
      deps.logger.info({ err: error }, 'choice card not updated in place; posting the page instead');
    }
  }
  rememberCardId(step);
  return step.prompt(INPUT, { prompt: activity, retryPrompt });
}

/**
 * Notes the id of the next card this turn sends (the prompt's) in the flow's options, so that a typed answer can
 * replace that card by its outcome as a click would.
 */
export function rememberCardId<O extends DialogRequest>(step: FlowStepContext<O>): void {
  let noted = false;
  step.context.onSendActivities(async (_context, activities, next) => {
    const responses = await next();
    if (!noted) {
      const index = activities.findIndex((a) => (a.attachments?.length ?? 0) > 0);
      const id = index >= 0 ? responses[index]?.id : undefined;
      if (id) {
        step.options.cardActivityId = id;
        noted = true;
      }
    }
    return responses;
  });
}

/**
 * The choice card the flow waited on, answered (a button or a typed answer): replaced in place by what became of
 * it, "Chosen by Alex Wilber · 16:03", so that none of its buttons can be pressed again.
 */
export async function settleChoice<O extends DialogRequest>(step: FlowStepContext<O>, deps: GalleryDialogDeps, headline: string, cancelled = false): Promise<void> {
  const input = step.result as Input | undefined;
  const cardActivityId = step.options.cardActivityId ?? (input?.value ? step.context.activity.replyToId : undefined);
  delete step.options.cardActivityId;
  if (!cardActivityId) return;
  const t = tOf(step);
  const name = step.context.activity.from?.name;
  const card = outcomeCard(t, headline, { key: cancelled ? 'opcard.by.cancelled' : 'opcard.by.chosen', ...(name ? { name } : {}), at: deps.clock.now() });
  try {
    await step.context.updateActivity({ ...deps.edge.activity(card), id: cardActivityId });
  } catch (error) {
    // The old card stays; its buttons then answer a flow that has moved on, which says so.
    deps.logger.info({ err: error }, 'answered choice card not updated');
  }
}
