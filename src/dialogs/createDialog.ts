import type { ComponentDialog, DialogTurnResult } from 'botbuilder-dialogs';
import { DialogIds, type CreateGalleryOptions, parseCreateArgs, textReply, userMessageOf } from '../interaction';
import { galleryNameProblem } from '../core/galleryName';
import { regionName } from '../i18n/azureNames';
import {
  answered,
  cancelledByWord,
  endWith,
  GalleryFlowDialog,
  INPUT,
  promptProposal,
  propose,
  send,
  textActivity,
  tOf,
  type FlowStepContext,
  type GalleryDialogDeps,
} from './galleryFlow';
import type { Input } from './inputPrompt';

const CREATE_STEPS = 'create.steps';

type Step = FlowStepContext<CreateGalleryOptions>;

/** `create <name> [in <rg>] [at <region>]`: ask for a valid name when it is missing, preflight, propose, confirm. */
export function createGalleryDialog(deps: GalleryDialogDeps): ComponentDialog {
  return new GalleryFlowDialog<CreateGalleryOptions>(DialogIds.createGallery, CREATE_STEPS, [(s) => askName(s, deps), (s) => proposeCreate(s, deps), (s) => answered(s, deps)]);
}

async function askName(step: Step, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const t = tOf(step);
  const { name } = step.options;
  // Before asking for a name: a host that already has a gallery gets no question.
  try {
    await deps.galleryService.checkCanAttach(step.options.hostId);
  } catch (error) {
    return endWith(step, deps, error);
  }
  const problem = name ? galleryNameProblem(name) : undefined;
  // No result: the next step takes the name from the options.
  if (name && !problem) return step.next();
  if (problem) await send(step, deps, textReply(t(userMessageOf(problem, { key: 'create.askName', params: {} }))));
  return step.prompt(INPUT, {
    prompt: textActivity(t('create.askName')),
    retryPrompt: textActivity(t('create.askName')),
  });
}

async function proposeCreate(step: Step, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const t = tOf(step);
  const typed = step.result as Input | undefined;
  const cancelled = await cancelledByWord(step, deps, typed);
  if (cancelled) return cancelled;
  // A typed answer's name wins; the resource group and region stay those of the command.
  const name = (typed ? parseCreateArgs(typed.text).name : undefined) ?? step.options.name;
  const problem = name ? galleryNameProblem(name) : { key: 'create.askName', params: {} };
  if (problem) {
    await send(step, deps, textReply(t(userMessageOf(problem, { key: 'create.askName', params: {} }))));
    const { hostId, requestedBy } = step.options;
    return step.replaceDialog(CREATE_STEPS, { hostId, requestedBy } satisfies CreateGalleryOptions);
  }
  const { resourceGroup, location } = step.options;
  try {
    const preflight = await deps.galleryService.preflightCreate(step.options.hostId, {
      name: name ?? '',
      ...(resourceGroup ? { resourceGroup } : {}),
      ...(location ? { location } : {}),
    });
    const confirmation = await propose(step, deps, 'create', preflight.galleryId, { hostId: preflight.host.id, name: preflight.name, resourceGroup: preflight.resourceGroup, location: preflight.location });
    return await promptProposal(step, deps, t, {
      title: t('create.proposalTitle', { gallery: preflight.name, host: preflight.host.name }),
      facts: [
        { title: t('attach.gallery'), value: preflight.name },
        { title: t('create.resourceGroup'), value: preflight.resourceGroup },
        { title: t('status.region'), value: regionName(preflight.location, t.language) },
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
    return endWith(step, deps, error);
  }
}
