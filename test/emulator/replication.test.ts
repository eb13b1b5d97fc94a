import { replicaStatus, replicationStatus } from '../../src/emulator/state/replication';
import { API, q, REPLICATION_MS, startTestEmulator, type ListJson, type OperationJson, type PlanImageProps, type ResourceJson, type SharedImageProps, type TestEmulator, type VersionProps } from './harness';

describe('replication simulation', () => {
  let t: TestEmulator;
  let galleryId: string;
  let definitionId: string;
  let versionId: string;
  let planId: string;

  beforeEach(async () => {
    t = await startTestEmulator({
      seed: (state) => {
        galleryId = state.addGallery({ resourceGroup: 'rg', name: 'g', location: 'westus2' });
        definitionId = state.addImageDefinition({ galleryId, name: 'win11', osType: 'Windows', osState: 'Generalized' });
        versionId = state.addImageVersion({ definitionId, name: '1.0.0', targetRegions: ['westus2', 'East US'], replicationDurationsMs: { westus2: 1000, eastus: 4000 } });
        planId = state.addLabPlan({ resourceGroup: 'rg', name: 'plan', location: 'eastus', sharedGalleryId: galleryId });
      },
    });
  });
  afterEach(() => t.close());

  const getVersion = (expand = true) => t.call<ResourceJson<VersionProps>>('GET', q(versionId, API.compute, expand ? '&%24expand=ReplicationStatus' : ''));

  it('answers replicationStatus only with $expand=ReplicationStatus (percent-encoded or not)', async () => {
    expect((await getVersion(false)).body.properties.replicationStatus).toBeUndefined();
    expect((await getVersion(true)).body.properties.replicationStatus).toBeDefined();
    expect((await t.call<ResourceJson<VersionProps>>('GET', q(versionId, API.compute, '&$expand=replicationstatus'))).body.properties.replicationStatus).toBeDefined();
    const list = await t.call<ListJson<ResourceJson<VersionProps>>>('GET', q(`${definitionId}/versions`, API.compute));
    expect(list.body.value[0]?.properties.replicationStatus).toBeUndefined();
  });

  it('reports display names, and progress that advances with the clock until Completed', async () => {
    const start = (await getVersion()).body.properties;
    expect(start.publishingProfile.targetRegions.map((r) => r.name)).toEqual(['West US 2', 'East US']);
    expect(start.replicationStatus).toEqual({
      aggregatedState: 'InProgress',
      summary: [
        { region: 'West US 2', state: 'Replicating', details: '', progress: 0 },
        { region: 'East US', state: 'Replicating', details: '', progress: 0 },
      ],
    });
    t.clock.advance(2000);
    expect((await getVersion()).body.properties.replicationStatus?.summary.map((s) => [s.state, s.progress])).toEqual([
      ['Completed', 100],
      ['Replicating', 50],
    ]);
    t.clock.advance(2000);
    const done = (await getVersion()).body.properties.replicationStatus;
    expect(done?.aggregatedState).toBe('Completed');
    expect(done?.summary.every((s) => s.state === 'Completed' && s.progress === 100)).toBe(true);
  });

  it('makes a plan image available in a region once a replica there completes (recomputed on read)', async () => {
    const image = () => t.call<ResourceJson<PlanImageProps>>('GET', q(`${planId}/images/win11`, API.plans));
    expect((await image()).body.properties.availableRegions).toEqual([]);
    t.clock.advance(1000);
    expect((await image()).body.properties.availableRegions).toEqual(['westus2']);
    t.clock.advance(3000);
    expect((await image()).body.properties.availableRegions).toEqual(['eastus', 'westus2']);
  });

  it('starts replicating an added target region while completed regions stay completed', async () => {
    t.clock.advance(5000);
    const res = await t.call<ResourceJson<VersionProps>>('PATCH', q(versionId, API.compute), {
      properties: { publishingProfile: { targetRegions: [{ name: 'westus2' }, { name: 'eastus' }, { name: 'North Europe', regionalReplicaCount: 2 }] } },
    });
    expect(res.status).toBe(200);
    expect(res.body.properties.provisioningState).toBe('Updating');
    const asyncUrl = res.headers.get('azure-asyncoperation') ?? '';
    await t.follow(asyncUrl);
    expect((await t.follow<OperationJson>(asyncUrl)).body.status).toBe('Succeeded');
    const status = (await getVersion()).body.properties;
    expect(status.publishingProfile.targetRegions).toContainEqual({ name: 'North Europe', regionalReplicaCount: 2, storageAccountType: 'Standard_LRS' });
    expect(status.replicationStatus?.aggregatedState).toBe('InProgress');
    expect(status.replicationStatus?.summary.map((s) => [s.region, s.state, s.progress])).toEqual([
      ['West US 2', 'Completed', 100],
      ['East US', 'Completed', 100],
      ['North Europe', 'Replicating', 0],
    ]);
    t.clock.advance(REPLICATION_MS / 2);
    expect((await getVersion()).body.properties.replicationStatus?.summary[2]).toMatchObject({ state: 'Replicating', progress: 50 });
    t.clock.advance(REPLICATION_MS / 2);
    expect((await getVersion()).body.properties.replicationStatus?.aggregatedState).toBe('Completed');
  });

  it('creates versions through PUT that replicate with the default duration and carry disk sizes', async () => {
    const path = `${definitionId}/versions/2.0.0`;
    const res = await t.call<ResourceJson<VersionProps>>('PUT', q(path, API.compute), {
      location: 'westus2',
      properties: { publishingProfile: { targetRegions: [{ name: 'West US 2' }] }, storageProfile: { source: { id: versionId }, osDiskImage: { sizeInGB: 128 }, dataDiskImages: [{ lun: 0, sizeInGB: 64 }] } },
    });
    expect(res.status).toBe(201);
    expect(res.body.properties.provisioningState).toBe('Creating');
    expect(res.body.properties.storageProfile).toMatchObject({ osDiskImage: { sizeInGB: 128 }, dataDiskImages: [{ lun: 0, sizeInGB: 64 }] });
    t.clock.advance(REPLICATION_MS - 1);
    expect((await t.call<ResourceJson<VersionProps>>('GET', q(path, API.compute, '&$expand=ReplicationStatus'))).body.properties.replicationStatus?.summary[0]?.progress).toBe(99);
    t.clock.advance(1);
    expect((await t.call<ResourceJson<VersionProps>>('GET', q(path, API.compute, '&$expand=ReplicationStatus'))).body.properties.replicationStatus?.aggregatedState).toBe('Completed');
  });

  it('fails the regions it is told to fail, half way through', async () => {
    t.emulator.state.setReplication(versionId, 'eastus', { fail: 'disk copy failed' });
    t.clock.advance(2000);
    const status = (await getVersion()).body.properties.replicationStatus;
    expect(status?.aggregatedState).toBe('Failed');
    expect(status?.summary[1]).toEqual({ region: 'East US', state: 'Failed', details: 'disk copy failed', progress: 50 });
  });

  it("replicates a lab account's saved image by itself to every region of the account's geography", async () => {
    const accountId = t.emulator.state.addLabAccount({ resourceGroup: 'rg', name: 'chem', location: 'westeurope', sharedGalleryId: galleryId });
    const res = await t.call<ResourceJson<VersionProps>>('POST', '/_admin/imageVersions', { galleryId, definition: 'saved-from-lab', host: accountId, osType: 'Linux' });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('1.0.0');
    expect(res.body.properties.publishingProfile.targetRegions.map((r) => r.name).sort()).toEqual(['North Europe', 'West Europe', 'West US 2']);
    expect(res.body.properties.replicationStatus?.aggregatedState).toBe('InProgress');
    const images = await t.call<ListJson<ResourceJson<SharedImageProps>>>('GET', q(`${accountId}/sharedImages`, API.preview));
    expect(images.body.value.find((i) => i.name === 'saved-from-lab')?.properties).toMatchObject({ enableState: 'Enabled', imageType: 'Specialized', osType: 'Linux' });
    t.clock.advance(REPLICATION_MS);
    const later = await t.call<ResourceJson<VersionProps>>('GET', q(`${galleryId}/images/saved-from-lab/versions/1.0.0`, API.compute, '&$expand=ReplicationStatus'));
    expect(later.body.properties.replicationStatus?.aggregatedState).toBe('Completed');
    const next = await t.call<ResourceJson<VersionProps>>('POST', '/_admin/imageVersions', { galleryId, definition: 'saved-from-lab', regions: ['westus2'] });
    expect(next.body.name).toBe('1.0.1');
  });
});

describe('replica arithmetic', () => {
  it('aggregates Unknown for no replicas and InProgress while any replicates', () => {
    expect(replicationStatus([], 0).aggregatedState).toBe('Unknown');
    expect(replicationStatus([{ region: 'westus', startedAt: 0, durationMs: 10 }, { region: 'eastus', startedAt: 0, durationMs: 0 }], 5).aggregatedState).toBe('InProgress');
    expect(replicaStatus({ region: 'westus', startedAt: 10, durationMs: 10 }, 0)).toEqual({ region: 'West US', state: 'Unknown', details: '', progress: 0 });
  });
});
