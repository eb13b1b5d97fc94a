import { AzureError, ResourceBusyError, UserError, assignmentsApplyingTo, galleryNameOf, ownerAssignmentsAt, parseGalleryId, type GalleryRef, parseLabHostId, sameArmId, type LabHostRef, BuiltInRole } from '../kernel';
import type { GalleryGateway } from '../ports/galleryGateway';
import type { LabHostGateway } from '../ports/labHostGateway';
import type { AttachedProgress, GrantOwnerProgress, OperationKind } from '../ports/operations';
import { notAStepOf, type StepContext, type StepGateways, type StepName } from './operationKind';

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

export async function grantOwner(gallery: GalleryRef, { roles, servicePrincipals }: StepGateways, now?: () => number): Promise<GrantOwnerProgress> {
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
    ...(granted.created && now ? { ownerGrantedAt: now() } : {}),
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

/** How long an attach waits for Azure to honour a fresh Owner grant (Azure: "up to ~10 minutes"). */
export const ROLE_PROPAGATION_WINDOW_MS = 10 * 60_000;
const ROLE_RETRY_FIRST_MS = 5_000;
const ROLE_RETRY_MAX_MS = 60_000;

/**
 * Whether the attach failed because the Lab Services principal's role on the gallery is not honoured yet.
 * What Lab Services answers then is unconfirmed without a subscription. Taken as such: the emulator's
 * MissingGalleryOwnerRole, and a 403 (AuthorizationFailed, LinkedAuthorizationFailed) whose message names the
 * Lab Services principal. Any other 403 is the bot's own missing permission (or unreadable): waiting does not
 * fix that, so it fails at once and says which permission.
 */
export function isRoleNotYetEffective(error: unknown, labServicesPrincipalId: string | undefined): boolean {
  if (!(error instanceof AzureError)) return false;
  const code = error.detail.armCode?.toLowerCase();
  if (code === 'missinggalleryownerrole') return true;
  if (error.kind !== 'notAuthorized' || (code !== 'authorizationfailed' && code !== 'linkedauthorizationfailed')) return false;
  return labServicesPrincipalId !== undefined && (error.detail.armMessage ?? '').toLowerCase().includes(labServicesPrincipalId.toLowerCase());
}

/**
 * The attach, retried with backoff while Azure has not yet honoured the Owner just granted, for up to the
 * propagation window from the grant (or from now, when the grant is older or not ours). The requester is told
 * once that the bot is waiting. A restart re-enters here (the grant is journaled), so it never grants twice.
 */
export async function attachWhenRoleEffective(
  hostId: string,
  gallery: GalleryRef,
  progress: GrantOwnerProgress,
  { gateways, clock, notify }: StepContext,
): Promise<AttachedProgress> {
  if (!clock) return attach(hostId, gallery, gateways);
  const deadline = (progress.ownerGrantedAt ?? clock.now()) + ROLE_PROPAGATION_WINDOW_MS;
  // The waits are summed too: a clock whose sleeps take no time (the bot-level tests) still ends the loop.
  let waited = 0;
  for (let retry = 0; ; retry++) {
    try {
      return await attach(hostId, gallery, gateways);
    } catch (error) {
      if (!isRoleNotYetEffective(error, progress.principalObjectId)) throw error;
      const remaining = Math.min(deadline - clock.now(), ROLE_PROPAGATION_WINDOW_MS - waited);
      if (remaining <= 0) throw error;
      if (retry === 0) await notify?.('rolePropagation', { key: 'operation.waitingForRole', params: { gallery: gallery.name } });
      const wait = Math.min(ROLE_RETRY_FIRST_MS * 2 ** retry, ROLE_RETRY_MAX_MS, remaining);
      waited += wait;
      await clock.sleep(wait);
    }
  }
}

/** The steps attach and createAndAttach share: the role grant (lab plans), the attach, and its verification. */
export function runAttachStep(
  step: StepName,
  op: { id: string; kind: OperationKind; hostId: string; target: string; progress: Readonly<GrantOwnerProgress> },
  context: StepContext,
): Promise<GrantOwnerProgress | AttachedProgress> {
  const gallery = targetGallery(op);
  const { gateways, clock } = context;
  switch (step) {
    case 'grantOwner':
      return grantOwner(gallery, gateways, clock ? () => clock.now() : undefined);
    case 'attach':
      return attachWhenRoleEffective(op.hostId, gallery, op.progress, context);
    case 'verify':
      return verifyAttached(op.hostId, gallery, gateways);
    default:
      return notAStepOf(step, op);
  }
}
