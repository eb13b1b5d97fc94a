import type { GalleryGateway } from '../ports/galleryGateway';
import type { LabHostGateway, LabSummary } from '../ports/labHostGateway';
import { assignmentsApplyingTo, AzureError, BuiltInRole, galleryNameOf, type GalleryRef, isSameOrUnder, type LabHostKind, type LabHostRef, lastSegment, ownerAssignmentsAt, parseGalleryId, parseLabHostId, ResourceBusyError, sameArmId, UserError } from '../kernel';
import type { OperationKind, OperationRecord } from '../ports/operations';
import type { RoleGateway } from '../ports/roleGateway';
import type { ServicePrincipalLookup } from '../ports/servicePrincipals';
import type { SecretVault } from './secretVault';

export type StepName = 'createGallery' | 'grantOwner' | 'attach' | 'detach' | 'revokeOwner' | 'createLab' | 'setTargetRegions' | 'verify';

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
    case 'createLab':
      return ['createLab', 'verify'];
    case 'replicate':
      return ['setTargetRegions'];
  }
}

/**
 * Refuses records the runner could not execute: programming errors of the caller (the bot side builds them
 * from a preflight), not something to tell a user. `target` is the gallery id (its name and resource group
 * come from it); params by kind: createAndAttach `{ location, description? }`, detach `{ removeRole? }`,
 * attach `{ retryOf? }` (the createAndAttach it retries). Other params are kept but ignored. createLab is
 * checked by `checkCreateLabInput`.
 */
