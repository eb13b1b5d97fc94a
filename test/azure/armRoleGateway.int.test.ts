import { ArmRoleGateway } from '../../src/azure/armRoleGateway';
import { BuiltInRole } from '../../src/kernel';
import { RG, startHarness, type Harness } from './emulatorHarness';

let h: Harness;
let sub: string;
let rgScope: string;
let galleryId: string;
let planId: string;
const alice = 'aaaaaaaa-0000-0000-0000-000000000001';
const teachers = 'gggggggg-0000-0000-0000-000000000001';
const sp = 'ssssssss-0000-0000-0000-000000000001';

beforeAll(async () => {
  h = await startHarness((s) => {
    sub = `/subscriptions/${s.subscriptionId}`;
    rgScope = s.addResourceGroup(RG, 'westeurope');
    galleryId = s.addGallery({ resourceGroup: RG, name: 'physics_gallery', location: 'westeurope' });
    planId = s.addLabPlan({ resourceGroup: RG, name: 'physics-plan', location: 'westeurope' });
    s.addRoleAssignment({ scope: sub, roleDefinitionGuid: BuiltInRole.reader, principalId: alice, principalType: 'User' });
    s.addRoleAssignment({ scope: planId, roleDefinitionGuid: BuiltInRole.labCreator, principalId: teachers, principalType: 'Group' });
    s.addRoleAssignment({ scope: `${planId}/images/x`, roleDefinitionGuid: BuiltInRole.owner, principalId: alice, principalType: 'User' });
    s.addGroupMember(teachers, alice);
  });
});

afterAll(() => h.close());

const roles = () => h.gateways.roles;

describe('ArmRoleGateway (real @azure/arm-authorization against the emulator)', () => {
  it("lists a user's assignments that apply at a scope, inherited and through groups", async () => {
    const found = await roles().listAssignments(planId, { assignedTo: alice });
    expect(found.map((a) => `${a.scope}|${a.roleDefinitionGuid}|${a.principalId}`).sort()).toEqual(
      [`${sub}|${BuiltInRole.reader}|${alice}`, `${planId}|${BuiltInRole.labCreator}|${teachers}`, `${planId}/images/x|${BuiltInRole.owner}|${alice}`].sort(),
    );
    expect(found.every((a) => a.id.includes('/providers/Microsoft.Authorization/roleAssignments/'))).toBe(true);
  });

  it('grants a role with a new assignment', async () => {
    const result = await roles().grant(galleryId, sp, BuiltInRole.owner, 'ServicePrincipal');
    expect(result.created).toBe(true);
    expect(result.assignment).toMatchObject({ scope: galleryId, roleDefinitionGuid: BuiltInRole.owner, principalId: sp, principalType: 'ServicePrincipal' });
    expect(h.state.roles.at(galleryId)).toHaveLength(1);
  });

  it('never sends //subscriptions (the emulator would forgive it, ARM does not)', async () => {
    const urls: string[] = [];
    const inner = h.connection.httpClient;
    if (!inner) throw new Error('emulator connection without http client');
    const recording = new ArmRoleGateway({
      ...h.connection,
      httpClient: { sendRequest: (request) => (urls.push(request.url), inner.sendRequest(request)) },
    });
    await recording.grant(galleryId, sp, BuiltInRole.owner, 'ServicePrincipal');
    await recording.listAssignments(rgScope, { assignedTo: alice });
    await recording.revoke(`${galleryId}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-0000-0000-000000000000`);
    expect(urls.length).toBeGreaterThanOrEqual(4);
    expect(urls.filter((u) => new URL(u).pathname.startsWith('//'))).toEqual([]);
  });

  it('treats RoleAssignmentExists as success and returns the existing assignment', async () => {
    const first = h.state.roles.at(galleryId)[0];
    const again = await roles().grant(galleryId, sp, BuiltInRole.owner, 'ServicePrincipal');
    expect(again).toEqual({ created: false, assignment: expect.objectContaining({ id: first?.id, principalId: sp }) });
    expect(h.state.roles.at(galleryId)).toHaveLength(1);
  });

  it('grants at resource group scope too', async () => {
    await expect(roles().grant(rgScope, sp, BuiltInRole.reader, 'ServicePrincipal')).resolves.toMatchObject({ created: true, assignment: { scope: rgScope } });
  });

  it('revokes, idempotently', async () => {
    const [assignment] = await roles().listAssignments(galleryId, { assignedTo: sp });
    if (!assignment) throw new Error('no assignment');
    await roles().revoke(assignment.id);
    expect(h.state.roles.at(galleryId)).toHaveLength(0);
    await expect(roles().revoke(assignment.id)).resolves.toBeUndefined();
  });

  it('maps a scope in an unknown resource group to notFound', async () => {
    await expect(roles().listAssignments(`${sub}/resourceGroups/nope`)).rejects.toMatchObject({ kind: 'notFound' });
  });

  it('maps AuthorizationFailed on create to notAuthorized', async () => {
    h.emulator.faults.add({ method: 'PUT', path: /roleAssignments\//i, status: 403, code: 'AuthorizationFailed', times: 1 });
    await expect(roles().grant(galleryId, sp, BuiltInRole.owner, 'ServicePrincipal')).rejects.toMatchObject({ kind: 'notAuthorized', detail: { armCode: 'AuthorizationFailed' } });
  });
});
