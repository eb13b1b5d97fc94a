import { ActivityTypes, type Activity, type StatePropertyAccessor } from 'botbuilder';
import {
  ComponentDialog,
  ConfirmPrompt,
  DialogSet,
  ListStyle,
  WaterfallDialog,
  type DialogState,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { renderCard } from '../cards/renderCard';
import { galleryChoiceCard, proposalCard } from '../cards/templates';
import { DialogIds, type DialogRequest, type Reply, textReply } from '../interaction';
import type { ConfirmationService } from '../core/confirmationService';
import { UserError } from '../kernel';
import type { GalleryService } from '../core/galleryService';
import type { ReplicationService } from '../core/replicationService';
import { galleryNameProblem } from '../core/galleryName';
import { createTranslator, type Translator } from '../i18n/catalog';
import type { Gallery, GalleryGateway } from '../ports/galleryGateway';
import { conversationKey } from '../bot/conversationKey';
import { toActivity } from '../bot/replies';
import { InputPrompt, type Input } from './inputPrompt';
import type { ProposalHandler } from './proposals';
import { actingUser, turnCorrelationId } from './turn';

const ATTACH_STEPS = 'attach.steps';
const CREATE_STEPS = 'create.steps';
const CONFIRM = 'confirm';
const INPUT = 'input';
const GALLERIES_PER_PAGE = 8;

export interface GalleryDialogDeps {
  galleries: GalleryGateway;
  galleryService: GalleryService;
  confirmations: ConfirmationService;
  proposals: ProposalHandler;
  replication: ReplicationService;
}

interface AttachState extends DialogRequest {
  page?: number;
  confirmationId?: string;
}

type Step = (step: WaterfallStepContext<AttachState>) => Promise<DialogTurnResult>;

/** One flow: its steps, a confirm prompt (typed yes/no/oui/non) and a prompt that also takes card submissions. */
class GalleryFlowDialog extends ComponentDialog {
  constructor(id: string, stepsId: string, steps: Step[]) {
    super(id);
    const confirm = new ConfirmPrompt(CONFIRM, undefined, 'en-us');
    // The proposal card carries its own buttons; the prompt only listens for typed answers.
    confirm.style = ListStyle.none;
    this.addDialog(confirm);
    this.addDialog(new InputPrompt(INPUT));
    this.addDialog(new WaterfallDialog<AttachState>(stepsId, steps));
    this.initialDialogId = stepsId;
  }
}

export function attachDialog(deps: GalleryDialogDeps): ComponentDialog {
  return new GalleryFlowDialog(DialogIds.attach, ATTACH_STEPS, [(s) => chooseGallery(s, deps), (s) => proposeAttach(s, deps), (s) => answered(s, deps)]);
}

export function createGalleryDialog(deps: GalleryDialogDeps): ComponentDialog {
  return new GalleryFlowDialog(DialogIds.createGallery, CREATE_STEPS, [(s) => askName(s), (s) => proposeCreate(s, deps), (s) => answered(s, deps)]);
}

export function detachDialog(deps: GalleryDialogDeps): ComponentDialog {
  return new GalleryFlowDialog(DialogIds.detach, 'detach.steps', [(s) => proposeDetach(s, deps), (s) => answered(s, deps)]);
}

export function replicateDialog(deps: GalleryDialogDeps): ComponentDialog {
  return new GalleryFlowDialog(DialogIds.replicate, 'replicate.steps', [(s) => proposeReplicate(s, deps), (s) => answered(s, deps)]);
}

/** The attach, create-and-attach, detach and replicate conversations: gather what is missing, preflight, propose, confirm. */
export function createGalleryDialogs(dialogState: StatePropertyAccessor<DialogState>, deps: GalleryDialogDeps): DialogSet {
  return new DialogSet(dialogState).add(attachDialog(deps)).add(createGalleryDialog(deps)).add(detachDialog(deps)).add(replicateDialog(deps));
}

const tOf = (step: WaterfallStepContext<AttachState>): Translator => createTranslator(step.context.activity.locale);

async function send(step: WaterfallStepContext<AttachState>, reply: Reply): Promise<void> {
  await step.context.sendActivity(toActivity(reply));
}

/** Ends the dialog with a message; UserErrors become their localized text. */
async function endWith(step: WaterfallStepContext<AttachState>, error: unknown): Promise<DialogTurnResult> {
  if (!(error instanceof UserError)) throw error;
  const t = tOf(step);
  await send(step, textReply(t.has(error.key) ? t(error.key, error.params) : t('error.apology', { correlationId: turnCorrelationId(step.context) })));
  return step.endDialog();
}

// ---- attach -------------------------------------------------------------------------------------------------

async function chooseGallery(step: WaterfallStepContext<AttachState>, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const options = step.options;
  if (options.args) return step.next({ text: options.args } satisfies Input);
  const t = tOf(step);
  const galleries = (await deps.galleries.listGalleries()).sort((a, b) => a.name.localeCompare(b.name));
  if (!galleries.length) {
    await send(step, textReply(t('attach.noGalleries')));
    return step.endDialog();
  }
  return step.prompt(INPUT, {
    prompt: cardActivity(galleryChoice(t, galleries, options.page ?? 0, conversationKey(step.context.activity.conversation.id))),
    retryPrompt: textActivity(t('attach.chooseRetry')),
  });
}

function galleryChoice(t: Translator, galleries: Gallery[], page: number, dialogId: string): Reply {
  const pages = Math.max(1, Math.ceil(galleries.length / GALLERIES_PER_PAGE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const shown = galleries.slice(current * GALLERIES_PER_PAGE, (current + 1) * GALLERIES_PER_PAGE);
  const card = renderCard(galleryChoiceCard, {
    title: t('attach.chooseTitle'),
    intro: t('attach.chooseIntro'),
    dialogId,
    galleries: shown.map((g) => ({ id: g.id, name: g.name, detail: `${g.resourceGroup} · ${g.location}`, pickLabel: t('attach.pick') })),
    pageLine: t('attach.pageLine', { page: current + 1, pages, count: galleries.length }),
    hasPrevious: current > 0,
    previousPage: current - 1,
    previousLabel: t('common.previous'),
    hasNext: current < pages - 1,
    nextPage: current + 1,
    nextLabel: t('common.next'),
    cancelLabel: t('common.cancel'),
  });
  return { kind: 'card', card, summary: t('attach.chooseTitle') };
}

async function proposeAttach(step: WaterfallStepContext<AttachState>, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const t = tOf(step);
  const input = step.result as Input;
  const verb = input.value?.verb;
  if (verb === 'cancelDialog') {
    await send(step, textReply(t('proposal.cancelled')));
    return step.endDialog();
  }
  if (verb === 'galleryPage') return step.replaceDialog(ATTACH_STEPS, { ...step.options, page: Number(input.value?.page) || 0 });
  const galleryRef = verb === 'pickGallery' ? String(input.value?.galleryId ?? '') : input.text;
  try {
    const preflight = await deps.galleryService.preflightAttach(step.options.hostId, galleryRef);
    const confirmation = await propose(step, deps, 'attach', preflight.gallery.id, { hostId: preflight.host.id, galleryId: preflight.gallery.id });
    const kindKey = preflight.host.kind === 'labPlan' ? 'kind.labPlan' : 'kind.labAccount';
    const notes = [
      preflight.willGrantOwner ? t('attach.note.grantOwner') : preflight.host.kind === 'labPlan' ? t('attach.note.ownerHeld') : t('attach.note.serviceAddsContributor'),
      preflight.imagesArriveEnabled ? t('attach.note.imagesEnabled') : t('attach.note.imagesDisabled'),
      t('attach.note.replicationCost'),
    ];
    return await promptProposal(step, t, {
      title: t('attach.proposalTitle', { gallery: preflight.gallery.name, host: preflight.host.name }),
      facts: [
        { title: t('status.host'), value: `${preflight.host.name} (${t(kindKey)})` },
        { title: t('attach.gallery'), value: `${preflight.gallery.name} · ${preflight.gallery.resourceGroup} · ${preflight.gallery.location}` },
        { title: t('attach.imageDefinitions'), value: String(preflight.imageDefinitionCount) },
      ],
      notes,
      toggleLabel: '',
      confirmationId: confirmation.id,
    });
  } catch (error) {
    return endWith(step, error);
  }
}

// ---- create -------------------------------------------------------------------------------------------------

async function askName(step: WaterfallStepContext<AttachState>): Promise<DialogTurnResult> {
  const t = tOf(step);
  const name = parseCreateArgs(step.options.args).name;
  const problem = name ? galleryNameProblem(name) : undefined;
  if (name && !problem) return step.next({ text: step.options.args } satisfies Input);
  if (problem) await send(step, textReply(t.has(problem.key) ? t(problem.key, problem.params) : t('create.askName')));
  return step.prompt(INPUT, {
    prompt: textActivity(t('create.askName')),
    retryPrompt: textActivity(t('create.askName')),
  });
}

/** `<name> [in <resource group>] [at <region>]`, in any order after the name. */
export function parseCreateArgs(args: string): { name?: string; resourceGroup?: string; location?: string } {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words[0]?.toLowerCase() === 'gallery') words.shift();
  const out: { name?: string; resourceGroup?: string; location?: string } = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const next = words[i + 1];
    if (/^(in|dans)$/i.test(word) && next) {
      out.resourceGroup = next;
      i++;
    } else if (/^(at|à|a)$/i.test(word) && next) {
      out.location = next.toLowerCase();
      i++;
    } else if (!out.name) out.name = word;
  }
  return out;
}

async function proposeCreate(step: WaterfallStepContext<AttachState>, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const t = tOf(step);
  const input = step.result as Input;
  const typedName = parseCreateArgs(input.text).name;
  const parsed = { ...parseCreateArgs(step.options.args), ...(typedName ? { name: typedName } : {}) };
  const problem = parsed.name ? galleryNameProblem(parsed.name) : { key: 'create.askName', params: {} };
  if (problem) {
    await send(step, textReply(t.has(problem.key) ? t(problem.key, problem.params) : t('create.askName')));
    return step.replaceDialog(CREATE_STEPS, { ...step.options, args: '' });
  }
  try {
    const preflight = await deps.galleryService.preflightCreate(step.options.hostId, {
      name: parsed.name ?? '',
      ...(parsed.resourceGroup ? { resourceGroup: parsed.resourceGroup } : {}),
      ...(parsed.location ? { location: parsed.location } : {}),
    });
    const confirmation = await propose(step, deps, 'create', preflight.galleryId, { hostId: preflight.host.id, name: preflight.name, resourceGroup: preflight.resourceGroup, location: preflight.location });
    return await promptProposal(step, t, {
      title: t('create.proposalTitle', { gallery: preflight.name, host: preflight.host.name }),
      facts: [
        { title: t('attach.gallery'), value: preflight.name },
        { title: t('create.resourceGroup'), value: preflight.resourceGroup },
        { title: t('status.region'), value: preflight.location },
        { title: t('status.host'), value: preflight.host.name },
      ],
      notes: [
        t('create.note.creates'),
        preflight.host.kind === 'labPlan' ? t('attach.note.grantOwner') : t('attach.note.serviceAddsContributor'),
        t('attach.note.replicationCost'),
      ],
      toggleLabel: '',
      confirmationId: confirmation.id,
    });
  } catch (error) {
    return endWith(step, error);
  }
}

// ---- detach -------------------------------------------------------------------------------------------------

async function proposeDetach(step: WaterfallStepContext<AttachState>, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const t = tOf(step);
  try {
    const impact = await deps.galleryService.preflightDetach(step.options.hostId);
    const confirmation = await propose(step, deps, 'detach', impact.gallery.id, { hostId: impact.host.id, galleryId: impact.gallery.id });
    const labs = impact.labsUsingGallery.map((l: { name: string; title?: string }) => l.title ?? l.name);
    return await promptProposal(step, t, {
      title: t('detach.proposalTitle', { gallery: impact.gallery.name, host: impact.host.name }),
      facts: [
        { title: t('attach.gallery'), value: impact.gallery.name },
        { title: t('detach.enabledImages'), value: t('detach.enabledOfTotal', { enabled: impact.enabledImageCount, total: impact.imageCount }) },
        { title: t('detach.labs'), value: labs.length ? labs.join(', ') : t('detach.noLabs') },
      ],
      notes: [t('detach.note.teachersLose', { count: impact.enabledImageCount }), t('detach.note.labsKeep'), t('detach.note.galleryKept')],
      toggleLabel: impact.grantedOwnerAssignment ? t('detach.removeRole') : '',
      confirmationId: confirmation.id,
    });
  } catch (error) {
    return endWith(step, error);
  }
}

// ---- replicate ----------------------------------------------------------------------------------------------

async function proposeReplicate(step: WaterfallStepContext<AttachState>, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const t = tOf(step);
  try {
    const [image = '', version] = step.options.args.split(/\s+/).filter(Boolean);
    const p = await deps.replication.preflight(step.options.hostId, image, version);
    const regions = p.regions.map((r) => r.name);
    const confirmation = await propose(step, deps, 'replicate', p.version.id, { hostId: p.host.id, regions, image: p.imageName, version: p.version.name });
    const names = (list: { displayName: string }[]) => list.map((r) => r.displayName).join(', ');
    return await promptProposal(step, t, {
      title: t('replicate.proposalTitle', { image: p.imageName, version: p.version.name, geography: p.geography }),
      facts: [
        { title: t('replicate.fact.image'), value: p.imageName },
        { title: t('replicate.fact.version'), value: p.version.name },
        { title: t('replicate.fact.current'), value: names(p.regions.filter((r) => p.current.includes(r.name))) || p.current.join(', ') },
        { title: t('replicate.fact.add'), value: names(p.toAdd) },
        { title: t('replicate.fact.replicas'), value: t('replicate.replicaCount', { count: p.replicasAfter, regions: p.current.length + p.toAdd.length }) },
      ],
      notes: [t('replicate.note.billed'), t('replicate.note.duration'), t('replicate.note.tracked', { host: p.host.name })],
      toggleLabel: '',
      confirmationId: confirmation.id,
    });
  } catch (error) {
    return endWith(step, error);
  }
}

// ---- shared -------------------------------------------------------------------------------------------------

/** Records the proposal, bound to the requester, and remembers it in the dialog for a typed answer. */
async function propose(
  step: WaterfallStepContext<AttachState>,
  deps: GalleryDialogDeps,
  action: string,
  target: string,
  params: Record<string, unknown>,
): Promise<{ id: string }> {
  const confirmation = await deps.confirmations.propose({
    conversationId: conversationKey(step.context.activity.conversation.id),
    requestedBy: step.options.requestedBy,
    action,
    target,
    params,
  });
  step.options.confirmationId = confirmation.id;
  return confirmation;
}

async function promptProposal(
  step: WaterfallStepContext<AttachState>,
  t: Translator,
  data: { title: string; facts: { title: string; value: string }[]; notes: string[]; toggleLabel: string; confirmationId: string },
): Promise<DialogTurnResult> {
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
  return step.prompt(CONFIRM, {
    prompt: cardActivity({ kind: 'card', card, summary: data.title }),
    retryPrompt: textActivity(t('proposal.retry')),
  });
}

async function answered(step: WaterfallStepContext<AttachState>, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const { confirmationId } = step.options;
  if (confirmationId) {
    const yes = step.result === true;
    const { activity } = step.context;
    const reply = await deps.proposals.answer(confirmationId, yes ? 'yes' : 'no', {
      userId: actingUser(step.context),
      ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}),
      conversationId: conversationKey(activity.conversation.id),
      ...(activity.locale ? { locale: activity.locale } : {}),
      correlationId: turnCorrelationId(step.context),
    });
    await send(step, reply);
  }
  return step.endDialog();
}

function cardActivity(reply: Reply): Partial<Activity> {
  return toActivity(reply);
}

function textActivity(text: string): Partial<Activity> {
  return { type: ActivityTypes.Message, text };
}

