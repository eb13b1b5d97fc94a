import { isManagementGroupScope, type PermissionBlock } from '../../kernel';
import { ArmError } from '../armError';
import { armIds, idKey, isSameOrAncestorScope, normalizeId } from '../armIds';
import { findBuiltInRole, LAB_SERVICES_APP_IDS } from './builtInRoles';
import type { PrincipalType, RoleAssignmentRecord, ServicePrincipalRecord } from './records';

export interface NewRoleAssignment {
  scope: string;
  roleDefinitionGuid: string;
  principalId: string;
  principalType?: PrincipalType;
  /** The assignment's GUID name; a fresh one when absent. */
  name?: string;
  description?: string;
}

/** `$filter` terms of role assignment lists, combined with `and`. */
export interface RoleAssignmentFilter {
  atScope?: boolean;
  principalId?: string;
  assignedTo?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Role assignments, service principals (Graph) and group memberships. */
export class RoleStore {
  private readonly assignments = new Map<string, RoleAssignmentRecord>();
  private readonly principals = new Map<string, ServicePrincipalRecord>();
  private readonly groups = new Map<string, Set<string>>();
  /**
   * How long a new assignment to the lab-plan Lab Services principal takes before the service honours it
   * (Azure: up to ~10 min). Lists show it at once, as ARM does; only `holdsRole` waits. 0 = at once.
   */
  rolePropagationMs = 0;

  constructor(
    private readonly now: () => number,
    private readonly newGuid: () => string,
  ) {}

  add(input: NewRoleAssignment): RoleAssignmentRecord {
    const name = input.name ?? this.newGuid();
    if (!GUID.test(name)) throw new ArmError(400, 'InvalidRoleAssignmentId', `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`);
    if (!findBuiltInRole(input.roleDefinitionGuid)) {
      throw new ArmError(400, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${input.roleDefinitionGuid}' does not exist.`);
    }
    if (!input.principalId) throw new ArmError(400, 'InvalidPrincipalId', 'A valid principal ID must be provided for role assignment.');
    const scope = normalizeId(input.scope);
    const id = armIds.roleAssignment(scope, name);
    const existing = this.assignments.get(idKey(id));
    const duplicate = [...this.assignments.values()].find(
      (a) => idKey(a.scope) === idKey(scope) && a.roleDefinitionGuid === input.roleDefinitionGuid.toLowerCase() && a.principalId.toLowerCase() === input.principalId.toLowerCase(),
    );
    if (duplicate) throw new ArmError(409, 'RoleAssignmentExists', 'The role assignment already exists.');
    if (existing) throw new ArmError(409, 'RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.');
    const record: RoleAssignmentRecord = {
      id,
      name,
      scope,
      roleDefinitionGuid: input.roleDefinitionGuid.toLowerCase(),
      principalId: input.principalId,
      principalType: input.principalType ?? 'User',
      ...(input.description ? { description: input.description } : {}),
      createdOn: this.now(),
    };
    this.assignments.set(idKey(id), record);
    return record;
  }

  get(id: string): RoleAssignmentRecord | undefined {
    return this.assignments.get(idKey(id));
  }

  delete(id: string): RoleAssignmentRecord | undefined {
    const record = this.get(id);
    if (record) this.assignments.delete(idKey(id));
    return record;
  }

  /** Assignments exactly at `scope`. */
  at(scope: string): RoleAssignmentRecord[] {
    return this.all().filter((a) => idKey(a.scope) === idKey(scope));
  }

  all(): RoleAssignmentRecord[] {
    return [...this.assignments.values()];
  }

  /**
   * ARM's list-for-scope: without `atScope()` the assignments at, above and below the scope; with it,
   * only at or above. `principalId eq` keeps that principal's; `assignedTo` adds its groups'.
   */
  list(scope: string, filter: RoleAssignmentFilter = {}): RoleAssignmentRecord[] {
    return this.all().filter((a) => {
      const atOrAbove = covers(a.scope, scope);
      if (filter.atScope ? !atOrAbove : !atOrAbove && !covers(scope, a.scope)) return false;
      if (filter.principalId && a.principalId.toLowerCase() !== filter.principalId.toLowerCase()) return false;
      if (filter.assignedTo && !this.principalCovers(a.principalId, filter.assignedTo)) return false;
      return true;
    });
  }

  /**
   * Whether the principal (directly or through a group) holds the role at the scope or above, as a service
   * checking it sees it: an assignment to the lab-plan Lab Services principal counts once propagated.
   */
  holdsRole(principalId: string, roleDefinitionGuid: string, scope: string): boolean {
    const delayed = this.rolePropagationMs > 0 && this.isLabPlanServicePrincipal(principalId);
    return this.list(scope, { atScope: true, assignedTo: principalId }).some(
      (a) => a.roleDefinitionGuid === roleDefinitionGuid.toLowerCase() && (!delayed || a.createdOn + this.rolePropagationMs <= this.now()),
    );
  }

  /** The permission blocks of the roles a principal holds at the scope or above (one per assignment, as ARM lists them). */
  permissionsOf(principalId: string, scope: string): PermissionBlock[] {
    return this.list(scope, { atScope: true, assignedTo: principalId }).flatMap((a) => {
      const role = findBuiltInRole(a.roleDefinitionGuid);
      return role ? [role.permissions] : [];
    });
  }

  private isLabPlanServicePrincipal(principalId: string): boolean {
    return this.servicePrincipal(LAB_SERVICES_APP_IDS.labPlan)?.objectId.toLowerCase() === principalId.toLowerCase();
  }

  setServicePrincipal(appId: string, objectId: string, displayName: string): void {
    this.principals.set(appId.toLowerCase(), { appId: appId.toLowerCase(), objectId, displayName });
  }

  servicePrincipal(appId: string): ServicePrincipalRecord | undefined {
    return this.principals.get(appId.toLowerCase());
  }

  addGroupMember(groupId: string, memberId: string): void {
    const key = groupId.toLowerCase();
    const members = this.groups.get(key) ?? new Set<string>();
    members.add(memberId.toLowerCase());
    this.groups.set(key, members);
  }

  private principalCovers(assignee: string, principalId: string): boolean {
    const a = assignee.toLowerCase();
    return a === principalId.toLowerCase() || (this.groups.get(a)?.has(principalId.toLowerCase()) ?? false);
  }
}

/**
 * Whether `ancestor` is `scope` or above it. A management group holds the emulator's one subscription, so it is
 * above everything but the root and other groups.
 */
function covers(ancestor: string, scope: string): boolean {
  if (isManagementGroupScope(ancestor)) return isManagementGroupScope(scope) ? idKey(ancestor) === idKey(scope) : idKey(scope) !== '/';
  if (isManagementGroupScope(scope)) return idKey(ancestor) === '/';
  return isSameOrAncestorScope(ancestor, scope);
}
