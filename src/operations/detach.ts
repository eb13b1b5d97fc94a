import { galleryNameOf, ownerAssignmentsAt, type GalleryRef, UserError, lastSegment, sameArmId } from '../kernel';
import type { Translator } from '../i18n/catalog';
import type { DetachProgress, OperationRecordOf } from '../ports/operations';
import { checkGalleryTarget, isLabPlan, settledHost, targetGallery } from './gallerySteps';
import { checkedParams, notAStepOf, type OperationKindModule, type StepGateways } from './operationKind';
import { failureReason, reference } from './reports';

type DetachOperation = OperationRecordOf<'detach'>;

/** Detach the host's gallery; on a lab plan, and when asked, revoke the Owner the bot granted on it. */
export const detachKind: OperationKindModule<'detach'> = {
  kind: 'detach',
  checkInput(host, target, params) {
    checkGalleryTarget('detach', host, target);
    return checkedParams('detach', params);
  },
  // Only lab plans' principal gets Owner from the bot; a lab account's Contributor is the service's own.
  steps: (op) => (isLabPlan(op.hostId) && op.params.removeRole === true ? ['detach', 'revokeOwner', 'verify'] : ['detach', 'verify']),
  async runStep(step, op, { gateways }) {
    const gallery = targetGallery(op);
    switch (step) {
      case 'detach':
        return detach(op, gallery, gateways);
      case 'revokeOwner':
        return revokeOwner(op, gallery, gateways);
      case 'verify':
        return verifyDetached(op, gallery, gateways);
      default:
        return notAStepOf(step, op);
    }
  },
  auditDetail: (op) => (op.progress.ownerRevokedCount !== undefined ? `ownerRevoked=${op.progress.ownerRevokedCount}` : undefined),
  report,
};

async function detach(op: DetachOperation, gallery: GalleryRef, { labHosts }: StepGateways): Promise<DetachProgress> {
  const host = await settledHost(labHosts, op.hostId);
  if (!host.sharedGalleryId) return { detachedNow: false };
  if (!sameArmId(host.sharedGalleryId, gallery.id)) {
    throw new UserError('detach.otherGallery', { gallery: gallery.name, attached: galleryNameOf(host.sharedGalleryId), host: host.name });
  }
  await labHosts.detachGallery(op.hostId);
  return { detachedNow: true };
}

async function revokeOwner(op: DetachOperation, gallery: GalleryRef, { labHosts, roles, servicePrincipals }: StepGateways): Promise<DetachProgress> {
  const principalId = await servicePrincipals.labServicesObjectId('labPlan');
  // The same principal serves every lab plan: while another plan still has the gallery, its Owner must stay.
  const others = (await labHosts.listHosts()).filter((h) => h.kind === 'labPlan' && !sameArmId(h.id, op.hostId) && sameArmId(h.sharedGalleryId ?? '', gallery.id));
  if (others.length > 0) return { ownerRevoked: [], ownerKeptFor: others.map((h) => h.name) };
  const owned = ownerAssignmentsAt(await roles.listAssignments(gallery.id, { assignedTo: principalId }), principalId, gallery.id);
  for (const assignment of owned) await roles.revoke(assignment.id);
  return { ownerRevoked: owned.map((a) => a.id) };
}

async function verifyDetached(op: DetachOperation, gallery: GalleryRef, { labHosts }: StepGateways): Promise<DetachProgress> {
  const host = await labHosts.getHost(op.hostId);
  if (sameArmId(host.sharedGalleryId ?? '', gallery.id)) throw new UserError('detach.verifyFailed', { gallery: gallery.name, host: host.name });
  return { galleryName: gallery.name, hostName: host.name, ownerRevokedCount: op.progress.ownerRevoked?.length ?? 0, ownerKeptFor: op.progress.ownerKeptFor ?? [] };
}

/** Detached, and what became of the Owner role (removed, or kept for the plans still using the gallery); or why not. */
function report(op: DetachOperation, t: Translator): string {
  const gallery = lastSegment(op.target);
  const host = lastSegment(op.hostId);
  if (op.status !== 'succeeded') return `${t('operation.failed.detach', { gallery, host })} ${failureReason(op, t)} ${reference(op, t)}`;
  const kept = op.progress.ownerKeptFor ?? [];
  const role = (op.progress.ownerRevokedCount ?? 0) > 0 ? ` ${t('operation.roleRemoved')}` : kept.length ? ` ${t('operation.ownerKept', { plans: kept.join(', ') })}` : '';
  return `${t('operation.succeeded.detach', { gallery, host })}${role}`;
}
