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

export type PrincipalType = 'User' | 'Group' | 'ServicePrincipal';

export interface RoleAssignment {
  /** ARM id of the assignment. */
  id: string;
  /** Where it was made: `/subscriptions/…`, a resource group or a resource id, with a leading `/`; `/` is the root; empty if Azure did not say. */
  scope: string;
  /** Lowercase GUID of the role definition. */
  roleDefinitionGuid: string;
  principalId: string;
  principalType?: string;
}

export interface GrantResult {
  /** False when Azure answered that this principal already holds this role at this scope. */
  created: boolean;
  /** The new or existing assignment; absent only if an existing one could not be read back. */
  assignment?: RoleAssignment;
}

/** Azure RBAC. Failures are `AzureError`s. */
export interface RoleGateway {
  /**
   * Assignments that apply at `scope` (including inherited ones from above). With `assignedTo`, only those
   * of that principal, including through group membership.
   */
  listAssignments(scope: string, options?: { assignedTo?: string }): Promise<RoleAssignment[]>;
  /** Idempotent: an existing identical assignment is success. */
  grant(scope: string, principalId: string, roleDefinitionGuid: string, principalType: PrincipalType): Promise<GrantResult>;
  /** Idempotent: an assignment that is already gone is success. */
  revoke(assignmentId: string): Promise<void>;
}
