import type { GalleryGateway } from '../ports/galleryGateway';
import type { LabHostGateway, LabHostKind } from '../ports/labHostGateway';
import type { OperationKind, OperationRecord } from '../ports/operations';
import { BuiltInRole, type RoleGateway } from '../ports/roleGateway';
import type { ServicePrincipalLookup } from '../ports/servicePrincipals';
import { AzureError, UserError } from './errors';
import { assignmentsApplyingTo, galleryNameOf, ownerAssignmentsAt, parseGalleryId, type GalleryRef } from './galleryIds';
import { parseLabHostId, sameArmId } from './labHostId';

export type StepName = 'createGallery' | 'grantOwner' | 'attach' | 'detach' | 'revokeOwner' | 'verify';

/** The Azure side of the steps. */
export interface StepGateways {
  labHosts: LabHostGateway;
  galleries: GalleryGateway;
  roles: RoleGateway;
  servicePrincipals: ServicePrincipalLookup;
}

/** What a completed step adds to the operation's `progress` (JSON-safe). */
export type ProgressPatch = Record<string, unknown>;

/** The steps of an operation, in order; a pure function of the record, so a resumed run finds the same list. */
export function stepsOf(op: Pick<OperationRecord, 'kind' | 'hostId' | 'params'>): StepName[] {
  const plan = hostKindOf(op.hostId) === 'labPlan';
  switch (op.kind) {
    case 'attach':
      return plan ? ['grantOwner', 'attach', 'verify'] : ['attach', 'verify'];
    case 'createAndAttach':
      return plan ? ['createGallery', 'grantOwner', 'attach', 'verify'] : ['createGallery', 'attach', 'verify'];
    case 'detach':
      // Only lab plans' principal gets Owner from the bot; a lab account's Contributor is the service's own.
      return plan && op.params.removeRole === true ? ['detach', 'revokeOwner', 'verify'] : ['detach', 'verify'];
  }
}

/**
 * Refuses records the runner could not execute: programming errors of the caller (the bot side builds them
 * from a preflight), not something to tell a user. `target` is the gallery id (its name and resource group
 * come from it); params by kind: createAndAttach `{ location, description? }`, detach `{ removeRole? }`,
 * attach `{ retryOf? }` (the createAndAttach it retries). Other params are kept but ignored.
 */
export function checkOperationInput(kind: OperationKind, hostId: string, target: string, params: Readonly<Record<string, unknown>>): void {
  const host = parseLabHostId(hostId);
  if (!host) throw new TypeError(`${kind}: not a lab plan or lab account id: ${hostId}`);
  const gallery = parseGalleryId(target);
  if (!gallery) throw new TypeError(`${kind}: target is not a compute gallery id: ${target}`);
  if (gallery.subscriptionId !== host.subscriptionId) throw new TypeError(`${kind}: the gallery is in another subscription than the host`);
  if (kind === 'createAndAttach' && (typeof params.location !== 'string' || params.location.trim() === '')) {
    throw new TypeError('createAndAttach: params.location is required');
  }
  if (kind === 'detach' && params.removeRole !== undefined && typeof params.removeRole !== 'boolean') {
    throw new TypeError('detach: params.removeRole must be a boolean');
  }
}

export function hostKindOf(hostId: string): LabHostKind | undefined {
  return parseLabHostId(hostId)?.kind;
}

/**
 * Runs one step. Each looks at Azure first and does nothing that is already done, so running it again
 * after a crash between "Azure did it" and "the journal says so" changes nothing twice.
 */
export async function runStep(step: StepName, op: OperationRecord, gateways: StepGateways): Promise<ProgressPatch> {
  const gallery = targetGallery(op);
  switch (step) {
    case 'createGallery':
      return createGallery(op, gallery, gateways);
    case 'grantOwner':
      return grantOwner(gallery, gateways);
    case 'attach':
      return attach(op, gallery, gateways);
    case 'detach':
      return detach(op, gallery, gateways);
    case 'revokeOwner':
      return revokeOwner(op, gallery, gateways);
    case 'verify':
      return op.kind === 'detach' ? verifyDetached(op, gallery, gateways) : verifyAttached(op, gallery, gateways);
  }
}

function targetGallery(op: OperationRecord): GalleryRef {
  const gallery = parseGalleryId(op.target);
  if (!gallery) throw new TypeError(`operation ${op.id}: target is not a compute gallery id`);
  return gallery;
}

