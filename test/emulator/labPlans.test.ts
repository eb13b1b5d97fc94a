import { API, q, REPLICATION_MS, startTestEmulator, type ArmErrorJson, type ListJson, type OperationJson, type PlanImageProps, type ResourceJson, type TestEmulator, type VersionProps } from './harness';

describe('lab plans: images, labs, saveImage, paging', () => {
  let t: TestEmulator;
  let planId: string;
  let galleryId: string;
  let winId: string;
  let rgPath: string;

  beforeEach(async () => {
    t = await startTestEmulator({
      pageSize: 2,
      seed: (state) => {
        galleryId = state.addGallery({ resourceGroup: 'rg', name: 'g', location: 'westus2' });
        winId = state.addImageDefinition({ galleryId, name: 'win11', osType: 'Windows', osState: 'Generalized' });
        state.addImageVersion({ definitionId: winId, name: '1.0.0', targetRegions: ['westus2'], replicationDurationsMs: 0 });
        const eastOnly = state.addImageDefinition({ galleryId, name: 'east-only', osType: 'Linux', osState: 'Generalized' });
        state.addImageVersion({ definitionId: eastOnly, name: '1.0.0', targetRegions: ['eastus'], replicationDurationsMs: 0 });
        state.addImageDefinition({ galleryId, name: 'third', osType: 'Linux', osState: 'Specialized' });
        planId = state.addLabPlan({ resourceGroup: 'rg', name: 'plan', location: 'westus2', sharedGalleryId: galleryId });
        for (const name of ['p2', 'p3']) state.addLabPlan({ resourceGroup: 'rg', name, location: 'westus2' });
      },
    });
    rgPath = `/subscriptions/${t.sub}/resourceGroups/rg`;
  });
  afterEach(() => t.close());

  it('pages lists with an absolute facade nextLink that carries the api-version, and honours $top', async () => {
    // A plan's images come 200 a page whatever the emulator's page size, the nextLink with :443.
    const first = await t.call<ListJson<ResourceJson<PlanImageProps>>>('GET', q(`${planId}/images`, API.plans, '&$top=2'));
    expect(first.body.value.map((i) => i.name)).toEqual(['win11', 'east-only']);
    expect(first.body.nextLink).toBe(`https://management.azure.test:443${planId}/images?api-version=2022-08-01&$top=2&$skipToken=2`);
    const second = await t.follow<ListJson<ResourceJson<PlanImageProps>>>(first.body.nextLink ?? '');
    expect(second.body.value.map((i) => i.name)).toEqual(['third']);
    expect(second.body.nextLink).toBeUndefined();
    const top = await t.call<ListJson<unknown>>('GET', q(`${rgPath}/providers/Microsoft.LabServices/labPlans`, API.plans, '&$top=1'));
    expect(top.body.value).toHaveLength(1);
    expect(top.body.nextLink).toContain('$top=1');
    const bySub = await t.call<ListJson<unknown>>('GET', q(`/subscriptions/${t.sub}/providers/Microsoft.LabServices/labPlans`, API.plans));
    expect(bySub.body.value).toHaveLength(2);
    expect((await t.follow<ListJson<unknown>>(bySub.body.nextLink ?? '')).body.value).toHaveLength(1);
  });

  it('enables an image with a synchronous PATCH (200) and refuses to create images with PUT', async () => {
    const res = await t.call<ResourceJson<PlanImageProps>>('PATCH', q(`${planId}/images/WIN11`, API.plans), { properties: { enabledState: 'Enabled' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(res.body).toMatchObject({ id: `${planId}/images/win11`, name: 'win11', type: 'Microsoft.LabServices/labPlans/images', properties: { enabledState: 'Enabled', provisioningState: 'Succeeded' } });
    expect((await t.call<ResourceJson<PlanImageProps>>('GET', q(`${planId}/images/win11`, API.plans))).body.properties.enabledState).toBe('Enabled');
    expect((await t.call('PUT', q(`${planId}/images/win11`, API.plans), { properties: { enabledState: 'Disabled' } })).status).toBe(200);
    expect((await t.call<ArmErrorJson>('PUT', q(`${planId}/images/new-one`, API.plans), { properties: { enabledState: 'Enabled' } })).status).toBe(404);
    expect((await t.call<ArmErrorJson>('PATCH', q(`${planId}/images/win11`, API.plans), { properties: { enabledState: 'On' } })).status).toBe(400);
  });

  it('shows definitions added after the attach (recomputed on read)', async () => {
    t.emulator.state.addImageDefinition({ galleryId, name: 'late', osType: 'Linux', osState: 'Generalized' });
    // Disabled images carry no enabledState at all (labplan-images-list.json).
    const late = await t.call<ResourceJson<PlanImageProps>>('GET', q(`${planId}/images/late`, API.plans));
    expect(late.status).toBe(200);
    expect(late.body.properties).not.toHaveProperty('enabledState');
  });

  describe('labs', () => {
    const labPath = () => `${rgPath}/providers/Microsoft.LabServices/labs/mechanics`;
    const body = (imageId: string, location = 'westus2') => ({
      location,
      properties: {
        labPlanId: planId,
        title: 'Mechanics',
        virtualMachineProfile: { createOption: 'Image', imageReference: { id: imageId }, sku: { name: 'Classic_Fsv2_2_4GB_128_S_SSD', capacity: 5 }, usageQuota: 'PT10H', adminUser: { username: 'admin', password: 'secret' }, useSharedPassword: 'Disabled' },
      },
    });

    it('creates a lab (201 Creating, Location = the lab, signed Azure-AsyncOperation) that turns Succeeded, without echoing the password', async () => {
      const res = await t.call<ResourceJson<{ provisioningState: string; labPlanId: string }>>('PUT', q(labPath(), API.plans), body(winId));
      expect(res.status).toBe(201);
      expect(res.body.properties.provisioningState).toBe('Creating');
      expect(res.headers.get('location')).toBe(`${t.emulator.facadeOrigin}${labPath()}?api-version=${API.plans}`);
      const asyncUrl = res.headers.get('azure-asyncoperation') ?? '';
      expect(asyncUrl).toMatch(/\/providers\/Microsoft\.LabServices\/locations\/westus2\/operationResults\/[0-9a-f-]+\?api-version=2022-08-01&t=[^&]+&c=[^&]+&s=[^&]+&h=[^&]+$/);
      expect(res.headers.get('operation-location')).toBe(asyncUrl.replace(/&t=.*$/, ''));
      const first = await t.follow<OperationJson>(asyncUrl);
      expect(first.status).toBe(200);
      expect(first.body.status).toBe('InProgress');
      expect((await t.follow<OperationJson>(asyncUrl)).body.status).toBe('Succeeded');
      const lab = await t.call<ResourceJson<{ provisioningState: string; labPlanId: string; virtualMachineProfile: { adminUser: Record<string, string> } }>>('GET', q(labPath(), API.plans));
      expect(lab.body.properties).toMatchObject({ provisioningState: 'Succeeded', labPlanId: planId });
      expect(lab.body.properties.virtualMachineProfile.adminUser).toEqual({ username: 'admin' });
      expect((await t.call<ListJson<unknown>>('GET', q(`/subscriptions/${t.sub}/providers/Microsoft.LabServices/labs`, API.plans))).body.value).toHaveLength(1);
    });

    it('deletes a lab: 202 with Location …&monitor=true and the operation result, gone once the operation succeeds', async () => {
      await t.call('PUT', q(labPath(), API.plans), body(winId));
      await t.call('GET', q(labPath(), API.plans));
      await t.call('GET', q(labPath(), API.plans));
      const res = await t.call<OperationJson>('DELETE', q(labPath(), API.plans));
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('InProgress');
      const location = res.headers.get('location') ?? '';
      expect(location).toContain('&monitor=true&');
      expect(res.headers.get('azure-asyncoperation')).toMatch(/\/operationResults\/[0-9a-f-]+\?api-version=2022-08-01&t=/);
      await t.follow(res.headers.get('azure-asyncoperation') ?? '');
      const done = await t.follow<OperationJson>(location);
      expect(done.status).toBe(200);
      expect(done.body.status).toBe('Succeeded');
      const gone = await t.call<Record<string, unknown>>('GET', q(labPath(), API.plans));
      expect(gone.status).toBe(404);
      expect(gone.body).toMatchObject({ title: 'Not Found', status: 404 });
      expect((await t.call('DELETE', q(labPath(), API.plans))).status).toBe(204);
    });

    it('accepts a version id or the plan image id as the image reference', async () => {
      expect((await t.call('PUT', q(labPath(), API.plans), body(`${winId}/versions/1.0.0`))).status).toBe(201);
      expect((await t.call('PUT', q(`${labPath()}2`, API.plans), body(`${planId}/images/win11`))).status).toBe(201);
    });

    it('refuses an image outside the attached gallery, or not replicated to the lab region', async () => {
      const foreign = await t.call<ArmErrorJson>('PUT', q(labPath(), API.plans), body('/subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/galleries/z/images/w'));
      expect(foreign.status).toBe(400);
      expect(foreign.body.error.code).toBe('ImageNotInAttachedGallery');
      const notHere = await t.call<ArmErrorJson>('PUT', q(labPath(), API.plans), body(`${galleryId}/images/east-only`));
      expect(notHere.status).toBe(400);
      expect(notHere.body.error.code).toBe('ImageNotAvailableInRegion');
      expect((await t.call('PUT', q(labPath(), API.plans), body(`${galleryId}/images/east-only`, 'eastus'))).status).toBe(201);
    });
  });

  it('saves an image: a Specialized definition with version 1.0.0 replicating to the plan region', async () => {
    const res = await t.call('POST', q(`${planId}/saveImage`, API.plans), { name: 'Saved Template', labVirtualMachineId: `${rgPath}/providers/Microsoft.LabServices/labs/lab1/virtualMachines/template` });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'InProgress', id: expect.stringMatching(/\/locations\/westus2\/operationResults\//) });
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(/\/operationResults\/[0-9a-f-]+\?api-version=2022-08-01&monitor=true&t=[^&]+&c=[^&]+&s=[^&]+&h=[^&]+$/);
    expect(res.headers.get('azure-asyncoperation')?.startsWith(location.replace(/&monitor=true&.*$/, '&t='))).toBe(true);
    expect((await t.follow(location)).status).toBe(202);
    expect((await t.follow<OperationJson>(location)).body.status).toBe('Succeeded');
    const version = await t.call<ResourceJson<VersionProps>>('GET', q(`${galleryId}/images/Saved-Template/versions/1.0.0`, API.compute, '&$expand=ReplicationStatus'));
    expect(version.status).toBe(200);
    expect(version.body.properties.publishingProfile.targetRegions.map((r) => r.name)).toEqual(['West US 2']);
    expect(version.body.properties.replicationStatus?.aggregatedState).toBe('InProgress');
    const image = await t.call<ResourceJson<PlanImageProps>>('GET', q(`${planId}/images/saved-template`, API.plans));
    expect(image.body.properties).toMatchObject({ osState: 'Specialized', displayName: 'Saved Template', availableRegions: [] });
    expect(image.body.properties).not.toHaveProperty('enabledState');
    t.clock.advance(REPLICATION_MS);
    expect((await t.call<ResourceJson<PlanImageProps>>('GET', q(`${planId}/images/saved-template`, API.plans))).body.properties.availableRegions).toEqual(['westus2']);
  });

  it('refuses saveImage without an attached gallery', async () => {
    const res = await t.call<ArmErrorJson>('POST', q(`${rgPath}/providers/Microsoft.LabServices/labPlans/p2/saveImage`, API.plans), { name: 'x', labVirtualMachineId: 'y' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('NoSharedGalleryAttached');
  });
});
