import { isManagementGroupScope } from '../../kernel';
import { ArmError, invalidParameter } from '../armError';
import { armIds, lastSegment, normalizeId, parseResourceId } from '../armIds';
import { stringAt } from '../json';
import { json } from '../http/response';
import type { PrincipalType, RoleAssignmentRecord } from '../state/records';
import type { RoleAssignmentFilter } from '../state/roleStore';
import { roleAssignmentView } from '../views/authorizationViews';
import { API_VERSIONS, bodyObject, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { crudRoutes } from './crudRoutes';

/** Role assignments at any scope (api-version 2022-04-01). */
export const roleAssignmentRoutes: EmulatorRoute[] = crudRoutes<RoleAssignmentRecord>({
  name: 'roleAssignments',
  apiVersion: API_VERSIONS.authorization,
  path: '{*scope}/providers/Microsoft.Authorization/roleAssignments/{name}',
  view: (a, ctx) => roleAssignmentView(a, ctx.subscriptionId),
  lists: { listForScope: (req, ctx) => ctx.state.roles.list(checkedScope(req, ctx), parseFilter(req.query.get('$filter'))) },
  get: (req, ctx) => {
    const assignment = ctx.state.roles.get(assignmentId(req, ctx));
    if (!assignment) throw new ArmError(404, 'RoleAssignmentNotFound', `The role assignment '${req.params.name ?? ''}' is not found.`);
    return assignment;
  },
  put: createAssignment,
  putOperation: 'create',
  delete: (req, ctx) => ctx.state.roles.delete(assignmentId(req, ctx)),
});

function assignmentId(req: RoutedRequest, ctx: HandlerContext): string {
  return armIds.roleAssignment(checkedScope(req, ctx), req.params.name ?? '');
}

/** 201 on create; 409 RoleAssignmentExists when the principal already holds the role at that scope. */
function createAssignment(req: RoutedRequest, ctx: HandlerContext) {
  const scope = checkedScope(req, ctx);
  const body = bodyObject(req);
  const roleDefinitionId = stringAt(body, 'properties', 'roleDefinitionId');
  const principalId = stringAt(body, 'properties', 'principalId');
  if (!roleDefinitionId) throw invalidParameter('properties.roleDefinitionId is required.', 'properties.roleDefinitionId');
  if (!principalId) throw new ArmError(400, 'InvalidPrincipalId', 'A valid principal ID must be provided for role assignment.');
  const principalType = stringAt(body, 'properties', 'principalType') as PrincipalType | undefined;
  const description = stringAt(body, 'properties', 'description');
  const record = ctx.state.roles.add({
    scope,
    name: req.params.name ?? '',
    roleDefinitionGuid: lastSegment(roleDefinitionId),
    principalId,
    ...(principalType ? { principalType } : {}),
    ...(description ? { description } : {}),
  });
  return json(roleAssignmentView(record, ctx.subscriptionId), 201);
}

/** The scope must be the tenant root, a management group, or lie in this subscription (and an existing resource group). */
export function checkedScope(req: RoutedRequest, ctx: HandlerContext): string {
  const scope = normalizeId(req.params.scope ?? '/');
  if (scope === '/' || isManagementGroupScope(scope)) return scope;
  const parsed = parseResourceId(scope);
  if (!parsed) throw new ArmError(400, 'InvalidScope', `The scope '${scope}' is not valid.`);
  if (parsed.subscriptionId.toLowerCase() !== ctx.subscriptionId.toLowerCase()) {
    throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${parsed.subscriptionId}' could not be found.`);
  }
  if (parsed.resourceGroup) ctx.state.resourceGroups.require(parsed.resourceGroup);
  return scope;
}

/** `atScope()`, `principalId eq '…'`, `assignedTo('…')`, joined with `and`. */
export function parseFilter(filter: string | undefined): RoleAssignmentFilter {
  const result: RoleAssignmentFilter = {};
  if (!filter?.trim()) return result;
  for (const term of filter.split(/\s+and\s+/i).map((t) => t.trim())) {
    const principal = term.match(/^principalId\s+eq\s+'([^']+)'$/i);
    const assigned = term.match(/^assignedTo\(\s*'([^']+)'\s*\)$/i);
    if (/^atScope\(\s*\)$/i.test(term)) result.atScope = true;
    else if (principal?.[1]) result.principalId = principal[1];
    else if (assigned?.[1]) result.assignedTo = assigned[1];
    else throw new ArmError(400, 'UnsupportedQuery', `The filter '${term}' is not supported.`);
  }
  return result;
}
