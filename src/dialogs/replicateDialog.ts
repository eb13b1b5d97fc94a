import type { ComponentDialog, DialogTurnResult } from 'botbuilder-dialogs';
import { DialogIds, type ReplicateOptions } from '../interaction';
import { answered, endWith, GalleryFlowDialog, promptProposal, propose, tOf, type FlowStepContext, type GalleryDialogDeps } from './galleryFlow';

/** `replicate <image> [<version>]`: the regions of the host's geography still missing, proposed, confirmed. */
export function replicateDialog(deps: GalleryDialogDeps): ComponentDialog {
  return new GalleryFlowDialog<ReplicateOptions>(DialogIds.replicate, 'replicate.steps', [(s) => proposeReplicate(s, deps), (s) => answered(s, deps)]);
}

async function proposeReplicate(step: FlowStepContext<ReplicateOptions>, deps: GalleryDialogDeps): Promise<DialogTurnResult> {
  const t = tOf(step);
  try {
    const { image, version } = step.options;
    const p = await deps.replication.preflight(step.options.hostId, image, version);
    const regions = p.regions.map((r) => r.name);
    const confirmation = await propose(step, deps, 'replicate', p.version.id, { hostId: p.host.id, regions, image: p.imageName, version: p.version.name });
    const names = (list: { displayName: string }[]) => list.map((r) => r.displayName).join(', ');
    return await promptProposal(step, deps, t, {
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
    return endWith(step, deps, error);
  }
}
