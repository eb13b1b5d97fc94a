import { BuiltInRole, type RoleAssignment } from '../ports/roleGateway';
import { lastSegment } from './labHostId';

export interface GalleryRef {
  /** Canonical ARM id (lowercase subscription, provider and type as Azure spells them). */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const GALLERY_ID = /^\/+subscriptions\/([0-9a-f-]{36})\/resourcegroups\/([-\w.()]{1,90})\/providers\/microsoft\.compute\/galleries\/([\w.]{1,80})\/?$/i;

/** Parses the ARM id of an Azure Compute Gallery; child resources (images, versions) and anything else are undefined. */
export function parseGalleryId(value: string): GalleryRef | undefined {
  const m = GALLERY_ID.exec(value.trim());
  if (!m) return undefined;
  const [, subscriptionId = '', resourceGroup = '', name = ''] = m;
  return { id: galleryIdOf(subscriptionId, resourceGroup, name), subscriptionId: subscriptionId.toLowerCase(), resourceGroup, name };
}

export function galleryIdOf(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId.toLowerCase()}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/galleries/${name}`;
}

export function resourceGroupIdOf(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId.toLowerCase()}/resourceGroups/${resourceGroup}`;
}

/** Whether `id` is `parent` itself or lies below it (segment-wise, case-insensitive). */
export function isSameOrUnder(id: string, parent: string): boolean {
  const child = normalize(id);
  const root = normalize(parent);
  return root === '' || child === root || child.startsWith(`${root}/`);
}

export function galleryNameOf(galleryId: string): string {
  return parseGalleryId(galleryId)?.name ?? lastSegment(galleryId);
}

/** What the Lab Services principal holds on a gallery, strongest first. */
export type PrincipalRole = 'owner' | 'contributor' | 'other' | 'none';

/**
 * Only assignments at the gallery or above it grant anything on it (a list for a scope may also return
 * ones below it, and ones without a scope are unreadable).
 */
export function assignmentsApplyingTo(assignments: readonly RoleAssignment[], resourceId: string): RoleAssignment[] {
  return assignments.filter((a) => a.scope.trim() !== '' && isSameOrUnder(resourceId, a.scope));
}

export function strongestRole(assignments: readonly RoleAssignment[]): PrincipalRole {
  const guids = new Set(assignments.map((a) => a.roleDefinitionGuid.toLowerCase()));
  if (guids.has(BuiltInRole.owner)) return 'owner';
  if (guids.has(BuiltInRole.contributor)) return 'contributor';
  return guids.size > 0 ? 'other' : 'none';
}

/** Owner assignments made exactly at the gallery: the ones the bot grants on attach, and may revoke on detach. */
export function ownerAssignmentsAt(assignments: readonly RoleAssignment[], principalId: string, galleryId: string): RoleAssignment[] {
  return assignments.filter(
    (a) =>
      a.roleDefinitionGuid.toLowerCase() === BuiltInRole.owner &&
      a.principalId.toLowerCase() === principalId.toLowerCase() &&
      normalize(a.scope) === normalize(galleryId),
  );
}

function normalize(id: string): string {
  return id.trim().toLowerCase().replace(/^\/+|\/+$/g, '');
}
