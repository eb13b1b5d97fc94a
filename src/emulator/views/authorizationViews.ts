/**
 * emulator/views/: the JSON each resource is answered with, per provider and api-version.
 */
import { armIds } from '../armIds';
import type { PermissionBlock } from '../../kernel';
import type { JsonObject } from '../json';
import type { BuiltInRole } from '../state/builtInRoles';
import type { RoleAssignmentRecord } from '../state/records';

export function roleAssignmentView(a: RoleAssignmentRecord, subscriptionId: string): JsonObject {
  const at = new Date(a.createdOn).toISOString();
  return {
    id: a.id,
    name: a.name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      roleDefinitionId: armIds.roleDefinition(subscriptionId, a.roleDefinitionGuid),
      principalId: a.principalId,
      principalType: a.principalType,
      scope: a.scope,
      condition: null,
      conditionVersion: null,
      createdOn: at,
      updatedOn: at,
      createdBy: null,
      updatedBy: null,
      // Present from 2020-08-01-preview on, as recorded.
      canDelegate: false,
      delegatedManagedIdentityResourceId: null,
      description: a.description ?? null,
    },
  };
}

export function roleDefinitionView(role: BuiltInRole, subscriptionId: string): JsonObject {
  return {
    id: armIds.roleDefinition(subscriptionId, role.guid),
    name: role.guid,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: role.roleName,
      type: 'BuiltInRole',
      description: `${role.roleName} (built-in role)`,
      assignableScopes: ['/'],
      permissions: [{ actions: [...role.permissions.actions], notActions: [...role.permissions.notActions], dataActions: [], notDataActions: [] }],
    },
  };
}

/** One entry of `…/providers/Microsoft.Authorization/permissions` (api-version 2022-04-01). */
export function permissionView(block: PermissionBlock): JsonObject {
  return {
    actions: [...block.actions],
    notActions: [...block.notActions],
    dataActions: [...(block.dataActions ?? [])],
    notDataActions: [...(block.notDataActions ?? [])],
  };
}
