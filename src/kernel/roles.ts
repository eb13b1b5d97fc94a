import { normalizeArmId, isSameOrUnder } from './armIds';
import { isManagementGroupScope } from './permissions';

/** Built-in Azure role definition GUIDs the bot cares about. */
export const BuiltInRole = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  labServicesContributor: 'f69b8690-cc87-41d6-b77a-a4bc3c0a966f',
  labServicesReader: '2a5c394f-5eb7-4d4f-9c8e-e8eae39faebc',
  labCreator: 'b97fb8bc-a8b2-4522-a38b-dd33c7e65ead',
  labOperator: 'a36e6959-b6be-4b12-8e9f-ef4b474d304d',
  labContributor: '5daaa2af-1fe8-407c-9122-bba179798270',
} as const;

/** What these rules read of a role assignment (the RoleGateway port's `RoleAssignment` has it). */
export interface AssignmentFacts {
  /** Where it was made; empty if Azure did not say. */
  scope: string;
  roleDefinitionGuid: string;
  principalId: string;
}

/** What the Lab Services principal holds on a gallery, strongest first. */
export type PrincipalRole = 'owner' | 'contributor' | 'other' | 'none';

/**
 * Only assignments at the gallery or above it grant anything on it (a list for a scope may also return
 * ones below it, and ones without a scope are unreadable). A management group ARM returned for the scope is
 * one of its ancestors: ARM lists only the groups the subscription sits in.
 */
export function assignmentsApplyingTo<A extends AssignmentFacts>(assignments: readonly A[], resourceId: string): A[] {
  return assignments.filter((a) => a.scope.trim() !== '' && (isSameOrUnder(resourceId, a.scope) || isManagementGroupScope(a.scope)));
}

export function strongestRole(assignments: readonly AssignmentFacts[]): PrincipalRole {
  const guids = new Set(assignments.map((a) => a.roleDefinitionGuid.toLowerCase()));
  if (guids.has(BuiltInRole.owner)) return 'owner';
  if (guids.has(BuiltInRole.contributor)) return 'contributor';
  return guids.size > 0 ? 'other' : 'none';
}

/** Owner assignments made exactly at the gallery: the ones the bot grants on attach, and may revoke on detach. */
export function ownerAssignmentsAt<A extends AssignmentFacts>(assignments: readonly A[], principalId: string, galleryId: string): A[] {
  return assignments.filter(
    (a) =>
      a.roleDefinitionGuid.toLowerCase() === BuiltInRole.owner &&
      a.principalId.toLowerCase() === principalId.toLowerCase() &&
      normalizeArmId(a.scope) === normalizeArmId(galleryId),
  );
}
