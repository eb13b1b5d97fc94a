import { BUILT_IN_ROLES, LAB_SERVICES_APP_IDS } from '../../src/emulator';
import { API, q, startTestEmulator, type ArmErrorJson, type ListJson, type ResourceJson, type SharedImageProps, type TestEmulator } from './harness';

const CLASSIC_SP = 'classic-sp-object-id';

describe('lab accounts (classic gallery API)', () => {
  let t: TestEmulator;
  let accountId: string;
  let galleryId: string;
  let otherGalleryId: string;

  beforeEach(async () => {
    t = await startTestEmulator({
      seed: (state) => {
        state.setServicePrincipal(LAB_SERVICES_APP_IDS.labAccount, CLASSIC_SP);
        galleryId = state.addGallery({ resourceGroup: 'rg', name: 'shared_images', location: 'westeurope' });
        otherGalleryId = state.addGallery({ resourceGroup: 'rg', name: 'other', location: 'westeurope' });
        state.addImageDefinition({ galleryId, name: 'win10', osType: 'Windows', osState: 'Specialized', description: 'Windows 10' });
        state.addImageDefinition({ galleryId, name: 'ubuntu', osType: 'Linux', osState: 'Generalized' });
        accountId = state.addLabAccount({ resourceGroup: 'rg', name: 'chemistry-account', location: 'westeurope' });
      },
    });
  });
  afterEach(() => t.close());

  const attach = (name: string, id: string) => t.call<ResourceJson<{ galleryId: string }>>('PUT', q(`${accountId}/sharedGalleries/${name}`, API.preview), { properties: { galleryId: id } });
  const images = () => t.call<ListJson<ResourceJson<SharedImageProps>>>('GET', q(`${accountId}/sharedImages`, API.preview));

  it('reads lab accounts (2018-10-15) by id, resource group and subscription', async () => {
    const one = await t.call<ResourceJson<{ provisioningState: string }>>('GET', q(accountId, API.accounts));
    expect(one.body).toMatchObject({ id: accountId, name: 'chemistry-account', type: 'Microsoft.LabServices/labaccounts', location: 'westeurope', properties: { provisioningState: 'Succeeded' } });
    expect(accountId).toContain('/providers/Microsoft.LabServices/labaccounts/');
    const bySub = await t.call<ListJson<unknown>>('GET', q(`/subscriptions/${t.sub}/providers/Microsoft.LabServices/labAccounts`, API.accounts));
    expect(bySub.body.value).toHaveLength(1);
  });

  it('attaches one gallery (201, then 200 again), adding the classic principal as Contributor on it', async () => {
    const first = await attach('shared_images', galleryId);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: 'shared_images', properties: { galleryId } });
    expect(t.emulator.state.roles.at(galleryId)).toEqual([expect.objectContaining({ principalId: CLASSIC_SP, roleDefinitionGuid: BUILT_IN_ROLES.contributor.guid, principalType: 'ServicePrincipal' })]);
    expect((await attach('shared_images', galleryId)).status).toBe(200);
    expect(t.emulator.state.roles.at(galleryId)).toHaveLength(1);
    const listed = await t.call<ListJson<ResourceJson<{ galleryId: string }>>>('GET', q(`${accountId}/sharedGalleries`, API.preview));
    expect(listed.body.value.map((g) => g.properties.galleryId)).toEqual([galleryId]);
  });

  it('refuses a second gallery with 409 Conflict, and an unknown one with 400', async () => {
    await attach('shared_images', galleryId);
    const second = await attach('other', otherGalleryId);
    expect(second.status).toBe(409);
    expect((second.body as unknown as ArmErrorJson).error.code).toBe('Conflict');
    const unknown = await t.call<ArmErrorJson>('PUT', q(`${accountId}/sharedGalleries/x`, API.preview), { properties: { galleryId: `${galleryId}-gone` } });
    expect(unknown.status).toBe(400);
  });

  it('lists the images Enabled by default, toggles them with PUT (existing only), and drops them on detach', async () => {
    await attach('shared_images', galleryId);
    expect((await images()).body.value.map((i) => [i.name, i.properties.enableState, i.properties.imageType, i.properties.sharedGalleryId])).toEqual([
      ['win10', 'Enabled', 'Specialized', `${galleryId}/images/win10`],
      ['ubuntu', 'Enabled', 'Generalized', `${galleryId}/images/ubuntu`],
    ]);
    const disabled = await t.call<ResourceJson<SharedImageProps>>('PUT', q(`${accountId}/sharedImages/WIN10`, API.preview), { properties: { enableState: 'Disabled' } });
    expect(disabled.status).toBe(200);
    expect(disabled.body.properties).toMatchObject({ enableState: 'Disabled', provisioningState: 'Succeeded', definitionName: 'win10' });
    expect((await t.call<ResourceJson<SharedImageProps>>('GET', q(`${accountId}/sharedImages/win10`, API.preview))).body.properties.enableState).toBe('Disabled');
    expect((await t.call('PUT', q(`${accountId}/sharedImages/nope`, API.preview), { properties: { enableState: 'Enabled' } })).status).toBe(404);
    expect((await t.call('PUT', q(`${accountId}/sharedImages/win10`, API.preview), { properties: { enableState: 'Maybe' } })).status).toBe(400);

    expect((await t.call('DELETE', q(`${accountId}/sharedGalleries/shared_images`, API.preview))).status).toBe(200);
    expect((await images()).body.value).toEqual([]);
    expect((await t.call('DELETE', q(`${accountId}/sharedGalleries/shared_images`, API.preview))).status).toBe(204);
    expect((await attach('other', otherGalleryId)).status).toBe(201);
  });

  it('creates a lab from an enabled image: Creating at first, Succeeded after a read; the image on its environment setting', async () => {
    await attach('shared_images', galleryId);
    const imageId = `${accountId}/sharedImages/ubuntu`;
    const res = await t.call('POST', q(`${accountId}/createLab`, API.preview), { name: 'organic-1', labParameters: { sharedImageResourceId: imageId, maxUsersInLab: 25, userQuota: 'PT5H' } });
    expect(res.status).toBe(200);
    const labPath = q(`${accountId}/labs/organic-1`, API.accounts);
    const first = await t.call<ResourceJson<Record<string, unknown>>>('GET', labPath);
    // 2018-10-15: no image field on the lab, the quota is usageQuota, and createLab takes no capacity.
    expect(first.body.properties).toMatchObject({ provisioningState: 'Creating', maxUsersInLab: 0, usageQuota: 'PT5H' });
    expect(Object.keys(first.body.properties)).not.toEqual(expect.arrayContaining(['sharedImageResourceId']));
    expect(Object.keys(first.body.properties)).not.toEqual(expect.arrayContaining(['galleryImageResourceId']));
    expect((await t.call<ResourceJson<{ provisioningState: string }>>('GET', labPath)).body.properties.provisioningState).toBe('Succeeded');
    const settings = await t.call<ListJson<ResourceJson<{ resourceSettings: Record<string, unknown> }>>>('GET', q(`${accountId}/labs/organic-1/environmentsettings`, API.accounts));
    expect(settings.body.value).toEqual([
      expect.objectContaining({
        id: `${accountId}/labs/organic-1/environmentsettings/default`,
        name: 'default',
        type: 'Microsoft.LabServices/labaccounts/labs/environmentsettings',
        properties: expect.objectContaining({ provisioningState: 'Succeeded', resourceSettings: expect.objectContaining({ galleryImageResourceId: `${galleryId}/images/ubuntu`, size: 'Basic' }) }),
      }),
    ]);
    const one = await t.call<ResourceJson<{ resourceSettings: Record<string, unknown> }>>('GET', q(`${accountId}/labs/organic-1/environmentsettings/DEFAULT`, API.accounts));
    expect(one.body.properties.resourceSettings.galleryImageResourceId).toBe(`${galleryId}/images/ubuntu`);
    expect((await t.call('GET', q(`${accountId}/labs/organic-1/environmentsettings/other`, API.accounts))).status).toBe(404);

    // Capacity is a PUT on the lab once it exists.
    const put = await t.call<ResourceJson<Record<string, unknown>>>('PUT', labPath, { properties: { maxUsersInLab: 25, usageQuota: 'PT12H', provisioningState: 'Failed' } });
    expect(put.status).toBe(200);
    expect(put.body.properties).toMatchObject({ maxUsersInLab: 25, usageQuota: 'PT12H', provisioningState: 'Succeeded' });
    expect((await t.call('PUT', labPath, { properties: { maxUsersInLab: -1 } })).status).toBe(400);
    expect((await t.call('PUT', q(`${accountId}/labs/nowhere`, API.accounts), { properties: { maxUsersInLab: 1 } })).status).toBe(404);
    expect((await t.call<ListJson<unknown>>('GET', q(`${accountId}/labs`, API.accounts))).body.value).toHaveLength(1);
    const labParametersName = await t.call('POST', q(`${accountId}/createLab`, API.preview), { labParameters: { name: 'organic-2', sharedImageResourceId: imageId } });
    expect(labParametersName.status).toBe(200);
  });

  it('refuses createLab from a disabled or foreign image', async () => {
    await attach('shared_images', galleryId);
    await t.call('PUT', q(`${accountId}/sharedImages/ubuntu`, API.preview), { properties: { enableState: 'Disabled' } });
    const disabled = await t.call<ArmErrorJson>('POST', q(`${accountId}/createLab`, API.preview), { name: 'x', labParameters: { sharedImageResourceId: `${accountId}/sharedImages/ubuntu` } });
    expect(disabled.body.error.code).toBe('ImageNotEnabled');
    const foreign = await t.call<ArmErrorJson>('POST', q(`${accountId}/createLab`, API.preview), { name: 'x', labParameters: { sharedImageResourceId: `${galleryId}/images/ubuntu` } });
    expect(foreign.status).toBe(400);
  });
});
