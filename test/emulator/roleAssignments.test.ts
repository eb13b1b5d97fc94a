import { BUILT_IN_ROLES } from '../../src/emulator';
import { parseFilter } from '../../src/emulator/handlers/roleAssignments';
import { API, q, startTestEmulator, type ArmErrorJson, type ListJson, type ResourceJson, type RoleAssignmentProps, type TestEmulator } from './harness';

const OWNER = BUILT_IN_ROLES.owner.guid;
const READER = BUILT_IN_ROLES.reader.guid;
const GUIDS = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'] as const;

describe('role assignments', () => {
  let t: TestEmulator;
  let galleryId: string;
  let rgScope: string;

  beforeEach(async () => {
    t = await startTestEmulator({
      seed: (state) => {
        galleryId = state.addGallery({ resourceGroup: 'rg', name: 'g', location: 'westus2' });
        state.addImageDefinition({ galleryId, name: 'def', osType: 'Linux', osState: 'Generalized' });
      },
    });
    rgScope = `/subscriptions/${t.sub}/resourceGroups/rg`;
  });
  afterEach(() => t.close());

  const put = (scope: string, name: string, principalId: string, role: string = OWNER) =>
    t.call<ResourceJson<RoleAssignmentProps>>('PUT', q(`${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, API.auth), {
      properties: { roleDefinitionId: `/subscriptions/${t.sub}/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId, principalType: 'ServicePrincipal' },
    });
  const list = (scope: string, filter?: string) =>
    t.call<ListJson<ResourceJson<RoleAssignmentProps>>>('GET', q(`${scope}/providers/Microsoft.Authorization/roleAssignments`, API.auth, filter ? `&%24filter=${encodeURIComponent(filter)}` : ''));

  it('creates with 201, then answers 409 RoleAssignmentExists for the same principal, role and scope', async () => {
    const created = await put(galleryId, GUIDS[0], 'sp-1');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: `${galleryId}/providers/Microsoft.Authorization/roleAssignments/${GUIDS[0]}`,
      name: GUIDS[0],
      type: 'Microsoft.Authorization/roleAssignments',
      properties: { principalId: 'sp-1', principalType: 'ServicePrincipal', scope: galleryId, roleDefinitionId: `/subscriptions/${t.sub}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}` },
    });
    const again = await put(galleryId, GUIDS[1], 'sp-1');
    expect(again.status).toBe(409);
    expect((again.body as unknown as ArmErrorJson).error.code).toBe('RoleAssignmentExists');
    expect((await put(galleryId, GUIDS[1], 'sp-1', READER)).status).toBe(201);
    expect(t.emulator.state.roles.at(galleryId)).toHaveLength(2);
  });

  it('accepts the scope with a doubled slash, as the SDK sends it for a scope with a leading /', async () => {
    const res = await t.call('PUT', q(`/${galleryId}/providers/Microsoft.Authorization/roleAssignments/${GUIDS[0]}`, API.auth), {
      properties: { roleDefinitionId: OWNER, principalId: 'sp-1' },
    });
    expect(res.status).toBe(201);
  });

  it('validates the name, the role and the scope', async () => {
    expect((await put(galleryId, 'not-a-guid', 'sp')).body).toMatchObject({ error: { code: 'InvalidRoleAssignmentId' } });
    expect((await put(galleryId, GUIDS[0], 'sp', '00000000-0000-0000-0000-000000000000')).body).toMatchObject({ error: { code: 'RoleDefinitionDoesNotExist' } });
    expect((await put(`/subscriptions/${t.sub}/resourceGroups/missing`, GUIDS[0], 'sp')).status).toBe(404);
    expect((await put('/subscriptions/99999999-9999-9999-9999-999999999999', GUIDS[0], 'sp')).body).toMatchObject({ error: { code: 'SubscriptionNotFound' } });
  });

  it('gets and deletes (200 with the body, then 204)', async () => {
    await put(galleryId, GUIDS[0], 'sp-1');
    const path = q(`${galleryId}/providers/Microsoft.Authorization/roleAssignments/${GUIDS[0]}`, API.auth);
    expect((await t.call<ResourceJson<RoleAssignmentProps>>('GET', path)).body.properties.principalId).toBe('sp-1');
    const deleted = await t.call<ResourceJson<RoleAssignmentProps>>('DELETE', path);
    expect(deleted.status).toBe(200);
    expect(deleted.body.name).toBe(GUIDS[0]);
    expect((await t.call('DELETE', path)).status).toBe(204);
    expect((await t.call<ArmErrorJson>('GET', path)).body.error.code).toBe('RoleAssignmentNotFound');
  });

  describe('listing for a scope', () => {
    beforeEach(async () => {
      await put(rgScope, GUIDS[0], 'above');
      await put(galleryId, GUIDS[1], 'at');
      await put(`${galleryId}/images/def`, GUIDS[2], 'below');
      t.emulator.state.addGroupMember('above', 'member-of-above');
    });
    const principals = (res: { body: ListJson<ResourceJson<RoleAssignmentProps>> }) => res.body.value.map((a) => a.properties.principalId).sort();

    it('without a filter: at, above and below the scope', async () => {
      expect(principals(await list(galleryId))).toEqual(['above', 'at', 'below']);
    });

    it('atScope(): at or above only', async () => {
      expect(principals(await list(galleryId, 'atScope()'))).toEqual(['above', 'at']);
      expect(principals(await list(rgScope, 'atScope()'))).toEqual(['above']);
    });

    it("principalId eq '…' and assignedTo('…') (with group membership), alone or with atScope()", async () => {
      expect(principals(await list(galleryId, "principalId eq 'below'"))).toEqual(['below']);
      expect(principals(await list(galleryId, "atScope() and principalId eq 'below'"))).toEqual([]);
      expect(principals(await list(galleryId, "atScope() and assignedTo('member-of-above')"))).toEqual(['above']);
      expect(principals(await list(galleryId, "assignedTo('at')"))).toEqual(['at']);
    });

    it('lists for the subscription too, and rejects unknown filters', async () => {
      expect(principals(await list(`/subscriptions/${t.sub}`))).toEqual(['above', 'at', 'below']);
      const bad = await list(galleryId, "roleName eq 'x'");
      expect(bad.status).toBe(400);
    });
  });

  it('parses filters case-insensitively', () => {
    expect(parseFilter("AtScope() AND PrincipalId EQ 'x'")).toEqual({ atScope: true, principalId: 'x' });
    expect(parseFilter(undefined)).toEqual({});
  });

  it('serves the built-in role definitions', async () => {
    const res = await t.call<ResourceJson<{ roleName: string; type: string }>>('GET', q(`/subscriptions/${t.sub}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES.labCreator.guid}`, API.auth));
    expect(res.body).toMatchObject({ name: BUILT_IN_ROLES.labCreator.guid, properties: { roleName: 'Lab Creator', type: 'BuiltInRole' } });
    const owner = await t.call<ListJson<ResourceJson<{ roleName: string }>>>('GET', q(`${galleryId}/providers/Microsoft.Authorization/roleDefinitions`, API.auth, `&$filter=${encodeURIComponent("roleName eq 'Owner'")}`));
    expect(owner.body.value.map((r) => r.name)).toEqual([OWNER]);
  });
});
