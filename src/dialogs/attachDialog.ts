import type { ComponentDialog, DialogTurnResult } from 'botbuilder-dialogs';
import { DialogIds, type AttachOptions, textReply, type Reply, SUBMIT_VERBS } from '../interaction';
import { lastSegment } from '../kernel';
import type { Translator } from '../i18n/catalog';
import { regionName } from '../i18n/azureNames';
import type { Gallery } from '../ports/galleryGateway';
import type { LabHost } from '../ports/labHostGateway';
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

const ATTACH_STEPS = 'attach.steps';
const GALLERIES_PER_PAGE = 8;

/** The choice card's page, kept in the options while the user pages through the galleries. */
interface AttachState extends AttachOptions {
  page?: number;
}

type Step = FlowStepContext<AttachState>;

/** `attach [gallery]`: choose a gallery when none is named, preflight, propose, confirm. */
export function attachDialog(deps: GalleryDialogDeps): ComponentDialog {
  return new GalleryFlowDialog<AttachState>(DialogIds.attach, ATTACH_STEPS, [(s) => chooseGallery(s, deps), (s) => proposeAttach(s, deps), (s) => answered(s, deps)]);
}

async function chooseGallery(step: Step, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const options = step.options;
  if (options.gallery) return step.next({ text: options.gallery } satisfies Input);
  const t = tOf(step);
  let host: LabHost;
  try {
    host = await deps.galleryService.checkCanAttach(options.hostId);
  } catch (error) {
    return endWith(step, deps, error);
  }
  const galleries = (await deps.galleries.listGalleries()).sort((a, b) => a.name.localeCompare(b.name));
  if (!galleries.length) {
    await send(step, deps, textReply(t('attach.noGalleries')));
    return step.endDialog();
  }
  return promptChoice(step, deps, galleryChoice(t, galleries, options.page ?? 0, deps.edge.turn(step.context).conversation.id, host), t('attach.chooseRetry'));
}

function galleryChoice(t: Translator, galleries: Gallery[], page: number, dialogId: string, host: LabHost): Reply {
  return choiceCard(t, galleries, page, dialogId, {
    title: t('attach.chooseTitle'),
    intro: t('attach.chooseIntro'),
    perPage: GALLERIES_PER_PAGE,
    pageLine: (current, pages, count) => t('attach.pageLine', { page: current, pages, count }),
    row: (g) => ({ id: g.id, name: g.name, detail: galleryDetail(t, g, host), pickLabel: t('attach.pick') }),
  });
}

async function proposeAttach(step: Step, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const t = tOf(step);
  const input = step.result as Input;
  const verb = input.value?.verb;
  const navigated = await choiceNavigation(step, deps, input, ATTACH_STEPS);
  if (navigated) return navigated;
  const galleryRef = verb === SUBMIT_VERBS.pickGallery ? String(input.value?.galleryId ?? '') : input.text;
  if (!step.options.gallery) {
    const chosen = (verb === SUBMIT_VERBS.pickGallery ? lastSegment(galleryRef) : galleryRef) || galleryRef;
    await settleChoice(step, deps, t('opcard.galleryChosen', { gallery: chosen }));
  }
  try {
    const preflight = await deps.galleryService.preflightAttach(step.options.hostId, galleryRef);
    const confirmation = await propose(step, deps, 'attach', preflight.gallery.id, { hostId: preflight.host.id, galleryId: preflight.gallery.id });
    const kindKey = preflight.host.kind === 'labPlan' ? 'kind.labPlan' : 'kind.labAccount';
    const notes = [
      preflight.willGrantOwner ? t('attach.note.grantOwner') : preflight.host.kind === 'labPlan' ? t('attach.note.ownerHeld') : t('attach.note.serviceAddsContributor'),
      preflight.imagesArriveEnabled ? t('attach.note.imagesEnabled') : t('attach.note.imagesDisabled'),
      t('attach.note.replicationCost'),
    ];
    return await promptProposal(step, deps, t, {
      title: t('attach.proposalTitle', { gallery: preflight.gallery.name, host: preflight.host.name }),
      facts: [
        { title: t('status.host'), value: `${preflight.host.name} (${t(kindKey)})` },
        { title: t('attach.gallery'), value: `${preflight.gallery.name} · ${preflight.gallery.resourceGroup} · ${regionName(preflight.gallery.location, t.language)}` },
        { title: t('attach.imageDefinitions'), value: String(preflight.imageDefinitionCount) },
      ],
      notes,
      toggleLabel: '',
      confirmationId: confirmation.id,
    });
  } catch (error) {
    return endWith(step, deps, error);
  }
}

/** Where the gallery is, and a warning when its region is not the lab host's (images must replicate there first). */
function galleryDetail(t: Translator, gallery: Gallery, host: LabHost): string {
  const where = `${gallery.resourceGroup} · ${regionName(gallery.location, t.language)}`;
  return gallery.location.toLowerCase() === host.location.toLowerCase() ? where : `${where} · ⚠ ${t('attach.otherRegion', { region: regionName(host.location, t.language), host: host.name })}`;
}
