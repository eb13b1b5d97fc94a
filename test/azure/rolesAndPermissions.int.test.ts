import { ArmRoleGateway } from '../../src/azure/armRoleGateway';
import { DEFAULT_CALLER, LAB_SERVICES_APP_IDS } from '../../src/emulator';
import { AzureError, assignmentsApplyingTo, BuiltInRole, checkFeatures, strongestRole } from '../../src/kernel';
import { RG, startHarness, type Harness } from './emulatorHarness';

let h: Harness;
let sub: string;
let rgScope: string;
let galleryId: string;
let planId: string;
const MG = '/providers/Microsoft.Management/managementGroups/school';
const bob = 'bbbbbbbb-0000-0000-0000-000000000001';
const sp = 'ssssssss-0000-0000-0000-000000000002';
const labServices = 'ssssssss-0000-0000-0000-00000000000a';

beforeEach(async () => {
  h = await startHarness((s) => {
    sub = `/subscriptions/${s.subscriptionId}`;
    rgScope = s.addResourceGroup(RG, 'westeurope');
    galleryId = s.addGallery({ resourceGroup: RG, name: 'physics_gallery', location: 'westeurope' });
    planId = s.addLabPlan({ resourceGroup: RG, name: 'physics-plan', location: 'westeurope' });
    s.setServicePrincipal(LAB_SERVICES_APP_IDS.labPlan, labServices);
    s.addRoleAssignment({ scope: MG, roleDefinitionGuid: BuiltInRole.owner, principalId: bob, principalType: 'User' });
    s.addRoleAssignment({ scope: `${rgScope}`, roleDefinitionGuid: BuiltInRole.reader, principalId: sp, principalType: 'ServicePrincipal' });
  });
});

afterEach(() => h.close());

describe('management groups, list filters, RoleAssignmentExists (emulator through @azure/arm-authorization)', () => {
  it('an assignment at a management group is inherited by every resource: atScope() and assignedTo list it', async () => {
    const atScope = await h.gateways.roles.listAssignments(galleryId);
    expect(atScope.map((a) => a.scope)).toContain(MG);
    const bobs = await h.gateways.roles.listAssignments(planId, { assignedTo: bob });
    expect(bobs.map((a) => a.scope)).toEqual([MG]);
    expect(strongestRole(assignmentsApplyingTo(bobs, planId))).toBe('owner');
  });

  it('grants at a management group scope', async () => {
    const granted = await h.gateways.roles.grant(MG, sp, BuiltInRole.reader, 'ServicePrincipal');
    expect(granted).toMatchObject({ created: true, assignment: { scope: MG } });
    expect(h.state.roles.holdsRole(sp, BuiltInRole.reader, galleryId)).toBe(true);
  });

  it('a principalId filter returns that principal at, above and below the scope', async () => {
    await h.gateways.roles.grant(sub, sp, BuiltInRole.contributor, 'ServicePrincipal');
    const mine = await new ArmRoleGateway(h.connection).listForPrincipal(sub, sp);
    expect(mine.map((a) => a.scope).sort()).toEqual([rgScope, sub].sort());
  });

  it('a second grant of the same role is a 409 RoleAssignmentExists, taken as success', async () => {
    const first = await h.gateways.roles.grant(galleryId, sp, BuiltInRole.owner, 'ServicePrincipal');
    const again = await h.gateways.roles.grant(galleryId, sp, BuiltInRole.owner, 'ServicePrincipal');
    expect(again).toEqual({ created: false, assignment: first.assignment });
    expect(h.state.roles.at(galleryId)).toHaveLength(1);
  });
});

describe('role propagation (emulator setting)', () => {
  it('Lab Services honours a new Owner on the gallery only after the delay; lists show it at once', async () => {
    h.state.roles.rolePropagationMs = 3 * 60_000;
    await h.gateways.roles.grant(galleryId, labServices, BuiltInRole.owner, 'ServicePrincipal');
    expect((await h.gateways.roles.listAssignments(galleryId, { assignedTo: labServices })).length).toBe(1);
    await expect(h.gateways.labHosts.attachGallery(planId, galleryId)).rejects.toMatchObject({ detail: { armCode: 'MissingGalleryOwnerRole' } });
    h.clock.advance(3 * 60_000);
    await h.gateways.labHosts.attachGallery(planId, galleryId);
    expect((await h.gateways.labHosts.getHost(planId)).sharedGalleryId?.toLowerCase()).toBe(galleryId.toLowerCase());
  });

  it('is off by default', async () => {
    await h.gateways.roles.grant(galleryId, labServices, BuiltInRole.owner, 'ServicePrincipal');
    await h.gateways.labHosts.attachGallery(planId, galleryId);
  });
});

describe("the bot's own permissions", () => {
  it('reads them with ARM permissions API: Owner everywhere by default', async () => {
    expect(await h.gateways.permissions.listForScope(galleryId)).toEqual([{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }]);
    expect(await h.gateways.permissions.listForScope(rgScope)).toHaveLength(1);
    expect(checkFeatures('labPlan', await h.gateways.permissions.listForScope(planId), await h.gateways.permissions.listForScope(galleryId)).every((c) => c.missing.length === 0)).toBe(true);
  });

  it('a missing action: 403 AuthorizationFailed in ARM words, told as the permission, scope and fixing role', async () => {
    h.state.caller.missingActions = ['Microsoft.Authorization/roleAssignments/write'];
    const error = await h.gateways.roles.grant(galleryId, sp, BuiltInRole.owner, 'ServicePrincipal').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AzureError);
    const refused = error as AzureError;
    expect(refused.detail).toMatchObject({ status: 403, armCode: 'AuthorizationFailed', missingPermission: { action: 'Microsoft.Authorization/roleAssignments/write' } });
    expect(refused.detail.armMessage).toMatch(
      new RegExp(`^The client '${DEFAULT_CALLER.clientId}' with object id '${DEFAULT_CALLER.objectId}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '${galleryId}/providers/Microsoft.Authorization/roleAssignments/[0-9a-f-]+' or the scope is invalid\\.`),
    );
    expect(refused.key).toBe('azure.missingPermission.gallery');
    expect(refused.params).toMatchObject({ action: 'Microsoft.Authorization/roleAssignments/write', name: 'physics_gallery', role: 'User Access Administrator' });
    const checks = checkFeatures('labPlan', await h.gateways.permissions.listForScope(planId), await h.gateways.permissions.listForScope(galleryId));
    expect(checks.filter((c) => c.missing.length > 0)).toEqual([
      { feature: 'attach', missing: [{ action: 'Microsoft.Authorization/roleAssignments/write', on: 'gallery', role: 'User Access Administrator' }] },
    ]);
  });

  it('with role assignments of its own, the bot has what those roles grant, as ARM computes it', async () => {
    h.state.addRoleAssignment({ scope: rgScope, roleDefinitionGuid: BuiltInRole.contributor, principalId: DEFAULT_CALLER.objectId, principalType: 'ServicePrincipal' });
    const onGallery = await h.gateways.permissions.listForScope(galleryId);
    expect(onGallery).toHaveLength(1);
    expect(onGallery[0]?.notActions).toContain('Microsoft.Authorization/*/Write');
    const checks = checkFeatures('labPlan', await h.gateways.permissions.listForScope(planId), onGallery);
    expect(checks.filter((c) => c.missing.length > 0).map((c) => c.feature)).toEqual(['attach', 'detach']);
    await expect(h.gateways.roles.grant(galleryId, sp, BuiltInRole.owner, 'ServicePrincipal')).rejects.toMatchObject({ key: 'azure.missingPermission.gallery' });
  });
});
