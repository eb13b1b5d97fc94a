import { AzureError, ResourceBusyError, UserError, assignmentsApplyingTo, galleryNameOf, ownerAssignmentsAt, parseGalleryId, type GalleryRef, parseLabHostId, sameArmId, type LabHostRef, BuiltInRole } from '../kernel';
import type { GalleryGateway } from '../ports/galleryGateway';
import type { LabHostGateway } from '../ports/labHostGateway';
import type { AttachedProgress, GrantOwnerProgress, OperationKind } from '../ports/operations';
import { notAStepOf, type StepGateways, type StepName } from './operationKind';

/** Steps and checks shared by the gallery kinds (attach, createAndAttach, detach). */

/** Whether the host is a lab plan: only lab plans' principal gets Owner from the bot. */
export function isLabPlan(hostId: string): boolean {
  return parseLabHostId(hostId)?.kind === 'labPlan';
}

/** The target must be a compute gallery in the host's subscription. */
export function checkGalleryTarget(kind: OperationKind, host: LabHostRef, target: string): GalleryRef {
  const gallery = parseGalleryId(target);
  if (!gallery) throw new TypeError(`${kind}: target is not a compute gallery id: ${target}`);
  if (gallery.subscriptionId !== host.subscriptionId) throw new TypeError(`${kind}: the gallery is in another subscription than the host`);
  return gallery;
}

export function targetGallery(op: { id: string; target: string }): GalleryRef {
  const gallery = parseGalleryId(op.target);
  if (!gallery) throw new TypeError(`operation ${op.id}: target is not a compute gallery id`);
  return gallery;
}

export async function galleryIfExists(galleries: GalleryGateway, galleryId: string) {
  try {
    return await galleries.getGallery(galleryId);
  } catch (error) {
    if (error instanceof AzureError && error.kind === 'notFound') return undefined;
    throw error;
  }
}

export async function grantOwner(gallery: GalleryRef, { roles, servicePrincipals }: StepGateways): Promise<GrantOwnerProgress> {
  const principalId = await servicePrincipals.labServicesObjectId('labPlan');
  const held = assignmentsApplyingTo(await roles.listAssignments(gallery.id, { assignedTo: principalId }), gallery.id).filter(
    (a) => a.roleDefinitionGuid.toLowerCase() === BuiltInRole.owner,
  );
  const atGallery = ownerAssignmentsAt(held, principalId, gallery.id)[0];
  if (atGallery) return { principalObjectId: principalId, ownerAssignmentId: atGallery.id, ownerGranted: false };
  // Owner inherited from the resource group or above (directly or through a group) is enough for the service.
  const inherited = held[0];
  if (inherited) return { principalObjectId: principalId, ownerInheritedFrom: inherited.scope, ownerGranted: false };
  const granted = await roles.grant(gallery.id, principalId, BuiltInRole.owner, 'ServicePrincipal');
  return {
    principalObjectId: principalId,
    ownerGranted: granted.created,
    ...(granted.assignment ? { ownerAssignmentId: granted.assignment.id } : {}),
  };
}

/**
 * The host as it stands once no change is in flight on it. A host still Updating (say, the attach this
 * operation sent before a crash) is not judged yet: the runner retries the step once it has settled.
 */
export async function settledHost(labHosts: LabHostGateway, hostId: string) {
  const host = await labHosts.getHost(hostId);
  const state = host.provisioningState?.toLowerCase();
  if (state && !['succeeded', 'failed', 'canceled'].includes(state)) throw new ResourceBusyError(host.name);
  return host;
}

export async function attach(hostId: string, gallery: GalleryRef, { labHosts }: StepGateways): Promise<AttachedProgress> {
  const host = await settledHost(labHosts, hostId);
  if (sameArmId(host.sharedGalleryId ?? '', gallery.id)) return { attachedNow: false };
  if (host.sharedGalleryId) throw new UserError('attach.alreadyAttached', { gallery: galleryNameOf(host.sharedGalleryId), host: host.name });
  await labHosts.attachGallery(hostId, gallery.id);
  return { attachedNow: true };
}

export async function verifyAttached(hostId: string, gallery: GalleryRef, { labHosts }: StepGateways): Promise<AttachedProgress> {
  const host = await labHosts.getHost(hostId);
  if (!sameArmId(host.sharedGalleryId ?? '', gallery.id)) throw new UserError('attach.verifyFailed', { gallery: gallery.name, host: host.name });
  const images = await labHosts.listImages(hostId);
  const enabledCount = images.filter((i) => i.enabled).length;
  return { galleryName: gallery.name, hostName: host.name, imageCount: images.length, enabledCount };
}

/** The steps attach and createAndAttach share: the role grant (lab plans), the attach, and its verification. */
export function runAttachStep(step: StepName, op: { id: string; kind: OperationKind; hostId: string; target: string }, gateways: StepGateways): Promise<GrantOwnerProgress | AttachedProgress> {
  const gallery = targetGallery(op);
  switch (step) {
    case 'grantOwner':
      return grantOwner(gallery, gateways);
    case 'attach':
      return attach(op.hostId, gallery, gateways);
    case 'verify':
      return verifyAttached(op.hostId, gallery, gateways);
    default:
      return notAStepOf(step, op);
  }
}
