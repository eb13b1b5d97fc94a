import { createArmConnection } from '../../src/azure/armConnection';
import { ArmGalleryGateway } from '../../src/azure/armGalleryGateway';
import { ManualClock } from '../../src/ports/clock';
import { timerArmed } from '../support/manualTime';
import { RG, startHarness, type Harness } from './emulatorHarness';

let h: Harness;
let galleryId: string;
let definitionId: string;
let v1: string;
let v2: string;

beforeAll(async () => {
  h = await startHarness(
    (s) => {
      galleryId = s.addGallery({ resourceGroup: RG, name: 'physics_gallery', location: 'westeurope', description: 'Physics images' });
      for (const n of ['g_a', 'g_b', 'g_c', 'g_d']) s.addGallery({ resourceGroup: 'other-rg', name: n, location: 'eastus' });
      definitionId = s.addImageDefinition({ galleryId, name: 'win11-physics', osType: 'Windows', osState: 'Generalized', hyperVGeneration: 'V2' });
      s.addImageDefinition({ galleryId, name: 'ubuntu-lab', osType: 'Linux', osState: 'Specialized' });
      v1 = s.addImageVersion({ definitionId, name: '1.0.0', targetRegions: ['westeurope', 'northeurope'], replicationDurationsMs: 0, osDiskSizeGB: 127 });
      v2 = s.addImageVersion({
        definitionId,
        name: '1.0.1',
        targetRegions: ['westeurope', 'northeurope', 'uksouth'],
        replicationDurationsMs: { westeurope: 0, northeurope: 60_000, uksouth: 60_000 },
        failRegions: ['uksouth'],
        dataDiskSizesGB: [32],
      });
    },
    { emulator: { pageSize: 2 } },
  );
});

afterAll(() => h.close());
afterEach(() => h.emulator.faults.clear());

const galleries = () => h.gateways.galleries;

