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

  describe('lab plan update (Location style)', () => {
    it('refuses to attach until the Lab Services principal holds Owner on the gallery', async () => {
      const res = await patchPlan(galleryId);
      expect(res.status).toBe(400);
      expect((res.body as unknown as ArmErrorJson).error.code).toBe('MissingGalleryOwnerRole');
      expect((res.body as unknown as ArmErrorJson).error.message).toContain(LAB_SERVICES_APP_IDS.labPlan);
      expect((await getPlan()).body.properties.sharedGalleryId).toBeUndefined();
    });

    it('accepts Owner inherited from the resource group', async () => {
      grantOwner(`/subscriptions/${t.sub}/resourceGroups/rg-labs`);
      expect((await patchPlan(galleryId)).status).toBe(202);
    });

    it('answers 202 + Location on the facade, polls 202 then 200 Succeeded, and only then attaches', async () => {
      grantOwner(galleryId);
      const res = await patchPlan(galleryId);
      expect(res.status).toBe(202);
      const location = res.headers.get('location') ?? '';
      expect(location).toMatch(new RegExp(`^https://management\\.azure\\.test/subscriptions/${t.sub}/providers/Microsoft\\.LabServices/operationresults/[0-9a-f-]+\\?api-version=2022-08-01$`));
      expect(res.headers.get('retry-after')).toBe('0');
      expect(res.body.properties.provisioningState).toBe('Updating');

      const first = await t.follow<OperationJson>(location);
      expect(first.status).toBe(202);
      expect(first.body.status).toBe('InProgress');
      expect(first.headers.get('location')).toBe(location);
      expect((await t.call<ListJson<unknown>>('GET', q(`${planId}/images`, API.plans))).body.value).toEqual([]);

      const done = await t.follow<OperationJson>(location);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ status: 'Succeeded', name: expect.any(String), id: expect.stringContaining('/operationresults/') });
      const plan = await getPlan();
      expect(plan.body.properties).toMatchObject({ provisioningState: 'Succeeded', sharedGalleryId: galleryId });
    });

    it('creates one Disabled image per definition, and removes them on detach (sharedGalleryId: null)', async () => {
      grantOwner(galleryId);
      const attach = await patchPlan(galleryId);
      await t.follow(attach.headers.get('location') ?? '');
      await t.follow(attach.headers.get('location') ?? '');
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
      expect(detach.status).toBe(202);
      await t.follow(detach.headers.get('location') ?? '');
      await t.follow(detach.headers.get('location') ?? '');
      expect((await getPlan()).body.properties.sharedGalleryId).toBeUndefined();
      expect((await t.call<ListJson<unknown>>('GET', q(`${planId}/images`, API.plans))).body.value).toEqual([]);
    });

    it('lets a caller that re-reads the resource instead of polling see it settle', async () => {
      grantOwner(galleryId);
      await patchPlan(galleryId);
      expect((await getPlan()).body.properties.provisioningState).toBe('Updating');
      expect((await getPlan()).body.properties).toMatchObject({ provisioningState: 'Succeeded', sharedGalleryId: galleryId });
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

    it('answers 409 AnotherOperationInProgress while an update is running', async () => {
      await t.call('PATCH', q(planId, API.plans), { properties: { allowedRegions: ['westus2', 'eastus'] } });
      const second = await t.call<ArmErrorJson>('PATCH', q(planId, API.plans), { properties: {} });
      expect(second.status).toBe(409);
      expect(second.body.error.code).toBe('AnotherOperationInProgress');
    });

    it('ends Failed (200 with status Failed) when a fault fails the operation, leaving the plan Failed and unchanged', async () => {
      grantOwner(galleryId);
      t.emulator.faults.add({ method: 'PATCH', path: /labPlans\/physics-plan$/i, failOperation: true, code: 'InternalError', message: 'boom', times: 1 });
      const res = await patchPlan(galleryId);
      expect(res.status).toBe(202);
      const location = res.headers.get('location') ?? '';
      await t.follow(location);
      const done = await t.follow<OperationJson>(location);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ status: 'Failed', error: { code: 'InternalError', message: 'boom' } });
      expect((await getPlan()).body.properties).toMatchObject({ provisioningState: 'Failed' });
      expect((await getPlan()).body.properties.sharedGalleryId).toBeUndefined();
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
      expect(asyncUrl).toMatch(new RegExp(`^https://management\\.azure\\.test/subscriptions/${t.sub}/providers/Microsoft\\.Compute/locations/westeurope/operations/[0-9a-f-]+\\?api-version=2025-03-03$`));
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
    const res = await t.call<ArmErrorJson>('GET', q(`/subscriptions/${t.sub}/providers/Microsoft.LabServices/operationresults/nope`, API.plans));
    expect(res.status).toBe(404);
  });
});
