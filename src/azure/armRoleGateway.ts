import { randomUUID } from 'node:crypto';
import { AuthorizationManagementClient, type RoleAssignment as ArmRoleAssignment } from '@azure/arm-authorization';
import type { GrantResult, PrincipalType, RoleAssignment, RoleGateway } from '../ports/roleGateway';
import { classicClientOptions, type ArmConnection } from './armConnection';
import { armCall, isAzureError } from './armErrors';
import { lastSegment, roleDefinitionIdOf, sameArmId, subscriptionIdOf } from '../kernel';
import { collect } from './mapping';

/** Role assignments through @azure/arm-authorization (api-version 2022-04-01). */
export class ArmRoleGateway implements RoleGateway {
  private readonly client: AuthorizationManagementClient;

  constructor(
    private readonly connection: ArmConnection,
    private readonly newId: () => string = randomUUID,
  ) {
    this.client = new AuthorizationManagementClient(connection.credential, connection.subscriptionId, classicClientOptions(connection));
  }

  /**
   * `atScope()` (at the scope and above it: resource group, subscription, management groups, root) or, with
   * `assignedTo`, that principal's and its groups' assignments.
   */
  async listAssignments(scope: string, options: { assignedTo?: string } = {}): Promise<RoleAssignment[]> {
    const filter = options.assignedTo ? `assignedTo('${odataString(options.assignedTo)}')` : 'atScope()';
    const assignments = await armCall(lastSegment(scope), () => collect(this.client.roleAssignments.listForScope(sdkScope(scope), { filter })));
    return assignments.map(toRoleAssignment);
  }

  /** One principal's own assignments at, above and below the scope (`principalId eq`; no group memberships). */
  async listForPrincipal(scope: string, principalId: string): Promise<RoleAssignment[]> {
    const filter = `principalId eq '${odataString(principalId)}'`;
    const assignments = await armCall(lastSegment(scope), () => collect(this.client.roleAssignments.listForScope(sdkScope(scope), { filter })));
    return assignments.map(toRoleAssignment);
  }

  async grant(scope: string, principalId: string, roleDefinitionGuid: string, principalType: PrincipalType): Promise<GrantResult> {
    const roleDefinitionId = roleDefinitionIdOf(subscriptionIdOf(scope) ?? this.connection.subscriptionId, roleDefinitionGuid);
    try {
      const created = await armCall(lastSegment(scope), () =>
        this.client.roleAssignments.create(sdkScope(scope), this.newId(), { roleDefinitionId, principalId, principalType }),
      );
      return { created: true, assignment: toRoleAssignment(created) };
    } catch (error) {
      // The code, never the message: ARM's wording changed in 2025 (it now may append the existing assignment's id).
      if (!isAzureError(error, 'conflict') || error.detail.armCode?.toLowerCase() !== 'roleassignmentexists') throw error;
      const existing = await this.findExisting(scope, principalId, roleDefinitionGuid);
      return { created: false, ...(existing ? { assignment: existing } : {}) };
    }
  }

  async revoke(assignmentId: string): Promise<void> {
    try {
      await armCall(lastSegment(assignmentId), () => this.client.roleAssignments.deleteById(sdkScope(assignmentId)));
    } catch (error) {
      if (!isAzureError(error, 'notFound')) throw error;
    }
  }

  private async findExisting(scope: string, principalId: string, roleDefinitionGuid: string): Promise<RoleAssignment | undefined> {
    return (await this.listForPrincipal(scope, principalId)).find((a) => sameArmId(a.scope, scope) && a.roleDefinitionGuid === roleDefinitionGuid.toLowerCase());
  }
}

/** The SDK puts `/` before the scope itself: a leading `/` would give `//subscriptions/…`. */
function sdkScope(scope: string): string {
  return scope.replace(/^\/+/, '');
}

function odataString(value: string): string {
  return value.replace(/'/g, "''");
}

function toRoleAssignment(a: ArmRoleAssignment): RoleAssignment {
  const scope = a.scope ?? '';
  return {
    id: a.id ?? '',
    scope: scope && !scope.startsWith('/') ? `/${scope}` : scope,
    roleDefinitionGuid: lastSegment(a.roleDefinitionId ?? '').toLowerCase(),
    principalId: a.principalId ?? '',
    ...(a.principalType ? { principalType: a.principalType } : {}),
  };
}
