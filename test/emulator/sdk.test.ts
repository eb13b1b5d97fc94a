import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ComputeManagementClient } from '@azure/arm-compute';
import { LabServicesClient } from '@azure/arm-labservices';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { ServiceClient } from '@azure/core-client';
import { createHttpHeaders, createPipelineRequest, isRestError } from '@azure/core-rest-pipeline';
import { preferSignedPollUrlPolicy } from '../../src/azure/operation';
import { BUILT_IN_ROLES, LAB_SERVICES_APP_IDS } from '../../src/emulator';
import { ARM_SCOPES, facadeHttpClient, staticCredential } from './facadeClient';
import { REPLICATION_MS, startTestEmulator, type TestEmulator } from './harness';

/** The real SDKs, talking to the emulator through the https facade. */
describe('real Azure SDKs against the emulator', () => {
  let t: TestEmulator;
  let planId: string;
  let galleryId: string;
  let definitionId: string;
  const fast = { updateIntervalInMs: 5 };

  beforeEach(async () => {
    t = await startTestEmulator({
      pageSize: 1,
      seed: (state) => {
        state.setServicePrincipal(LAB_SERVICES_APP_IDS.labPlan, 'plan-sp');
        state.setServicePrincipal(LAB_SERVICES_APP_IDS.labAccount, 'account-sp');
        galleryId = state.addGallery({ resourceGroup: 'rg-labs', name: 'physics_gallery', location: 'westus2' });
        definitionId = state.addImageDefinition({ galleryId, name: 'win11', osType: 'Windows', osState: 'Generalized', publisher: 'Contoso', offer: 'win', sku: '11' });
        state.addImageVersion({ definitionId, name: '1.0.0', targetRegions: ['westus2'], replicationDurationsMs: 0 });
        state.addImageDefinition({ galleryId, name: 'ubuntu', osType: 'Linux', osState: 'Generalized' });
        planId = state.addLabPlan({ resourceGroup: 'rg-labs', name: 'physics-plan', location: 'westus2' });
        state.addLabPlan({ resourceGroup: 'rg-labs', name: 'second-plan', location: 'eastus' });
      },
    });
  });
  afterEach(() => t.close());

  const classic = () => ({ endpoint: t.emulator.facadeOrigin, $host: t.emulator.facadeOrigin, credentialScopes: ARM_SCOPES, httpClient: facadeHttpClient(t.emulator.facadeOrigin, t.emulator.url) });

  it('@azure/arm-labservices: paged lists, update LRO to attach, images, lab creation LRO', async () => {
    const client = new LabServicesClient(staticCredential, t.sub, classic());
    // As the adapter does: poll the signed Azure-AsyncOperation URL, not the unsigned Operation-Location.
    client.pipeline.addPolicy(preferSignedPollUrlPolicy());
    const plans = [];
    for await (const plan of client.labPlans.listBySubscription()) plans.push(plan.name);
    expect(plans).toEqual(['physics-plan', 'second-plan']);

    t.emulator.state.addRoleAssignment({ scope: galleryId, roleDefinitionGuid: BUILT_IN_ROLES.owner.guid, principalId: 'plan-sp', principalType: 'ServicePrincipal' });
    const result = await client.labPlans.beginUpdateAndWait('rg-labs', 'physics-plan', { sharedGalleryId: galleryId }, fast);
    expect(result).toBeDefined();
    const plan = await client.labPlans.get('rg-labs', 'physics-plan');
    expect(plan).toMatchObject({ id: planId, provisioningState: 'Succeeded', sharedGalleryId: galleryId, location: 'westus2' });

    const images = [];
    for await (const image of client.images.listByLabPlan('rg-labs', 'physics-plan')) images.push(image);
    expect(images.map((i) => [i.name, i.enabledState, i.osType, i.sharedGalleryId])).toEqual([
      ['win11', undefined, 'Windows', definitionId],
      ['ubuntu', undefined, 'Linux', `${galleryId}/images/ubuntu`],
    ]);
    const enabled = await client.images.update('rg-labs', 'physics-plan', 'win11', { enabledState: 'Enabled' });
    expect(enabled.enabledState).toBe('Enabled');
    expect((await client.images.get('rg-labs', 'physics-plan', 'win11')).availableRegions).toEqual(['westus2']);

    await client.labs.beginCreateOrUpdateAndWait(
      'rg-labs',
      'mechanics-101',
      {
        location: 'westus2',
        labPlanId: planId,
        title: 'Mechanics 101',
        virtualMachineProfile: { createOption: 'Image', imageReference: { id: definitionId }, sku: { name: 'Classic_Fsv2_2_4GB_128_S_SSD', capacity: 2 }, usageQuota: 'PT10H', adminUser: { username: 'admin', password: 'P@ssw0rd!' }, useSharedPassword: 'Disabled' },
        autoShutdownProfile: {},
        connectionProfile: {},
        securityProfile: {},
      },
      fast,
    );
    expect((await client.labs.get('rg-labs', 'mechanics-101')).provisioningState).toBe('Succeeded');

    await client.labPlans.beginSaveImageAndWait('rg-labs', 'physics-plan', { name: 'saved', labVirtualMachineId: `${planId}/x` }, fast);
    expect(t.emulator.state.galleries.definition(`${galleryId}/images/saved`)?.osState).toBe('Specialized');
  });

  it('@azure/arm-labservices left to poll the unsigned Operation-Location is refused: poll URLs must be used as signed', async () => {
    const client = new LabServicesClient(staticCredential, t.sub, classic());
    const image = { createOption: 'Image' as const, imageReference: { id: definitionId }, sku: { name: 'Classic_Fsv2_2_4GB_128_S_SSD', capacity: 1 }, usageQuota: 'PT1H', adminUser: { username: 'a', password: 'b' } };
    const lab = { location: 'westus2', labPlanId: planId, virtualMachineProfile: image, autoShutdownProfile: {}, connectionProfile: {}, securityProfile: {} };
    t.emulator.state.labPlans.setGallery(planId, galleryId);
    await expect(client.labs.beginCreateOrUpdateAndWait('rg-labs', 'unsigned-poll', lab, fast)).rejects.toMatchObject({ statusCode: 400, code: 'InvalidOperationSignature' });
  });

  it('@azure/arm-labservices surfaces ARM errors as RestError with the code', async () => {
    const client = new LabServicesClient(staticCredential, t.sub, classic());
    await expect(client.labPlans.beginUpdateAndWait('rg-labs', 'physics-plan', { sharedGalleryId: galleryId }, fast)).rejects.toMatchObject({ statusCode: 400, code: 'MissingGalleryOwnerRole' });
  });

  it('@azure/arm-compute: gallery create LRO, paged lists, version expand and target-region update LRO', async () => {
    const client = new ComputeManagementClient(staticCredential, t.sub, {
      endpoint: t.emulator.facadeOrigin,
      credentials: { scopes: ARM_SCOPES },
      httpClient: facadeHttpClient(t.emulator.facadeOrigin, t.emulator.url),
    });
    const created = await client.galleries.createOrUpdate('rg-labs', 'shared_images', { location: 'westeurope', description: 'shared' }, fast);
    expect(created).toMatchObject({ name: 'shared_images', location: 'westeurope', provisioningState: 'Succeeded', description: 'shared' });

    const galleries = [];
    for await (const g of client.galleries.list()) galleries.push(g.name);
    expect(galleries.sort()).toEqual(['physics_gallery', 'shared_images']);
    const definitions = [];
    for await (const d of client.galleryImages.listByGallery('rg-labs', 'physics_gallery')) definitions.push([d.name, d.osType, d.identifier?.publisher]);
    expect(definitions).toEqual([
      ['win11', 'Windows', 'Contoso'],
      ['ubuntu', 'Linux', 'LabGallery'],
    ]);

    const version = await client.galleryImageVersions.get('rg-labs', 'physics_gallery', 'win11', '1.0.0', { expand: 'ReplicationStatus' });
    expect(version.replicationStatus?.aggregatedState).toBe('Completed');
    expect(version.storageProfile?.osDiskImage?.sizeInGB).toBe(127);
    expect((await client.galleryImageVersions.get('rg-labs', 'physics_gallery', 'win11', '1.0.0')).replicationStatus).toBeUndefined();

    const updated = await client.galleryImageVersions.update(
      'rg-labs',
      'physics_gallery',
      'win11',
      '1.0.0',
      { publishingProfile: { targetRegions: [{ name: 'West US 2' }, { name: 'East US' }] }, storageProfile: {} },
      fast,
    );
    expect(updated.publishingProfile?.targetRegions?.map((r) => r.name)).toEqual(['West US 2', 'East US']);
    const replicating = await client.galleryImageVersions.get('rg-labs', 'physics_gallery', 'win11', '1.0.0', { expand: 'ReplicationStatus' });
    expect(replicating.replicationStatus?.summary?.map((s) => s.state)).toEqual(['Completed', 'Replicating']);
    t.clock.advance(REPLICATION_MS);
    const versions = [];
    for await (const v of client.galleryImageVersions.listByGalleryImage('rg-labs', 'physics_gallery', 'win11')) versions.push(v.name);
    expect(versions).toEqual(['1.0.0']);
  });

  it('@azure/arm-authorization: create 201, RoleAssignmentExists 409, listForScope with filters', async () => {
    const client = new AuthorizationManagementClient(staticCredential, t.sub, classic());
    const scope = galleryId.slice(1);
    const params = { roleDefinitionId: `/subscriptions/${t.sub}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES.owner.guid}`, principalId: 'plan-sp', principalType: 'ServicePrincipal' as const };
    const created = await client.roleAssignments.create(scope, '0c5e2a3b-1111-4222-8333-444455556666', params);
    expect(created).toMatchObject({ principalId: 'plan-sp', scope: galleryId, roleDefinitionId: params.roleDefinitionId });
    const conflict = await client.roleAssignments.create(scope, '0c5e2a3b-1111-4222-8333-444455556667', params).catch((e: unknown) => e);
    expect(isRestError(conflict) && conflict.statusCode === 409 && conflict.code === 'RoleAssignmentExists').toBe(true);
    await client.roleAssignments.create(`/${scope}`, '0c5e2a3b-1111-4222-8333-444455556668', { ...params, principalId: 'someone' });

    const atScope = [];
    for await (const a of client.roleAssignments.listForScope(scope, { filter: "atScope() and principalId eq 'plan-sp'" })) atScope.push(a.principalId);
    expect(atScope).toEqual(['plan-sp']);
    const all = [];
    for await (const a of client.roleAssignments.listForSubscription()) all.push(a.principalId);
    expect(all.sort()).toEqual(['plan-sp', 'someone']);
    expect((await client.roleDefinitions.get(`subscriptions/${t.sub}`, BUILT_IN_ROLES.owner.guid)).roleName).toBe('Owner');
  });

  it('@azure/arm-resources-subscriptions: listLocations with geography metadata', async () => {
    const client = new SubscriptionClient(staticCredential, classic());
    const locations = [];
    for await (const l of client.subscriptions.listLocations(t.sub)) locations.push(l);
    expect(locations.find((l) => l.name === 'westeurope')).toMatchObject({ displayName: 'West Europe', metadata: { regionType: 'Physical', geography: 'Europe', geographyGroup: 'Europe' } });
    expect(locations.some((l) => l.metadata?.regionType === 'Logical')).toBe(true);
  });

  it('@azure/core-client raw requests: lab account gallery attach and Graph', async () => {
    const accountId = t.emulator.state.addLabAccount({ resourceGroup: 'rg-labs', name: 'chemistry', location: 'westeurope' });
    const client = new ServiceClient({ endpoint: t.emulator.facadeOrigin, credential: staticCredential, credentialScopes: ARM_SCOPES, httpClient: facadeHttpClient(t.emulator.facadeOrigin, t.emulator.url) });
    const send = async (method: 'GET' | 'PUT', path: string, body?: unknown) => {
      const response = await client.sendRequest(
        createPipelineRequest({ url: `${t.emulator.facadeOrigin}${path}`, method, headers: createHttpHeaders({ 'content-type': 'application/json' }), ...(body ? { body: JSON.stringify(body) } : {}) }),
      );
      return { status: response.status, body: JSON.parse(response.bodyAsText ?? 'null') as { id?: string; value?: { properties: { enableState: string } }[] } };
    };
    expect((await send('PUT', `${accountId}/sharedGalleries/physics_gallery?api-version=2019-01-01-preview`, { properties: { galleryId } })).status).toBe(201);
    const images = await send('GET', `${accountId}/sharedImages?api-version=2019-01-01-preview`);
    expect(images.body.value?.map((i) => i.properties.enableState)).toEqual(['Enabled']);
    expect(t.emulator.state.roles.at(galleryId).map((a) => a.principalId)).toEqual(['account-sp']);
    expect((await send('GET', `/v1.0/servicePrincipals(appId='${LAB_SERVICES_APP_IDS.labPlan}')`)).body.id).toBe('plan-sp');
  });
});