export function checkOperationInput(kind: OperationKind, hostId: string, target: string, params: Readonly<Record<string, unknown>>): void {
  const host = parseLabHostId(hostId);
  if (!host) throw new TypeError(`${kind}: not a lab plan or lab account id: ${hostId}`);
  if (kind === 'createLab') return checkCreateLabInput(host, target, params);
  if (kind === 'replicate') return checkReplicateInput(host, target, params);
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
export async function runStep(step: StepName, op: OperationRecord, gateways: StepGateways, secrets?: Pick<SecretVault, 'get'>): Promise<ProgressPatch> {
  if (op.kind === 'createLab') return runLabStep(step, op, gateways, secrets);
  if (op.kind === 'replicate') return setTargetRegions(op, gateways);
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
    case 'createLab':
    case 'setTargetRegions':
      throw new TypeError(`operation ${op.id}: ${step} is not a step of ${op.kind}`);
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

/**
 * The host as it stands once no change is in flight on it. A host still Updating (say, the attach this
 * operation sent before a crash) is not judged yet: the runner retries the step once it has settled.
 */
async function settledHost(labHosts: LabHostGateway, hostId: string) {
  const host = await labHosts.getHost(hostId);
  const state = host.provisioningState?.toLowerCase();
  if (state && !['succeeded', 'failed', 'canceled'].includes(state)) throw new ResourceBusyError(host.name);
  return host;
}

async function attach(op: OperationRecord, gallery: GalleryRef, { labHosts }: StepGateways): Promise<ProgressPatch> {
  const host = await settledHost(labHosts, op.hostId);
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
  const host = await settledHost(labHosts, op.hostId);
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

/** The ARM id a new lab gets: a top-level resource for lab plans (in the plan's resource group), a child of a lab account. */
export function labIdOf(host: LabHostRef, labName: string): string {
  return host.kind === 'labPlan'
    ? `/subscriptions/${host.subscriptionId}/resourceGroups/${host.resourceGroup}/providers/Microsoft.LabServices/labs/${labName}`
    : `${host.id}/labs/${labName}`;
}

/** What a createLab operation journals: everything `createLab` needs but the password, which is never persisted. */
export interface CreateLabInput {
  name: string;
  title: string;
  imageName: string;
  /** The host's image resource id (what a lab account's createLab names). */
  imageId: string;
  /** The gallery image definition id (what a lab plan's imageReference names); may be empty for lab accounts. */
  imageDefinitionId: string;
  vmSize: string;
  capacity: number;
  usageQuotaHours: number;
  adminUsername: string;
}

/** Refuses a createLab record the runner could not execute, and any that would persist a password. */
export function checkCreateLabInput(host: LabHostRef, target: string, params: Readonly<Record<string, unknown>>): void {
  if (Object.keys(params).some((k) => /password/i.test(k))) throw new TypeError('createLab: params must never carry the password');
  const input = createLabInputOf(params);
  if (!sameArmId(target, labIdOf(host, input.name))) throw new TypeError(`createLab: target is not the id of lab ${input.name} of the host: ${target}`);
}

function createLabInputOf(params: Readonly<Record<string, unknown>>): CreateLabInput {
  const text = (key: keyof CreateLabInput, allowEmpty = false): string => {
    const value = params[key];
    if (typeof value !== 'string' || (!allowEmpty && value.trim() === '')) throw new TypeError(`createLab: params.${key} must be a non-empty string`);
    return value;
  };
  const count = (key: keyof CreateLabInput): number => {
    const value = params[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new TypeError(`createLab: params.${key} must be a whole number`);
    return value;
  };
  return {
    name: text('name'),
    title: text('title'),
    imageName: text('imageName'),
    imageId: text('imageId'),
    imageDefinitionId: text('imageDefinitionId', true),
    vmSize: text('vmSize'),
    capacity: count('capacity'),
    usageQuotaHours: count('usageQuotaHours'),
    adminUsername: text('adminUsername'),
  };
}

async function runLabStep(step: StepName, op: OperationRecord, { labHosts }: StepGateways, secrets: Pick<SecretVault, 'get'> | undefined): Promise<ProgressPatch> {
  const input = createLabInputOf(op.params);
  switch (step) {
    case 'createLab':
      return createLab(op, input, labHosts, secrets);
    case 'verify':
      return verifyLab(op, input, labHosts);
    default:
      throw new TypeError(`operation ${op.id}: ${step} is not a step of createLab`);
  }
}

/**
 * Looks for the lab first: after a crash between "Azure accepted it" and "the journal says so", the lab is
 * there (maybe still Creating) and is not created twice. That check comes before the password is needed,
 * so a restart after Azure accepted the lab does not lose it.
 */
async function createLab(op: OperationRecord, input: CreateLabInput, labHosts: LabHostGateway, secrets: Pick<SecretVault, 'get'> | undefined): Promise<ProgressPatch> {
  const host = lastSegment(op.hostId);
  const existing = await labNamed(labHosts, op.hostId, input.name);
  if (existing) {
    // `start` refused taken names: a lab of that name built from another image is someone else's.
    if (!builtFrom(existing, input)) throw new UserError('lab.nameTaken', { lab: input.name, host });
    if (labState(existing) === 'failed') throw new UserError('lab.provisioningFailed', { lab: input.name, host });
    return { labId: existing.id || op.target, labCreatedNow: false };
  }
  const password = secrets?.get(op.id);
  if (password === undefined) throw new UserError('lab.passwordLost', { lab: input.name, host });
  const lab = await labHosts.createLab(op.hostId, {
    name: input.name,
    title: input.title,
    image: { id: input.imageId, name: input.imageName, definitionId: input.imageDefinitionId },
    vmSize: input.vmSize,
    capacity: input.capacity,
    usageQuotaHours: input.usageQuotaHours,
    adminUser: { username: input.adminUsername, password },
  });
  return { labId: lab.id || op.target, labCreatedNow: true };
}

/** The lab must be listed on the host and Succeeded; while Azure is still creating it, the runner waits. */
async function verifyLab(op: OperationRecord, input: CreateLabInput, labHosts: LabHostGateway): Promise<ProgressPatch> {
  const host = lastSegment(op.hostId);
  const lab = await labNamed(labHosts, op.hostId, input.name);
  if (!lab) throw new UserError('lab.verifyFailed', { lab: input.name, host });
  const state = labState(lab);
  if (state === 'failed') throw new UserError('lab.provisioningFailed', { lab: input.name, host });
  if (state === 'pending') throw new ResourceBusyError(lab.name);
  return { labId: lab.id || op.target, labName: lab.name, labTitle: lab.title ?? input.title, hostName: host, labState: lab.provisioningState ?? 'Succeeded' };
}

async function labNamed(labHosts: LabHostGateway, hostId: string, name: string) {
  const wanted = name.toLowerCase();
  return (await labHosts.listLabs(hostId)).find((l) => l.name.toLowerCase() === wanted);
}

/** Lab plans' labs name the definition (or one of its versions), lab accounts' the shared image; a lab that does not say is taken as built from it. */
function builtFrom(lab: LabSummary, input: CreateLabInput): boolean {
  if (!lab.imageId) return true;
  return sameArmId(lab.imageId, input.imageId) || (input.imageDefinitionId !== '' && isSameOrUnder(lab.imageId, input.imageDefinitionId));
}

/** No provisioningState means nothing is in flight (as the adapters read it). */
function labState(lab: LabSummary): 'succeeded' | 'failed' | 'pending' {
  const state = lab.provisioningState?.toLowerCase();
  if (state === undefined || state === 'succeeded') return 'succeeded';
  if (state === 'failed' || state === 'canceled' || state === 'cancelled') return 'failed';
  return 'pending';
}

const VERSION_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/galleries\/[^/]+\/images\/[^/]+\/versions\/[^/]+$/i;

/** replicate: `target` is an image version id; params `{ regions: string[] }`, the regions it must target. */
function checkReplicateInput(host: LabHostRef, target: string, params: Readonly<Record<string, unknown>>): void {
  const m = VERSION_ID.exec(target);
  if (!m) throw new TypeError(`replicate: target is not an image version id: ${target}`);
  if (m[1]?.toLowerCase() !== host.subscriptionId.toLowerCase()) throw new TypeError('replicate: the version is in another subscription than the host');
  const { regions } = params;
  if (!Array.isArray(regions) || regions.length === 0 || !regions.every((r) => typeof r === 'string' && r !== '')) {
    throw new TypeError('replicate: params.regions must be a non-empty list of region names');
  }
}

/**
 * Adds the regions the version does not target yet (kept ones keep their replica count and progress). Reads
 * first: after a crash between Azure's update and the journal, nothing is missing and nothing is written.
 */
async function setTargetRegions(op: OperationRecord, { galleries }: StepGateways): Promise<ProgressPatch> {
  const wanted = (op.params.regions as string[]).map((r) => r.toLowerCase());
  let version = await galleries.getVersion(op.target);
  const targeted = new Set(version.targetRegions.map((t) => t.name));
  const missing = wanted.filter((r) => !targeted.has(r));
  if (missing.length) {
    version = await galleries.updateTargetRegions(op.target, [...version.targetRegions, ...missing.map((name) => ({ name, replicaCount: 1 }))]);
  }
  return { targets: version.targetRegions.map((t) => t.name).sort(), regionsAdded: missing.length };
}
