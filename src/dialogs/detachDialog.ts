import type { ComponentDialog, DialogTurnResult } from 'botbuilder-dialogs';
import { DialogIds, type DetachOptions } from '../interaction';
import { answered, endWith, GalleryFlowDialog, promptProposal, propose, tOf, type FlowStepContext, type GalleryDialogDeps } from './galleryFlow';

/** `detach`: show what the host would lose (images, labs built from them), propose, confirm. */
export function detachDialog(deps: GalleryDialogDeps): ComponentDialog {
  return new GalleryFlowDialog<DetachOptions>(DialogIds.detach, 'detach.steps', [(s) => proposeDetach(s, deps), (s) => answered(s, deps)]);
}

async function proposeDetach(step: FlowStepContext<DetachOptions>, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const t = tOf(step);
  try {
    const impact = await deps.galleryService.preflightDetach(step.options.hostId);
    const confirmation = await propose(step, deps, 'detach', impact.gallery.id, { hostId: impact.host.id, galleryId: impact.gallery.id });
    const labs = impact.labsUsingGallery.map((l: { name: string; title?: string }) => l.title ?? l.name);
    return await promptProposal(step, deps, t, {
      title: t('detach.proposalTitle', { gallery: impact.gallery.name, host: impact.host.name }),
      facts: [
        { title: t('attach.gallery'), value: impact.gallery.name },
        { title: t('detach.enabledImages'), value: t('detach.enabledOfTotal', { enabled: impact.enabledImageCount, total: impact.imageCount }) },
        { title: t('detach.labs'), value: labs.length ? labs.join(', ') : t('detach.noLabs') },
      ],
      notes: [
        t('detach.note.teachersLose', { count: impact.enabledImageCount }),
        t('detach.note.labsKeep'),
        t('detach.note.galleryKept'),
        // A lab plan forgets which images were enabled: after a re-attach an admin enables them again.
        ...(impact.host.kind === 'labPlan' ? [t('detach.note.reattachDisabled')] : []),
      ],
      toggleLabel: impact.grantedOwnerAssignment ? t('detach.removeRole') : '',
      confirmationId: confirmation.id,
    });
  } catch (error) {
    return endWith(step, deps, error);
  }
}
