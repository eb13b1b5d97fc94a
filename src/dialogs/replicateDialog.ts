import type { ComponentDialog, DialogTurnResult } from 'botbuilder-dialogs';
import { DialogIds, parseReplicateArgs, textReply, type ReplicateArgs, type ReplicateOptions, SUBMIT_VERBS } from '../interaction';
import type { ImageDefinition } from '../ports/galleryGateway';
import { geographyName, regionName, regionNames } from '../i18n/azureNames';
import {
  answered,
  choiceCard,
  choiceNavigation,
  endWith,
  GalleryFlowDialog,
  promptChoice,
  promptProposal,
  propose,
  send,
  settleChoice,
  tOf,
  type FlowStepContext,
  type GalleryDialogDeps,
} from './galleryFlow';
import type { Input } from './inputPrompt';

const REPLICATE_STEPS = 'replicate.steps';
const IMAGES_PER_PAGE = 8;

/** The picker's page, kept in the options while the user pages through the images. */
interface ReplicateState extends ReplicateOptions {
  page?: number;
}

type Step = FlowStepContext<ReplicateState>;

/** `replicate [<image> [<version>]]`: an image picker when none is named; then the regions still missing, proposed, confirmed. */
export function replicateDialog(deps: GalleryDialogDeps): ComponentDialog {
  return new GalleryFlowDialog<ReplicateState>(DialogIds.replicate, REPLICATE_STEPS, [(s) => chooseImage(s, deps), (s) => proposeReplicate(s, deps), (s) => answered(s, deps)]);
}

/** Without an image named: the gallery's images as buttons (typing a name works too), as `attach` offers galleries. */
async function chooseImage(step: Step, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  if (step.options.image) return step.next();
  const t = tOf(step);
  let images: ImageDefinition[];
  try {
    images = (await deps.replication.images(step.options.hostId)).images;
  } catch (error) {
    return endWith(step, deps, error);
  }
  if (!images.length) {
    await send(step, deps, textReply(t('replicate.noImages')));
    return step.endDialog();
  }
  const card = choiceCard(t, images, step.options.page ?? 0, deps.edge.turn(step.context).conversation.id, {
    title: t('replicate.chooseTitle'),
    intro: t('replicate.chooseIntro'),
    perPage: IMAGES_PER_PAGE,
    pageLine: (page, pages, count) => t('replicate.pageLine', { page, pages, count }),
    row: (image) => ({ id: image.name, name: image.name, detail: image.osType, pickLabel: t('replicate.pick') }),
  });
  return promptChoice(step, deps, card, t('replicate.chooseRetry'));
}

async function proposeReplicate(step: Step, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const t = tOf(step);
  const input = step.result as Input | undefined;
  if (input) {
    const navigated = await choiceNavigation(step, deps, input, REPLICATE_STEPS);
    if (navigated) return navigated;
    const verb = input.value?.verb;
    // A typed answer reads like the command's arguments: `physics-ubuntu 1.0.0` names a version too.
    const picked: ReplicateArgs = verb === SUBMIT_VERBS.pickGallery ? { image: String(input.value?.galleryId ?? '') } : parseReplicateArgs(input.text);
    await settleChoice(step, deps, t('opcard.imageChosen', { image: picked.image }));
    Object.assign(step.options, picked);
  }
  try {
    const { image, version } = step.options;
    const p = await deps.replication.preflight(step.options.hostId, image, version);
    const regions = p.regions.map((r) => r.name);
    const confirmation = await propose(step, deps, 'replicate', p.version.id, { hostId: p.host.id, regions, image: p.imageName, version: p.version.name });
    const names = (list: { name: string; displayName: string }[]) => list.map((r) => regionName(r.name, t.language, r.displayName)).join(', ');
    return await promptProposal(step, deps, t, {
      title: t('replicate.proposalTitle', { image: p.imageName, version: p.version.name, geography: geographyName(p.geography, t.language) }),
      facts: [
        { title: t('replicate.fact.image'), value: p.imageName },
        { title: t('replicate.fact.version'), value: p.version.name },
        { title: t('replicate.fact.current'), value: names(p.regions.filter((r) => p.current.includes(r.name))) || regionNames(p.current, t.language) },
        { title: t('replicate.fact.add'), value: names(p.toAdd) },
        { title: t('replicate.fact.replicas'), value: t('replicate.replicaCount', { count: p.replicasAfter, regions: p.current.length + p.toAdd.length }) },
      ],
      notes: [t('replicate.note.billed'), t('replicate.note.duration'), t('replicate.note.tracked', { host: p.host.name })],
      toggleLabel: '',
      confirmationId: confirmation.id,
    });
  } catch (error) {
    return endWith(step, deps, error);
  }
}
