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
