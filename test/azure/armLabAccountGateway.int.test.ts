import { UnsupportedHostOperationError, type HostImage } from '../../src/ports/labHostGateway';
import { RG, startHarness, type Harness } from './emulatorHarness';

let h: Harness;
let accountId: string;
let galleryId: string;
let win10: string;

beforeAll(async () => {
  h = await startHarness((s) => {
    accountId = s.addLabAccount({ resourceGroup: RG, name: 'legacy-account', location: 'westeurope' });
    galleryId = s.addGallery({ resourceGroup: RG, name: 'legacy_gallery', location: 'westeurope' });
    win10 = s.addImageDefinition({ galleryId, name: 'win10-cs', osType: 'Windows', osState: 'Generalized' });
    s.addImageDefinition({ galleryId, name: 'kali', osType: 'Linux', osState: 'Specialized' });
    s.addImageVersion({ definitionId: win10, targetRegions: ['westeurope'], replicationDurationsMs: 0 });
  });
});

afterAll(() => h.close());
afterEach(() => h.emulator.faults.clear());

const labHosts = () => h.gateways.labHosts;

describe('ArmLabAccountGateway (raw ARM calls against the emulator)', () => {
  it('reads a lab account with no gallery attached', async () => {
    await expect(labHosts().getHost(accountId)).resolves.toEqual({
      id: accountId,
      name: 'legacy-account',
      kind: 'labAccount',
      location: 'westeurope',
      resourceGroup: RG,
      subscriptionId: h.emulator.subscriptionId,
      sharedGalleryId: undefined,
      provisioningState: 'Succeeded',
    });
  });

  it('attaches a gallery and reads it back', async () => {
    const host = await labHosts().attachGallery(accountId, galleryId);
    expect(host.sharedGalleryId).toBe(galleryId);
    expect((await labHosts().listHosts()).find((x) => x.id === accountId)?.sharedGalleryId).toBe(galleryId);
  });

  it('lists the shared images, enabled by default', async () => {
    const images = await labHosts().listImages(accountId);
    expect(images.find((i) => i.name === 'win10-cs')).toEqual<HostImage>({
      id: `${accountId}/sharedImages/win10-cs`,
      name: 'win10-cs',
      displayName: 'win10-cs',
      enabled: true,
      osType: 'Windows',
      osState: 'Generalized',
      definitionId: win10,
      provisioningState: 'Succeeded',
    });
    expect(images.find((i) => i.name === 'kali')).toMatchObject({ enabled: true, osType: 'Linux', osState: 'Specialized' });
  });

  it('disables and re-enables an image', async () => {
    await expect(labHosts().setImageEnabled(accountId, 'kali', false)).resolves.toMatchObject({ name: 'kali', enabled: false });
    expect((await labHosts().listImages(accountId)).find((i) => i.name === 'kali')?.enabled).toBe(false);
    await expect(labHosts().setImageEnabled(accountId, 'kali', true)).resolves.toMatchObject({ enabled: true });
  });

  it('creates a lab with createLab and waits until it is provisioned', async () => {
    const image = (await labHosts().listImages(accountId)).find((i) => i.name === 'win10-cs');
    if (!image) throw new Error('image missing');
    const lab = await labHosts().createLab(accountId, {
      name: 'cs-101',
      image,
      vmSize: 'Basic',
      capacity: 15,
      usageQuotaHours: 12,
      adminUser: { username: 'teacher', password: 'S3cret!pass' },
    });
    // The image comes back from the lab's environment setting (galleryImageResourceId: the definition).
    expect(lab).toMatchObject({ id: `${accountId}/labs/cs-101`, name: 'cs-101', imageId: win10, provisioningState: 'Succeeded' });
    // createLab takes no capacity: a PUT on the lab set it afterwards, with the 2018-10-15 quota name.
    expect(h.state.labs.get(lab.id)?.properties).toMatchObject({ maxUsersInLab: 15, usageQuota: 'PT12H' });
    expect(h.state.labs.get(lab.id)?.environmentSetting?.resourceSettings).toMatchObject({ galleryImageResourceId: win10, size: 'Basic' });
    const writes = h.emulator.requestLog.filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.operation}`);
    expect(writes.slice(-2)).toEqual(['POST labAccounts.createLab', 'PUT labAccountLabs.createOrUpdate']);
    await expect(labHosts().listLabs(accountId)).resolves.toEqual([expect.objectContaining({ name: 'cs-101', imageId: win10 })]);
  });

  /**
   * No recording of lab accounts exists (fixtures README, "Not found"): the environment-settings shape is the
   * 2018-10-15 REST spec's, and the adapter keeps its reading of it in one function (labImageOf).
   */
  it('lists labs with their images from each lab\'s environment setting, a few reads at a time', async () => {
    for (let i = 0; i < 9; i++) h.state.addLab({ hostId: accountId, name: `bulk-${i}`, imageId: `${accountId}/sharedImages/win10-cs`, capacity: 3 });
    h.state.addLab({ hostId: accountId, name: 'no-template' });
    h.emulator.clearRequestLog();
    const labs = await labHosts().listLabs(accountId);
    expect(labs.filter((l) => l.name.startsWith('bulk-')).map((l) => l.imageId)).toEqual(Array(9).fill(win10));
    expect(labs.find((l) => l.name === 'no-template')?.imageId).toBeUndefined();
    expect(h.calls('labAccountLabs.list')).toBe(1);
    expect(h.calls('labAccountEnvironmentSettings.list')).toBe(labs.length);
    for (const name of [...Array(9).keys()].map((i) => `bulk-${i}`).concat('no-template')) h.state.labs.remove(`${accountId}/labs/${name}`);
  });

  it('reports a lab whose creation fails as operationFailed', async () => {
    const image = (await labHosts().listImages(accountId)).find((i) => i.name === 'win10-cs');
    if (!image) throw new Error('image missing');
    h.emulator.faults.add({ method: 'POST', path: /createLab$/i, failOperation: true, times: 1 });
    await expect(
      labHosts().createLab(accountId, { name: 'cs-broken', image, vmSize: 'Basic', capacity: 1, usageQuotaHours: 1, adminUser: { username: 'a', password: 'b' } }),
    ).rejects.toMatchObject({ kind: 'operationFailed', detail: { target: 'cs-broken' } });
  });

  it('does not save images: a typed unsupported error, no call to Azure', async () => {
    h.emulator.clearRequestLog();
    const error = await labHosts().saveImage(accountId, { name: 'x', labVirtualMachineId: `${accountId}/labs/cs-101/vm` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedHostOperationError);
    expect(error).toMatchObject({ key: 'host.unsupported', kind: 'labAccount', operation: 'saveImage' });
    expect(h.emulator.requestLog).toHaveLength(0);
  });

  it('maps a conflicting attach (another gallery attached) to conflict', async () => {
    const other = h.state.addGallery({ resourceGroup: RG, name: 'other_gallery', location: 'westeurope' });
    await expect(labHosts().attachGallery(accountId, other)).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('detaches the gallery, and detaching again is a no-op', async () => {
    await expect(labHosts().detachGallery(accountId)).resolves.toMatchObject({ sharedGalleryId: undefined });
    await expect(labHosts().listImages(accountId)).resolves.toEqual([]);
    h.emulator.clearRequestLog();
    await expect(labHosts().detachGallery(accountId)).resolves.toMatchObject({ sharedGalleryId: undefined });
    expect(h.calls('sharedGalleries.delete')).toBe(0);
  });
});
