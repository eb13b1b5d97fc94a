import { BUILT_IN_ROLES, LAB_SERVICES_APP_IDS } from '../../src/emulator';
import {
  API,
  q,
  startTestEmulator,
  type ArmErrorJson,
  type LabPlanProps,
  type ListJson,
  type OperationJson,
  type PlanImageProps,
  type ResourceJson,
  type TestEmulator,
} from './harness';

const PLAN_SP = 'plan-sp-object-id';

describe('long-running operations', () => {
  let t: TestEmulator;
  let planId: string;
  let galleryId: string;
  let otherGalleryId: string;

  beforeEach(async () => {
    t = await startTestEmulator({
      seed: (state) => {
        state.setServicePrincipal(LAB_SERVICES_APP_IDS.labPlan, PLAN_SP);
        galleryId = state.addGallery({ resourceGroup: 'rg-labs', name: 'physics_gallery', location: 'westus2' });
        otherGalleryId = state.addGallery({ resourceGroup: 'rg-labs', name: 'other_gallery', location: 'westus2' });
        const win = state.addImageDefinition({ galleryId, name: 'win11', osType: 'Windows', osState: 'Generalized' });
        state.addImageVersion({ definitionId: win, name: '1.0.0', targetRegions: ['westus2', 'eastus'], replicationDurationsMs: 0 });
        state.addImageDefinition({ galleryId, name: 'ubuntu', osType: 'Linux', osState: 'Specialized' });
        planId = state.addLabPlan({ resourceGroup: 'rg-labs', name: 'physics-plan', location: 'westus2' });
      },
    });
  });
  afterEach(() => t.close());

  const grantOwner = (scope: string) =>
    t.emulator.state.addRoleAssignment({ scope, roleDefinitionGuid: BUILT_IN_ROLES.owner.guid, principalId: PLAN_SP, principalType: 'ServicePrincipal' });
  const patchPlan = (sharedGalleryId: string | null) => t.call<ResourceJson<LabPlanProps>>('PATCH', q(planId, API.plans), { properties: { sharedGalleryId } });
  const getPlan = () => t.call<ResourceJson<LabPlanProps>>('GET', q(planId, API.plans));

  describe('lab plan update (200 at once, as recorded)', () => {
    it('refuses to attach until the Lab Services principal holds Owner on the gallery', async () => {
      const res = await patchPlan(galleryId);
      expect(res.status).toBe(400);
      expect((res.body as unknown as ArmErrorJson).error.code).toBe('MissingGalleryOwnerRole');
      expect((res.body as unknown as ArmErrorJson).error.message).toContain(LAB_SERVICES_APP_IDS.labPlan);
      expect((await getPlan()).body.properties.sharedGalleryId).toBeUndefined();
    });

    it('accepts Owner inherited from the resource group', async () => {
      grantOwner(`/subscriptions/${t.sub}/resourceGroups/rg-labs`);
      expect((await patchPlan(galleryId)).status).toBe(200);
    });

    it('answers 200 with the whole plan, attached, and no LRO header', async () => {
      grantOwner(galleryId);
      const res = await patchPlan(galleryId);
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('azure-asyncoperation')).toBeNull();
      expect(res.body.properties).toMatchObject({ provisioningState: 'Succeeded', sharedGalleryId: galleryId });
      expect((await getPlan()).body.properties).toMatchObject({ provisioningState: 'Succeeded', sharedGalleryId: galleryId });
    });

    it('creates one Disabled image per definition, and removes them on detach (sharedGalleryId: null)', async () => {
      grantOwner(galleryId);
      await patchPlan(galleryId);
      const images = await t.call<ListJson<ResourceJson<PlanImageProps>>>('GET', q(`${planId}/images`, API.plans));
      // Disabled images carry no enabledState, and only a single GET has availableRegions.
      expect(images.body.value.map((i) => [i.name, i.properties.enabledState, i.properties.osType, i.properties.osState])).toEqual([
        ['win11', undefined, 'Windows', 'Generalized'],
        ['ubuntu', undefined, 'Linux', 'Specialized'],
      ]);
      expect(images.body.value[0]?.properties.sharedGalleryId).toBe(`${galleryId}/images/win11`);
      expect(images.body.value[0]?.properties).not.toHaveProperty('availableRegions');
      expect((await t.call<ResourceJson<PlanImageProps>>('GET', q(`${planId}/images/win11`, API.plans))).body.properties.availableRegions).toEqual(['eastus', 'westus2']);
      expect((await t.call<ResourceJson<PlanImageProps>>('GET', q(`${planId}/images/ubuntu`, API.plans))).body.properties.availableRegions).toEqual([]);

      const detach = await patchPlan(null);
      expect(detach.status).toBe(200);
      expect(detach.body.properties.sharedGalleryId).toBeUndefined();
      expect((await getPlan()).body.properties.sharedGalleryId).toBeUndefined();
      expect((await t.call<ListJson<unknown>>('GET', q(`${planId}/images`, API.plans))).body.value).toEqual([]);
    });

    it('refuses a second gallery while one is attached, and an unknown gallery', async () => {
      grantOwner(`/subscriptions/${t.sub}`);
      t.emulator.state.labPlans.setGallery(planId, galleryId);
      const other = await t.call<ArmErrorJson>('PATCH', q(planId, API.plans), { properties: { sharedGalleryId: otherGalleryId } });
      expect(other.status).toBe(409);
      expect(other.body.error.code).toBe('Conflict');
      t.emulator.state.labPlans.setGallery(planId, undefined);
      const missing = await t.call<ArmErrorJson>('PATCH', q(planId, API.plans), { properties: { sharedGalleryId: `${otherGalleryId}x` } });
      expect(missing.status).toBe(400);
      expect(missing.body.error.code).toBe('SharedGalleryNotFound');
      const malformed = await t.call<ArmErrorJson>('PATCH', q(planId, API.plans), { properties: { sharedGalleryId: 'not-an-id' } });
      expect(malformed.status).toBe(400);
    });

    it('answers an injected failure with its error at once, leaving the plan unchanged', async () => {
      grantOwner(galleryId);
      t.emulator.faults.add({ method: 'PATCH', path: /labPlans\/physics-plan$/i, failOperation: true, code: 'InternalError', message: 'boom', times: 1 });
      const res = await t.call<ArmErrorJson>('PATCH', q(planId, API.plans), { properties: { sharedGalleryId: galleryId } });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({ code: 'InternalError', message: 'boom' });
      expect((await getPlan()).body.properties.provisioningState).toBe('Succeeded');
      expect((await getPlan()).body.properties.sharedGalleryId).toBeUndefined();
    });

    it('answers 409 AnotherOperationInProgress while a saveImage runs on the plan', async () => {
      t.emulator.state.labPlans.setGallery(planId, galleryId);
      expect((await t.call('POST', q(`${planId}/saveImage`, API.plans), { name: 'x', labVirtualMachineId: 'vm' })).status).toBe(202);
      const second = await t.call<ArmErrorJson>('PATCH', q(planId, API.plans), { properties: {} });
      expect(second.status).toBe(409);
      expect(second.body.error.code).toBe('AnotherOperationInProgress');
    });
  });

  describe('Lab Services operations (signed poll URLs)', () => {
    const labPath = () => `/subscriptions/${t.sub}/resourceGroups/rg-labs/providers/Microsoft.LabServices/labs/lab1`;
    const labBody = () => ({
      location: 'westus2',
      properties: { labPlanId: planId, virtualMachineProfile: { createOption: 'Image', imageReference: { id: `${galleryId}/images/win11` }, sku: { name: 'x', capacity: 1 }, usageQuota: 'PT1H', adminUser: { username: 'a', password: 'b' } } },
    });
    beforeEach(() => t.emulator.state.labPlans.setGallery(planId, galleryId));

    it('ends Failed (200 {status: Failed, error}) when a fault fails the operation, the lab Failed', async () => {
      t.emulator.faults.add({ method: 'PUT', path: /labs\/lab1$/i, failOperation: true, code: 'InternalError', message: 'boom', times: 1 });
      const res = await t.call('PUT', q(labPath(), API.plans), labBody());
      expect(res.status).toBe(201);
      const asyncUrl = res.headers.get('azure-asyncoperation') ?? '';
      expect((await t.follow<OperationJson>(asyncUrl)).body.status).toBe('InProgress');
      const done = await t.follow<OperationJson>(asyncUrl);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ status: 'Failed', error: { code: 'InternalError', message: 'boom' }, id: expect.stringContaining('/operationResults/') });
      expect((await t.call<ResourceJson<{ provisioningState: string }>>('GET', q(labPath(), API.plans))).body.properties.provisioningState).toBe('Failed');
    });

    it.each([
      ['without its signature', (url: string) => url.replace(/&t=.*$/, '')],
      ['with an altered signature', (url: string) => url.replace(/&s=[^&]+/, '&s=forged')],
      ['with a signature dropped', (url: string) => url.replace(/&h=[^&]+/, '')],
      ['rebuilt from the operation id', (url: string) => url.replace(/\?.*$/, `?api-version=${API.plans}`)],
    ])('refuses a poll URL %s (400 InvalidOperationSignature), and the operation does not move on', async (_label, mangle) => {
      const res = await t.call('PUT', q(labPath(), API.plans), labBody());
      const asyncUrl = res.headers.get('azure-asyncoperation') ?? '';
      const refused = await t.follow<ArmErrorJson>(mangle(asyncUrl));
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('InvalidOperationSignature');
      expect((await t.follow<OperationJson>(asyncUrl)).body.status).toBe('InProgress');
      expect((await t.follow<OperationJson>(asyncUrl)).body.status).toBe('Succeeded');
    });
  });

  describe('gallery create (Azure-AsyncOperation style)', () => {
    const galleryPath = () => `/subscriptions/${t.sub}/resourceGroups/rg-labs/providers/Microsoft.Compute/galleries/new_gallery.v2`;

    it('answers 201 Creating + Azure-AsyncOperation, polls InProgress then Succeeded', async () => {
      const res = await t.call<ResourceJson<{ provisioningState: string }>>('PUT', q(galleryPath(), API.compute), { location: 'West Europe', properties: { description: 'd' } });
      expect(res.status).toBe(201);
      expect(res.body.properties.provisioningState).toBe('Creating');
      expect(res.body.location).toBe('westeurope');
      const asyncUrl = res.headers.get('azure-asyncoperation') ?? '';
      expect(asyncUrl).toMatch(new RegExp(`^https://management\\.azure\\.test/subscriptions/${t.sub}/providers/Microsoft\\.Compute/locations/westeurope/capsOperations/[0-9a-f-]+\\?api-version=2025-03-03&t=[^&]+&c=[^&]+&s=[^&]+&h=[^&]+$`));
      expect(res.headers.get('location')).toBeNull();
      expect((await t.follow<OperationJson>(asyncUrl)).body.status).toBe('InProgress');
      expect((await t.follow<OperationJson>(asyncUrl)).body.status).toBe('Succeeded');
      const gallery = await t.call<ResourceJson<{ provisioningState: string; description: string }>>('GET', q(galleryPath(), API.compute));
      expect(gallery.body.properties).toMatchObject({ provisioningState: 'Succeeded', description: 'd' });
    });

    it('reports a failed operation as {status: Failed, error}', async () => {
      t.emulator.faults.add({ method: 'PUT', path: /galleries\/new_gallery/, failOperation: true, code: 'GalleryQuotaExceeded', message: 'too many' });
      const res = await t.call('PUT', q(galleryPath(), API.compute), { location: 'westus2' });
      const asyncUrl = res.headers.get('azure-asyncoperation') ?? '';
      await t.follow(asyncUrl);
      const done = await t.follow<OperationJson>(asyncUrl);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ status: 'Failed', error: { code: 'GalleryQuotaExceeded', message: 'too many' } });
      expect((await t.call<ResourceJson<{ provisioningState: string }>>('GET', q(galleryPath(), API.compute))).body.properties.provisioningState).toBe('Failed');
    });

    it('deletes a gallery: 202, empty body, Azure-AsyncOperation and Location (monitor=true first), gone once done', async () => {
      const empty = `/subscriptions/${t.sub}/resourceGroups/rg-labs/providers/Microsoft.Compute/galleries/other_gallery`;
      const res = await t.call('DELETE', q(empty, API.compute));
      expect(res.status).toBe(202);
      expect(res.body).toBeUndefined();
      expect(res.headers.get('location')).toMatch(/\/capsOperations\/[0-9a-f-]+\?monitor=true&api-version=2025-03-03&t=/);
      const asyncUrl = res.headers.get('azure-asyncoperation') ?? '';
      expect(asyncUrl).toMatch(/\/capsOperations\/[0-9a-f-]+\?api-version=2025-03-03&t=/);
      await t.follow(asyncUrl);
      expect((await t.follow<OperationJson>(asyncUrl)).body.status).toBe('Succeeded');
      expect((await t.call('GET', q(empty, API.compute))).status).toBe(404);
    });

    it('refuses a Compute poll without its signature', async () => {
      const res = await t.call('PUT', q(galleryPath(), API.compute), { location: 'westus2' });
      const unsigned = (res.headers.get('azure-asyncoperation') ?? '').replace(/&t=.*$/, '');
      expect((await t.follow<ArmErrorJson>(unsigned)).body.error.code).toBe('InvalidOperationSignature');
    });

    it.each(['.starts', 'ends.', 'has-dash', 'x'.repeat(81), 'sp ace'])('rejects the gallery name %p', async (name) => {
      const res = await t.call<ArmErrorJson>('PUT', q(`/subscriptions/${t.sub}/resourceGroups/rg-labs/providers/Microsoft.Compute/galleries/${encodeURIComponent(name)}`, API.compute), { location: 'westus2' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('InvalidParameter');
    });

    it('requires a location and an existing resource group', async () => {
      expect((await t.call<ArmErrorJson>('PUT', q(galleryPath(), API.compute), {})).body.error.code).toBe('LocationRequired');
      const noRg = await t.call<ArmErrorJson>('PUT', q(`/subscriptions/${t.sub}/resourceGroups/nope/providers/Microsoft.Compute/galleries/g1`, API.compute), { location: 'westus2' });
      expect(noRg.status).toBe(404);
      expect(noRg.body.error.code).toBe('ResourceGroupNotFound');
    });
  });

  it('finishes at once with lroPolls 0', async () => {
    const fast = await startTestEmulator({ lroPolls: 0 });
    try {
      fast.emulator.state.addResourceGroup('rg');
      const res = await fast.call('PUT', q(`/subscriptions/${fast.sub}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1`, API.compute), { location: 'westus2' });
      expect((await fast.follow<OperationJson>(res.headers.get('azure-asyncoperation') ?? '')).body.status).toBe('Succeeded');
    } finally {
      await fast.close();
    }
  });

  it('answers 404 for an unknown operation', async () => {
    const res = await t.call<ArmErrorJson>('GET', q(`/subscriptions/${t.sub}/providers/Microsoft.LabServices/locations/westus2/operationResults/nope`, API.plans));
    expect(res.status).toBe(404);
  });
});
