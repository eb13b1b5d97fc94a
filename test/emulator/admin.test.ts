import { ManualClock } from '../../src/ports/clock';
import { EmulatorState, isLoopbackAddress } from '../../src/emulator';
import { FaultRules } from '../../src/emulator/faults/faultInjector';
import { ALL_ROUTES } from '../../src/emulator/handlers/routes';
import { Pipeline } from '../../src/emulator/http/pipeline';
import { Router } from '../../src/emulator/http/router';
import { LroTracker } from '../../src/emulator/lro/lroTracker';
import { Prng } from '../../src/emulator/prng';
import { Throttler } from '../../src/emulator/throttling/throttler';
import { startTestEmulator, type ArmErrorJson, type ResourceJson, type VersionProps } from './harness';

describe('admin endpoint', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.10.20.30', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false],
    ['::ffff:192.168.1.2', false],
    ['fe80::1', false],
    ['128.0.0.1', false],
    [undefined, false],
    ['', false],
  ])('isLoopbackAddress(%p) is %p', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });

  it('refuses callers that are not on the loopback interface with 403', async () => {
    const clock = new ManualClock();
    const state = new EmulatorState({ subscriptionId: 'sub', tenantId: 'tenant', clock });
    const galleryId = state.addGallery({ resourceGroup: 'rg', name: 'g', location: 'westus2' });
    const pipeline = new Pipeline({
      router: new Router(ALL_ROUTES),
      context: { state, lro: new LroTracker({ pollsBeforeDone: 1, retryAfterSeconds: 0, facadeOrigin: 'https://f', subscriptionId: 'sub', now: () => clock.now() }), facadeOrigin: 'https://f', subscriptionId: 'sub', pageSize: 10 },
      throttler: new Throttler(false, () => clock.now()),
      faults: new FaultRules(new Prng(1)),
      requestLog: [],
    });
    const body = JSON.stringify({ galleryId, definition: 'd' });
    const remote = await pipeline.handle({ method: 'POST', url: '/_admin/imageVersions', headers: {}, body, remoteAddress: '10.1.2.3' });
    expect(remote.status).toBe(403);
    expect((remote.body as ArmErrorJson).error.code).toBe('Forbidden');
    expect(state.galleries.definition(`${galleryId}/images/d`)).toBeUndefined();
    const local = await pipeline.handle({ method: 'POST', url: '/_admin/imageVersions', headers: {}, body, remoteAddress: '::ffff:127.0.0.1' });
    expect(local.status).toBe(201);
  });

  it('publishes a version (creating the definition) with explicit regions and eligibility-relevant disks', async () => {
    const t = await startTestEmulator();
    try {
      const galleryId = t.emulator.state.addGallery({ resourceGroup: 'rg', name: 'g', location: 'westus2' });
      const res = await t.call<ResourceJson<VersionProps>>('POST', '/_admin/imageVersions', { galleryId, definition: 'big', version: '2.1.0', regions: ['eastus', 'westus2'], osType: 'Windows', osDiskSizeGB: 128, dataDiskSizesGB: [64] });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe('2.1.0');
      expect(res.body.properties.storageProfile).toMatchObject({ osDiskImage: { sizeInGB: 128 }, dataDiskImages: [{ lun: 0, sizeInGB: 64 }] });
      expect(t.emulator.state.galleries.definition(`${galleryId}/images/big`)).toMatchObject({ osType: 'Windows', osState: 'Generalized' });
      const bad = await t.call<ArmErrorJson>('POST', '/_admin/imageVersions', { definition: 'x' });
      expect(bad.status).toBe(400);
      const unknownGallery = await t.call<ArmErrorJson>('POST', '/_admin/imageVersions', { galleryId: `${galleryId}x`, definition: 'x' });
      expect(unknownGallery.status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('fails the next replications to a region on demand, once by default, then replicates normally', async () => {
    const t = await startTestEmulator();
    try {
      const state = t.emulator.state;
      const galleryId = state.addGallery({ resourceGroup: 'rg', name: 'g', location: 'westus2' });
      const res = await t.call<{ region: string; times: number }>('POST', '/_admin/regionFailures', { region: 'East US' });
      expect(res.body).toEqual({ region: 'East US', times: 1 });
      expect((await t.call<ArmErrorJson>('POST', '/_admin/regionFailures', { region: 'nowhere' })).status).toBe(400);
      const version = state.publishImage({ galleryId, definition: 'd', regions: ['westus2', 'eastus'], replicationDurationsMs: 0 });
      const states = () => Object.fromEntries(state.galleries.replicationStatus(version.id).summary.map((r) => [r.region, r.state]));
      expect(states()).toEqual({ 'West US 2': 'Completed', 'East US': 'Failed' });
      // The failure is used up: dropping the region and adding it again copies it afresh.
      state.galleries.setTargetRegions(version.id, ['westus2']);
      state.galleries.setTargetRegions(version.id, ['westus2', 'eastus']);
      expect(states()['East US']).not.toBe('Failed');
    } finally {
      await t.close();
    }
  });

  it('ends a version\'s replication now, as it was going to end, in one region or all', async () => {
    const t = await startTestEmulator();
    try {
      const state = t.emulator.state;
      const galleryId = state.addGallery({ resourceGroup: 'rg', name: 'g', location: 'westus2' });
      const version = state.publishImage({ galleryId, definition: 'd', regions: ['westus2', 'eastus', 'westus3'], replicationDurationsMs: 3_600_000, failRegions: ['eastus'] });
      const states = () => Object.fromEntries(state.galleries.replicationStatus(version.id).summary.map((r) => [r.region, r.state]));
      expect(Object.values(states())).toEqual(['Replicating', 'Replicating', 'Replicating']);
      const one = await t.call<{ regions: string[] }>('POST', '/_admin/replications', { versionId: version.id, region: 'westus3', durationMs: 0 });
      expect(one.status).toBe(200);
      expect(states()).toEqual({ 'West US 2': 'Replicating', 'East US': 'Replicating', 'West US 3': 'Completed' });
      expect((await t.call('POST', '/_admin/replications', { versionId: version.id, durationMs: 0 })).status).toBe(200);
      expect(states()).toEqual({ 'West US 2': 'Completed', 'East US': 'Failed', 'West US 3': 'Completed' });
      expect((await t.call<ArmErrorJson>('POST', '/_admin/replications', { versionId: version.id, durationMs: -1 })).status).toBe(400);
    } finally {
      await t.close();
    }
  });
});
