import { missingPermissionOf } from '../../src/azure/authorizationFailure';
import { actionOfRequest } from '../../src/emulator/state/callerPermissions';
import { actionMatches, fixingRole, isManagementGroupScope, isPermitted, resourceOfScope, scopeKindOf } from '../../src/kernel';

const GALLERY = '/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1';
const PLAN = '/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/p1';

describe('RBAC action wildcards', () => {
  it.each([
    ['*', 'Microsoft.Authorization/roleAssignments/write', true],
    ['*/read', 'Microsoft.Compute/galleries/images/read', true],
    ['*/read', 'Microsoft.Compute/galleries/write', false],
    ['Microsoft.Compute/*/read', 'Microsoft.Compute/galleries/images/versions/read', true],
    ['Microsoft.Compute/*/read', 'Microsoft.Network/virtualNetworks/read', false],
    ['Microsoft.Authorization/*/Write', 'microsoft.authorization/roleassignments/write', true],
    ['Microsoft.LabServices/*', 'Microsoft.LabServices/labPlans/createLab/action', true],
    ['Microsoft.Compute/galleries/read', 'Microsoft.Compute/galleries/readX', false],
  ])('%s matches %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  it('a block grants what its actions match and its notActions do not; blocks add up', () => {
    const contributor = { actions: ['*'], notActions: ['Microsoft.Authorization/*/Write', 'Microsoft.Authorization/*/Delete'] };
    const uaa = { actions: ['*/read', 'Microsoft.Authorization/*'], notActions: [] };
    expect(isPermitted([contributor], 'Microsoft.Compute/galleries/write')).toBe(true);
    expect(isPermitted([contributor], 'Microsoft.Authorization/roleAssignments/write')).toBe(false);
    expect(isPermitted([contributor, uaa], 'Microsoft.Authorization/roleAssignments/write')).toBe(true);
    expect(isPermitted([], 'Microsoft.Compute/galleries/read')).toBe(false);
  });
});

describe('the role that fixes a missing action, and scopes in words', () => {
  it.each([
    ['Microsoft.Authorization/roleAssignments/write', 'User Access Administrator'],
    ['Microsoft.Authorization/roleAssignments/delete', 'User Access Administrator'],
    ['Microsoft.Authorization/roleAssignments/read', 'Reader'],
    ['Microsoft.LabServices/labPlans/write', 'Lab Services Contributor'],
    ['Microsoft.Compute/galleries/images/versions/write', 'Contributor'],
  ])('%s → %s', (action, role) => {
    expect(fixingRole(action)).toBe(role);
  });

  it('names the kind of scope, ignoring the Authorization child ARM puts in its 403', () => {
    expect(scopeKindOf(`${GALLERY}/providers/Microsoft.Authorization/roleAssignments/abc`)).toBe('gallery');
    expect(resourceOfScope(`${GALLERY}/providers/Microsoft.Authorization/roleAssignments/abc`)).toBe(GALLERY);
    expect(scopeKindOf(PLAN)).toBe('labPlan');
    expect(scopeKindOf('/subscriptions/s/resourceGroups/rg')).toBe('resourceGroup');
    expect(scopeKindOf('/subscriptions/s')).toBe('subscription');
    expect(scopeKindOf(`${GALLERY}/images/i1`)).toBe('resource');
    expect(isManagementGroupScope('/providers/Microsoft.Management/managementGroups/school')).toBe(true);
    expect(isManagementGroupScope(GALLERY)).toBe(false);
  });
});

describe("ARM's 403 wording", () => {
  it('AuthorizationFailed: the action and the scope', () => {
    const message = `The client 'c' with object id 'o' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '${GALLERY}/providers/Microsoft.Authorization/roleAssignments/x' or the scope is invalid. If access was recently granted, please refresh your credentials.`;
    expect(missingPermissionOf('AuthorizationFailed', message)).toEqual({ action: 'Microsoft.Authorization/roleAssignments/write', scope: `${GALLERY}/providers/Microsoft.Authorization/roleAssignments/x` });
  });

  it('LinkedAuthorizationFailed: the linked action and scope, not the one the client had', () => {
    const message = `The client 'c' with object id 'o' has permission to perform action 'Microsoft.LabServices/labPlans/write' on scope '${PLAN}'; however, it does not have permission to perform action 'Microsoft.Compute/galleries/read' on the linked scope(s) '${GALLERY}' or the linked scope(s) are invalid.`;
    expect(missingPermissionOf('LinkedAuthorizationFailed', message)).toEqual({ action: 'Microsoft.Compute/galleries/read', scope: GALLERY });
  });

  it('anything else is left unread', () => {
    expect(missingPermissionOf('AuthorizationFailed', 'Injected fault: AuthorizationFailed.')).toBeUndefined();
    expect(missingPermissionOf('Conflict', "perform action 'a' over scope 'b'")).toBeUndefined();
  });
});

describe('the emulator: which RBAC action a request needs', () => {
  const parts = (p: string) => p.split('/').filter((s) => s !== '');
  it.each([
    ['PATCH', PLAN, 'Microsoft.LabServices/labPlans/write', PLAN],
    ['PATCH', `${PLAN}/images/img`, 'Microsoft.LabServices/labPlans/images/write', `${PLAN}/images/img`],
    ['POST', `${PLAN}/saveImage`, 'Microsoft.LabServices/labPlans/saveImage/action', PLAN],
    ['PUT', `${GALLERY}/providers/Microsoft.Authorization/roleAssignments/x`, 'Microsoft.Authorization/roleAssignments/write', `${GALLERY}/providers/Microsoft.Authorization/roleAssignments/x`],
    ['DELETE', `${GALLERY}/images/i/versions/1.0.0`, 'Microsoft.Compute/galleries/images/versions/delete', `${GALLERY}/images/i/versions/1.0.0`],
    ['PUT', '/subscriptions/s/resourceGroups/rg', 'Microsoft.Resources/subscriptions/resourceGroups/write', '/subscriptions/s/resourceGroups/rg'],
  ])('%s %s → %s', (method, path, action, scope) => {
    expect(actionOfRequest(method, parts(path))).toEqual({ action, scope });
  });

  it('reads are not enforced', () => {
    expect(actionOfRequest('GET', parts(GALLERY))).toBeUndefined();
  });
});