async function createGallery(op: OperationRecord, gallery: GalleryRef, { galleries }: StepGateways): Promise<ProgressPatch> {
  const existing = await galleryIfExists(galleries, gallery.id);
  // A gallery left Failed by an earlier create is created again (a PUT on the same name); any other is kept.
  if (existing && existing.provisioningState?.toLowerCase() !== 'failed') {
    return { galleryId: existing.id, galleryCreated: false };
  }
  const location = typeof op.params.location === 'string' ? op.params.location : '';
  const description = typeof op.params.description === 'string' ? op.params.description : undefined;
  const created = await galleries.createGallery({
    resourceGroup: gallery.resourceGroup,
    name: gallery.name,
    location,
    ...(description ? { description } : {}),
  });
  return { galleryId: created.id || gallery.id, galleryCreated: true };
}

async function galleryIfExists(galleries: GalleryGateway, galleryId: string) {
  try {
    return await galleries.getGallery(galleryId);
  } catch (error) {
    if (error instanceof AzureError && error.kind === 'notFound') return undefined;
    throw error;
  }
}

async function grantOwner(gallery: GalleryRef, { roles, servicePrincipals }: StepGateways): Promise<ProgressPatch> {
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

async function attach(op: OperationRecord, gallery: GalleryRef, { labHosts }: StepGateways): Promise<ProgressPatch> {
  const host = await labHosts.getHost(op.hostId);
  if (sameArmId(host.sharedGalleryId ?? '', gallery.id)) return { attachedNow: false };
  if (host.sharedGalleryId) throw new UserError('attach.alreadyAttached', { gallery: galleryNameOf(host.sharedGalleryId), host: host.name });
  await labHosts.attachGallery(op.hostId, gallery.id);
  return { attachedNow: true };
}

async function verifyAttached(op: OperationRecord, gallery: GalleryRef, { labHosts }: StepGateways): Promise<ProgressPatch> {
  const host = await labHosts.getHost(op.hostId);
  if (!sameArmId(host.sharedGalleryId ?? '', gallery.id)) throw new UserError('attach.verifyFailed', { gallery: gallery.name, host: host.name });
  const images = await labHosts.listImages(op.hostId);
  const enabledCount = images.filter((i) => i.enabled).length;
  return { galleryName: gallery.name, hostName: host.name, imageCount: images.length, enabledCount };
}

async function detach(op: OperationRecord, gallery: GalleryRef, { labHosts }: StepGateways): Promise<ProgressPatch> {
  const host = await labHosts.getHost(op.hostId);
  if (!host.sharedGalleryId) return { detachedNow: false };
  if (!sameArmId(host.sharedGalleryId, gallery.id)) {
    throw new UserError('detach.otherGallery', { gallery: gallery.name, attached: galleryNameOf(host.sharedGalleryId), host: host.name });
  }
  await labHosts.detachGallery(op.hostId);
  return { detachedNow: true };
}

async function revokeOwner(op: OperationRecord, gallery: GalleryRef, { labHosts, roles, servicePrincipals }: StepGateways): Promise<ProgressPatch> {
  const principalId = await servicePrincipals.labServicesObjectId('labPlan');
  // The same principal serves every lab plan: while another plan still has the gallery, its Owner must stay.
  const others = (await labHosts.listHosts()).filter((h) => h.kind === 'labPlan' && !sameArmId(h.id, op.hostId) && sameArmId(h.sharedGalleryId ?? '', gallery.id));
  if (others.length > 0) return { ownerRevoked: [], ownerKeptFor: others.map((h) => h.name) };
  const owned = ownerAssignmentsAt(await roles.listAssignments(gallery.id, { assignedTo: principalId }), principalId, gallery.id);
  for (const assignment of owned) await roles.revoke(assignment.id);
  return { ownerRevoked: owned.map((a) => a.id) };
}

async function verifyDetached(op: OperationRecord, gallery: GalleryRef, { labHosts }: StepGateways): Promise<ProgressPatch> {
  const host = await labHosts.getHost(op.hostId);
  if (sameArmId(host.sharedGalleryId ?? '', gallery.id)) throw new UserError('detach.verifyFailed', { gallery: gallery.name, host: host.name });
  const revoked = Array.isArray(op.progress.ownerRevoked) ? op.progress.ownerRevoked.length : 0;
  const keptFor = Array.isArray(op.progress.ownerKeptFor) ? op.progress.ownerKeptFor.filter((h): h is string => typeof h === 'string') : [];
  return { galleryName: gallery.name, hostName: host.name, ownerRevokedCount: revoked, ownerKeptFor: keptFor };
}