describe('ArmGalleryGateway (real modular @azure/arm-compute against the emulator)', () => {
  it('lists every gallery of the subscription, past the first page', async () => {
    h.emulator.clearRequestLog();
    const all = await galleries().listGalleries();
    expect(all.map((g) => g.name).sort()).toEqual(['g_a', 'g_b', 'g_c', 'g_d', 'physics_gallery']);
    expect(h.calls('galleries.list')).toBe(3);
  });

  it('lists the galleries of one resource group', async () => {
    await expect(galleries().listGalleries({ resourceGroup: RG })).resolves.toEqual([
      { id: galleryId, name: 'physics_gallery', resourceGroup: RG, subscriptionId: h.emulator.subscriptionId, location: 'westeurope', description: 'Physics images', provisioningState: 'Succeeded' },
    ]);
  });

  it('reads one gallery, and maps a missing one to notFound', async () => {
    await expect(galleries().getGallery(galleryId)).resolves.toMatchObject({ name: 'physics_gallery' });
    await expect(galleries().getGallery(galleryId.replace('physics_gallery', 'nope'))).rejects.toMatchObject({ kind: 'notFound', detail: { target: 'nope' } });
  });

  it('creates a gallery (LRO) and re-reads it', async () => {
    h.emulator.clearRequestLog();
    const created = await galleries().createGallery({ resourceGroup: RG, name: 'chemistry_gallery', location: 'eastus', description: 'Chemistry' });
    expect(created).toMatchObject({ name: 'chemistry_gallery', location: 'eastus', description: 'Chemistry', provisioningState: 'Succeeded' });
    expect(h.calls('galleries.createOrUpdate')).toBe(1);
    expect(h.calls('computeOperations.get')).toBeGreaterThanOrEqual(1);
  });

  it('reports a gallery creation that fails as operationFailed, with Azure\'s code and message', async () => {
    h.emulator.faults.add({ method: 'PUT', path: /galleries\/doomed_gallery$/i, failOperation: true, code: 'GalleryQuotaExceeded', message: 'too many galleries', times: 1 });
    await expect(galleries().createGallery({ resourceGroup: RG, name: 'doomed_gallery', location: 'eastus' })).rejects.toMatchObject({
      kind: 'operationFailed',
      detail: { target: 'doomed_gallery', armCode: 'GalleryQuotaExceeded', armMessage: 'too many galleries' },
    });
  });

  it('maps an invalid gallery name to badRequest', async () => {
    await expect(galleries().createGallery({ resourceGroup: RG, name: 'bad-name!', location: 'eastus' })).rejects.toMatchObject({ kind: 'badRequest' });
  });

  it('lists image definitions', async () => {
    const defs = await galleries().listImageDefinitions(galleryId);
    expect(defs.find((d) => d.name === 'win11-physics')).toEqual({
      id: definitionId,
      name: 'win11-physics',
      galleryId,
      osType: 'Windows',
      osState: 'Generalized',
      hyperVGeneration: 'V2',
      provisioningState: 'Succeeded',
    });
    expect(defs.find((d) => d.name === 'ubuntu-lab')).toMatchObject({ osType: 'Linux', osState: 'Specialized' });
  });

  it('lists versions without replication status (one call), with lowercase region names', async () => {
    h.emulator.clearRequestLog();
    const versions = await galleries().listVersions(definitionId);
    expect(versions.map((v) => v.name)).toEqual(['1.0.0', '1.0.1']);
    expect(versions[0]).toMatchObject({
      id: v1,
      definitionId,
      targetRegions: [
        { name: 'westeurope', replicaCount: 1 },
        { name: 'northeurope', replicaCount: 1 },
      ],
      osDiskSizeGB: 127,
      dataDiskCount: 0,
    });
    expect(versions[0]?.replication).toBeUndefined();
    expect(versions[1]?.dataDiskCount).toBe(1);
    expect(typeof versions[0]?.publishedAt).toBe('number');
    expect(h.calls('galleryImageVersions.listByGalleryImage')).toBe(1);
    expect(h.calls('galleryImageVersions.get')).toBe(0);
  });

  it('reads replication status with region display names mapped to names', async () => {
    const versions = await galleries().listVersions(definitionId, { withReplication: true });
    expect(versions[0]?.replication).toEqual({
      aggregatedState: 'Completed',
      regions: [
        { region: 'westeurope', state: 'Completed', progress: 100 },
        { region: 'northeurope', state: 'Completed', progress: 100 },
      ],
    });
    const v = await galleries().getVersion(v2, { withReplication: true });
    expect(v.replication?.aggregatedState).toBe('InProgress');
    expect(v.replication?.regions.map((r) => `${r.region}:${r.state}`)).toEqual(['westeurope:Completed', 'northeurope:Replicating', 'uksouth:Replicating']);

    h.clock.advance(60_000);
    const later = await galleries().getVersion(v2, { withReplication: true });
    expect(later.replication?.aggregatedState).toBe('Failed');
    expect(later.replication?.regions.find((r) => r.region === 'uksouth')).toMatchObject({ state: 'Failed', details: expect.any(String) });
  });

  it('updates target regions (LRO) and starts replicating the new region', async () => {
    const updated = await galleries().updateTargetRegions(v1, [
      { name: 'westeurope', replicaCount: 2 },
      { name: 'northeurope', replicaCount: 1 },
      { name: 'francecentral', replicaCount: 1 },
    ]);
    expect(updated.provisioningState).toBe('Succeeded');
    expect(updated.targetRegions).toEqual([
      { name: 'westeurope', replicaCount: 2 },
      { name: 'northeurope', replicaCount: 1 },
      { name: 'francecentral', replicaCount: 1 },
    ]);
    expect(updated.replication?.aggregatedState).toBe('InProgress');
    expect(updated.replication?.regions.find((r) => r.region === 'francecentral')?.state).toBe('Replicating');
    h.clock.advance(2 * 60 * 60_000);
    await expect(galleries().getVersion(v1, { withReplication: true })).resolves.toMatchObject({ replication: { aggregatedState: 'Completed' } });
  });

  it('waits for a target-region update at most so long, then takes the version as it stands (still Updating)', async () => {
    // The adapter's waits run on this clock; the limit is a minute, passed by moving the clock.
    const waits = new ManualClock();
    const impatient = new ArmGalleryGateway({ ...h.connection, settle: { ...h.connection.settle, clock: waits }, longOperationWaitMs: 60_000 }, h.gateways.locations);
    // The operation's status stays unanswered for 3 s: as if it lasted as long as the replication.
    h.emulator.faults.add({ method: 'GET', path: /\/capsOperations\//i, latencyMs: 3000, times: 1 });
    const updating = impatient.updateTargetRegions(v1, [
      { name: 'westeurope', replicaCount: 1 },
      { name: 'northeurope', replicaCount: 1 },
      { name: 'uksouth', replicaCount: 1 },
    ]);
    await timerArmed(waits);
    waits.advance(60_000);
    const updated = await updating;
    // Still Updating: had the adapter waited for the LRO, it would have seen it succeed.
    expect(updated.provisioningState).toBe('Updating');
    expect(updated.targetRegions.map((t) => t.name)).toContain('uksouth');
    expect(updated.replication?.regions.find((r) => r.region === 'uksouth')?.state).toBe('Replicating');
  });

  it('reports a target-region update that fails as operationFailed, with Azure\'s code and message', async () => {
    h.emulator.faults.add({ method: 'PUT', path: /versions\/1\.0\.0$/i, failOperation: true, code: 'ReplicationFailed', message: 'region unavailable', times: 1 });
    await expect(galleries().updateTargetRegions(v1, [{ name: 'westeurope', replicaCount: 1 }])).rejects.toMatchObject({
      kind: 'operationFailed',
      detail: { armCode: 'ReplicationFailed', armMessage: 'region unavailable' },
    });
  });

  it('updates target regions with a full PUT by region name; a region without a count inherits the version\'s, answers use display names', async () => {
    h.emulator.clearRequestLog();
    await galleries().updateTargetRegions(v1, [
      { name: 'westeurope', replicaCount: 1 },
      { name: 'northeurope', replicaCount: 1 },
    ]);
    expect(h.calls('galleryImageVersions.createOrUpdate')).toBe(1);
    expect(h.calls('galleryImageVersions.update')).toBe(0);
    const versionPath = v1.replace(/^\/subscriptions\/[^/]+/, '');
    const raw = await fetch(`${h.emulator.url}/subscriptions/${h.emulator.subscriptionId}${versionPath}?api-version=2025-03-03`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: JSON.stringify({ location: 'westeurope', properties: { publishingProfile: { replicaCount: 3, targetRegions: [{ name: 'westeurope', regionalReplicaCount: 1 }, { name: 'uksouth' }] }, storageProfile: {} } }),
    });
    expect(raw.status).toBe(200);
    const body = (await raw.json()) as { properties: { provisioningState: string; publishingProfile: { replicaCount: number; targetRegions: { name: string; regionalReplicaCount: number }[] } } };
    expect(body.properties.provisioningState).toBe('Updating');
    expect(body.properties.publishingProfile.replicaCount).toBe(3);
    expect(body.properties.publishingProfile.targetRegions.map((t) => [t.name, t.regionalReplicaCount])).toEqual([
      ['West Europe', 1],
      ['UK South', 3],
    ]);
    expect((await galleries().getVersion(v1)).targetRegions).toEqual([
      { name: 'westeurope', replicaCount: 1 },
      { name: 'uksouth', replicaCount: 3 },
    ]);
  });

  it('rides out a 429 storm through the SDK retries', async () => {
    h.emulator.faults.add({ method: 'GET', path: /galleries\/physics_gallery$/i, status: 429, retryAfterSeconds: 0, times: 3 });
    h.emulator.clearRequestLog();
    await expect(galleries().getGallery(galleryId)).resolves.toMatchObject({ name: 'physics_gallery' });
    expect(h.emulator.requestLog.map((e) => e.status)).toEqual([429, 429, 429, 200]);
  });

  it('gives up on a longer storm with throttled and the Retry-After', async () => {
    h.emulator.faults.add({ method: 'GET', path: /galleries\/physics_gallery$/i, status: 429, retryAfterSeconds: 0, times: 4 });
    await expect(galleries().getGallery(galleryId)).rejects.toMatchObject({ kind: 'throttled', detail: { status: 429, retryAfterSeconds: 0 } });
  });

  it.each([
    [401, undefined, 'notAuthorized'],
    [403, 'AuthorizationFailed', 'notAuthorized'],
    [404, 'ResourceNotFound', 'notFound'],
    [409, 'Conflict', 'conflict'],
    [400, 'InvalidParameter', 'badRequest'],
    [500, 'InternalServerError', 'unavailable'],
    [503, 'ServiceUnavailable', 'unavailable'],
  ] as const)('maps HTTP %s %s to %s, keeping the correlation id', async (status, code, kind) => {
    h.emulator.faults.add({ method: 'GET', path: /galleries\/physics_gallery\/images$/i, status, ...(code ? { code } : {}), retryAfterSeconds: 0 });
    const error = await galleries().listImageDefinitions(galleryId).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind, detail: { status, target: 'physics_gallery' } });
    expect((error as { detail: { correlationId?: string } }).detail.correlationId).toBeTruthy();
  });

  it('maps a refused connection to unavailable', async () => {
    const dead = createArmConnection(
      { mode: 'emulator', subscriptionId: h.emulator.subscriptionId, emulatorUrl: 'http://127.0.0.1:1', facadeOrigin: h.emulator.facadeOrigin },
      { retryOptions: { maxRetries: 0 } },
    );
    await expect(new ArmGalleryGateway(dead, h.gateways.locations).getGallery(galleryId)).rejects.toMatchObject({ kind: 'unavailable' });
  });
});
