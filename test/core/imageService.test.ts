import { UserError } from '../../src/kernel';
import { imageEligibility, latestVersion, OS_DISK_LIMIT_GB, type VersionFacts } from '../../src/core/imageEligibility';
import { ImageService, MAX_DETAILS } from '../../src/core/imageService';
import { DEMO_IDS, DEMO_NAMES } from '../../src/emulator';
import type { GalleryGateway } from '../../src/ports/galleryGateway';
import type { LabHost } from '../../src/ports/labHostGateway';
import { addBigGallery } from '../support/bigGallery';
import { startDemoAzure, type DemoAzure } from '../support/azureHarness';

const PLAN = DEMO_IDS.labPlanId;
const ACCOUNT = DEMO_IDS.labAccountId;
const SHARED = DEMO_IDS.sharedImagesGalleryId;
const RG = DEMO_NAMES.resourceGroup;
const VERSION_TTL_MS = 10 * 60_000;

let azure: DemoAzure;
let service: ImageService;
/** Version lists `details` asked of the gallery gateway, and the most that were in flight at once. */
let versionReads: { calls: number; inFlight: number; maxInFlight: number };

beforeEach(async () => {
  azure = await startDemoAzure();
  const { labHosts, galleries } = azure.setup.gateways;
  versionReads = { calls: 0, inFlight: 0, maxInFlight: 0 };
  const counting: GalleryGateway = {
    listGalleries: (o) => galleries.listGalleries(o),
    getGallery: (id) => galleries.getGallery(id),
    createGallery: (g) => galleries.createGallery(g),
    listImageDefinitions: (id) => galleries.listImageDefinitions(id),
    getVersion: (id, o) => galleries.getVersion(id, o),
    updateTargetRegions: (id, r) => galleries.updateTargetRegions(id, r),
    listVersions: async (id, o) => {
      versionReads.calls++;
      versionReads.maxInFlight = Math.max(versionReads.maxInFlight, ++versionReads.inFlight);
      try {
        return await galleries.listVersions(id, o);
      } finally {
        versionReads.inFlight--;
      }
    },
  };
  service = new ImageService(labHosts, counting, azure.clock, { versionTtlMs: VERSION_TTL_MS });
});

afterEach(() => azure.emulator.close());

const log = () => azure.emulator.requestLog;
const writes = () => log().filter((e) => e.method !== 'GET');
const operations = () => log().map((e) => e.operation);
const planImageStates = (planId = PLAN) => Object.fromEntries(azure.emulator.state.labPlans.images(planId).map((i) => [i.name, i.enabledState]));
const accountImageStates = () => Object.fromEntries(azure.emulator.state.labAccounts.images(ACCOUNT).map((i) => [i.name, i.enabledState]));
const attachSharedToAccount = () => azure.emulator.state.labAccounts.attach(ACCOUNT, DEMO_NAMES.sharedImagesGallery, SHARED);

async function caught(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

describe('list', () => {
  it('lists the lab plan images in one list call, with their enabled state (regions come with details)', async () => {
    const images = await service.list(PLAN);
    // A plan's list does not say where an image is available: details() works it out from the versions.
    expect(images.map((i) => [i.name, i.enabled, i.osType, i.osState, i.inHostRegion])).toEqual([
      ['physics-win11', true, 'Windows', 'Generalized', undefined],
      ['physics-ubuntu', true, 'Linux', 'Generalized', undefined],
      ['optics-sim', false, 'Windows', 'Specialized', undefined],
      ['quantum-gpu', false, 'Linux', 'Generalized', undefined],
    ]);
    expect(images.find((i) => i.name === 'quantum-gpu')?.availableRegions).toBeUndefined();
    expect(images[0]?.definitionId.toLowerCase()).toBe(`${DEMO_IDS.physicsGalleryId}/images/physics-win11`.toLowerCase());
    expect(images[0]?.displayName).toBe('Windows 11 with LabVIEW');
    // The host, then the adapter's own read of the plan's gallery, then the list.
    expect(operations()).toEqual(['labPlans.get', 'labPlans.get', 'images.listByLabPlan']);
    const details = await service.details(await azure.setup.gateways.labHosts.getHost(PLAN), images);
    expect(details.map((d) => [d.name, d.inHostRegion, d.availableRegions])).toEqual([
      ['physics-win11', true, ['eastus', 'westus2']],
      ['physics-ubuntu', true, ['westus2']],
      ['optics-sim', true, ['westus2']],
      ['quantum-gpu', false, ['eastus']],
    ]);
  });

  it('lists a lab account image as enabled (their default), with no region verdict', async () => {
    attachSharedToAccount();
    const images = await service.list(ACCOUNT);
    expect(images).toHaveLength(9);
    expect(images.every((i) => i.enabled && i.inHostRegion === undefined)).toBe(true);
    expect(log().filter((e) => e.operation === 'sharedImages.list')).toHaveLength(1);
    expect(log().filter((e) => e.operation === 'sharedImages.get')).toHaveLength(0);
  });

  it('lists nothing, without asking for images, when no gallery is attached', async () => {
    const { host, images } = await service.snapshot(ACCOUNT);
    expect(host.sharedGalleryId).toBeUndefined();
    expect(images).toEqual([]);
    expect(operations()).not.toContain('sharedImages.list');
  });

  it('pages through the whole Marketplace to keep the gallery images', async () => {
    const big = await startDemoAzure({ emulator: { marketplaceImages: 390 } });
    try {
      const { planId } = addBigGallery(big.emulator.state, 20);
      const { labHosts, galleries } = big.setup.gateways;
      const images = await new ImageService(labHosts, galleries, big.clock).list(planId);
      expect(images).toHaveLength(20);
      // 410 images, 200 a page.
      expect(big.emulator.requestLog.filter((e) => e.operation === 'images.listByLabPlan')).toHaveLength(3);
    } finally {
      await big.emulator.close();
    }
  });
});

describe('details', () => {
  const planHost = async (id = PLAN): Promise<LabHost> => azure.setup.gateways.labHosts.getHost(id);

  it('finds the plan image with no replica in the plan region', async () => {
    const host = await planHost();
    const details = await service.details(host, await service.list(PLAN));
    expect(details.map((d) => [d.name, d.latestVersion, d.osDiskSizeGB, d.dataDiskCount, d.eligible, d.reasons])).toEqual([
      ['physics-win11', '1.0.0', 127, 0, true, []],
      ['physics-ubuntu', '1.0.0', 30, 0, true, []],
      ['optics-sim', '1.0.0', 127, 0, true, []],
      ['quantum-gpu', '1.0.0', 30, 0, false, ['notInHostRegion']],
    ]);
  });

  it('applies only the disk rules to a lab account (it replicates by itself)', async () => {
    attachSharedToAccount();
    const host = await planHost(ACCOUNT);
    const details = await service.details(host, await service.list(ACCOUNT));
    const byName = Object.fromEntries(details.map((d) => [d.name, d]));
    expect(byName['matlab-r2024']).toMatchObject({ osDiskSizeGB: 128, eligible: false, reasons: ['osDiskTooLarge'] });
    expect(byName['data-science-vm']).toMatchObject({ dataDiskCount: 1, eligible: false, reasons: ['dataDisks'] });
    // 1.1.0 is still replicating: the latest version counts, and a lab account does not care where it is.
    expect(byName['ubuntu-2204']).toMatchObject({ latestVersion: '1.1.0', eligible: true, reasons: [] });
    expect(details.filter((d) => d.eligible).map((d) => d.name).sort()).toEqual(['autocad-2025', 'kali-linux', 'rhel-9', 'ubuntu-2204', 'win10-chemistry', 'win11-office', 'windows-server-2022']);
  });

  it('combines the disk and region rules on a lab plan', async () => {
    const planId = azure.emulator.state.addLabPlan({ resourceGroup: RG, name: 'north-plan', location: 'northeurope', sharedGalleryId: SHARED });
    const host = await planHost(planId);
    const details = await service.details(host, await service.list(planId));
    const reasons = Object.fromEntries(details.map((d) => [d.name, d.reasons]));
    expect(reasons).toEqual({
      'win11-office': [],
      'win10-chemistry': ['notInHostRegion'],
      // 1.1.0 is not in northeurope yet, but 1.0.0 is: the plan says the image is available there.
      'ubuntu-2204': [],
      'rhel-9': ['notInHostRegion'],
      'matlab-r2024': ['osDiskTooLarge', 'notInHostRegion'],
      'data-science-vm': ['dataDisks', 'notInHostRegion'],
      'autocad-2025': ['notInHostRegion'],
      'kali-linux': ['notInHostRegion'],
      'windows-server-2022': [],
    });
  });

  it('reads each definition once, at most 5 at a time, and serves the next view from the cache until the TTL', async () => {
    const { planId } = addBigGallery(azure.emulator.state, 20);
    const host = await planHost(planId);
    azure.emulator.clearRequestLog();
    const images = await service.list(planId);
    expect(operations()).toEqual(['labPlans.get', 'labPlans.get', 'images.listByLabPlan']);

    azure.emulator.clearRequestLog();
    const first = await service.details(host, images);
    const firstRequests = [...log()];
    expect(first).toHaveLength(20);
    expect(first.every((d) => d.eligible)).toBe(true);
    // One version list per definition, plus the regions list the gallery adapter maps names with (kept 6 h).
    expect(firstRequests.filter((e) => e.operation === 'galleryImageVersions.listByGalleryImage')).toHaveLength(20);
    expect(firstRequests.filter((e) => e.operation !== 'galleryImageVersions.listByGalleryImage').map((e) => e.operation)).toEqual(['subscriptions.listLocations']);
    expect(firstRequests.every((e) => e.method === 'GET')).toBe(true);
    expect(versionReads.maxInFlight).toBeLessThanOrEqual(5);
    expect(versionReads.maxInFlight).toBeGreaterThan(1);

    azure.emulator.clearRequestLog();
    const second = await service.details(host, images.slice(0, 10));
    expect(second).toEqual(first.slice(0, 10));
    expect(log()).toHaveLength(0);

    azure.clock.advance(VERSION_TTL_MS);
    await service.details(host, images.slice(0, 3));
    expect(log().filter((e) => e.operation === 'galleryImageVersions.listByGalleryImage')).toHaveLength(3);
  });

  it('reads a definition shared by two images of a page once', async () => {
    const host = await planHost();
    const [image] = await service.list(PLAN);
    azure.emulator.clearRequestLog();
    await service.details(host, [image!, { ...image!, name: 'alias' }]);
    expect(log().filter((e) => e.operation === 'galleryImageVersions.listByGalleryImage')).toHaveLength(1);
  });

  it('says noVersion for a definition without versions, one Azure no longer has, and an image that names none', async () => {
    const planId = azure.emulator.state.addLabPlan({ resourceGroup: RG, name: 'west-plan', location: 'westeurope', sharedGalleryId: SHARED });
    azure.emulator.state.addImageDefinition({ galleryId: SHARED, name: 'empty-def', osType: 'Linux', osState: 'Generalized' });
    const host = await planHost(planId);
    const details = await service.details(host, [
      { name: 'empty-def', definitionId: `${SHARED}/images/empty-def`, availableRegions: [] },
      { name: 'gone', definitionId: `${SHARED}/images/gone`, availableRegions: [] },
      { name: 'anonymous', definitionId: '' },
    ]);
    expect(details.map((d) => [d.name, d.eligible, d.reasons, d.latestVersion])).toEqual([
      ['empty-def', false, ['noVersion'], undefined],
      ['gone', false, ['noVersion'], undefined],
      ['anonymous', false, ['noVersion'], undefined],
    ]);
  });

  it('does not keep a failed read', async () => {
    const host = await planHost();
    const images = await service.list(PLAN);
    azure.emulator.faults.add({ path: /images\/physics-win11\/versions$/i, status: 403, code: 'AuthorizationFailed', times: 1 });
    await expect(service.details(host, images)).rejects.toMatchObject({ key: 'azure.notAuthorized' });
    azure.emulator.clearRequestLog();
    const details = await service.details(host, images);
    expect(details[0]).toMatchObject({ name: 'physics-win11', eligible: true });
    expect(log().map((e) => e.path.split('/').at(-2))).toEqual(['physics-win11']);
  });

  it(`refuses more than ${MAX_DETAILS} images at a time`, async () => {
    const host = await planHost();
    const many = Array.from({ length: MAX_DETAILS + 1 }, (_, i) => ({ name: `i${i}`, definitionId: '' }));
    await expect(service.details(host, many)).rejects.toThrow(RangeError);
  });
});

describe('setEnabled', () => {
  it('refuses the whole request when a name is unknown, and writes nothing', async () => {
    const error = await caught(service.setEnabled(PLAN, ['optics-sim', 'nope', 'Nada', 'NOPE'], true));
    expect(error.key).toBe('images.unknown');
    expect(error.params).toEqual({ names: 'nope, Nada', count: 2 });
    expect(log().filter((e) => e.method === 'PATCH' || e.method === 'PUT')).toHaveLength(0);
    expect(planImageStates()['optics-sim']).toBe('Disabled');
  });

  it('matches names case-insensitively and skips images already in the wanted state', async () => {
    const result = await service.setEnabled(PLAN, ['OPTICS-SIM', 'physics-win11', 'optics-sim'], true);
    expect(result).toEqual({ changed: ['optics-sim'], unchanged: ['physics-win11'], failed: [] });
    expect(writes().map((e) => [e.method, e.operation])).toEqual([['PATCH', 'images.update']]);
    expect(planImageStates()).toEqual({ 'physics-win11': 'Enabled', 'physics-ubuntu': 'Enabled', 'optics-sim': 'Enabled', 'quantum-gpu': 'Disabled' });
  });

  it('collects a refused write and still changes the others', async () => {
    azure.emulator.faults.add({ method: 'PATCH', path: /images\/optics-sim$/i, status: 409, code: 'Conflict' });
    const result = await service.setEnabled(PLAN, ['optics-sim', 'quantum-gpu', 'physics-ubuntu'], true);
    expect(result).toEqual({ changed: ['quantum-gpu'], unchanged: ['physics-ubuntu'], failed: [{ name: 'optics-sim', key: 'azure.conflict' }] });
    expect(planImageStates()).toMatchObject({ 'optics-sim': 'Disabled', 'quantum-gpu': 'Enabled' });
  });

  it('disables lab account images (PUT on sharedImages)', async () => {
    attachSharedToAccount();
    const result = await service.setEnabled(ACCOUNT, ['matlab-r2024', 'Data-Science-VM'], false);
    expect(result).toEqual({ changed: ['matlab-r2024', 'data-science-vm'], unchanged: [], failed: [] });
    expect(writes().map((e) => e.operation)).toEqual(['sharedImages.createOrUpdate', 'sharedImages.createOrUpdate']);
    expect(accountImageStates()).toMatchObject({ 'matlab-r2024': 'Disabled', 'data-science-vm': 'Disabled', 'rhel-9': 'Enabled' });
  });

  it('says so when no gallery is attached, and writes nothing', async () => {
    const error = await caught(service.setEnabled(ACCOUNT, ['rhel-9'], true));
    expect([error.key, error.params]).toEqual(['images.noGallery', { host: DEMO_NAMES.labAccount }]);
    expect(writes()).toHaveLength(0);
  });

  it('names at most ten unknown images in the message but counts them all', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `missing-${i}`);
    const error = await caught(service.setEnabled(PLAN, names, false));
    expect(error.params.count).toBe(12);
    expect(String(error.params.names)).toMatch(/^missing-0, .*missing-9, …$/);
  });
});

describe('applyToggles', () => {
  it('writes only the images whose state differs, either way', async () => {
    const result = await service.applyToggles(PLAN, { 'physics-win11': false, 'optics-sim': true, 'physics-ubuntu': true, 'quantum-gpu': false });
    expect(result).toEqual({ changed: ['physics-win11', 'optics-sim'], unchanged: ['physics-ubuntu', 'quantum-gpu'], failed: [] });
    expect(writes()).toHaveLength(2);
    expect(planImageStates()).toEqual({ 'physics-win11': 'Disabled', 'physics-ubuntu': 'Enabled', 'optics-sim': 'Enabled', 'quantum-gpu': 'Disabled' });
  });

  it('refuses everything when the card names an image the host no longer has', async () => {
    const error = await caught(service.applyToggles(PLAN, { 'optics-sim': true, 'deleted-image': false }));
    expect([error.key, error.params]).toEqual(['images.unknown', { names: 'deleted-image', count: 1 }]);
    expect(writes()).toHaveLength(0);
  });
});

describe('imageEligibility (pure)', () => {
  const plan = { kind: 'labPlan' as const, location: 'westus2' };
  const account = { kind: 'labAccount' as const, location: 'westeurope' };
  const version = (over: Partial<VersionFacts> = {}): VersionFacts => ({ osDiskSizeGB: 127, dataDiskCount: 0, targetRegions: [{ name: 'westus2', replicaCount: 1 }], ...over });

  it.each([
    [OS_DISK_LIMIT_GB - 1, []],
    [OS_DISK_LIMIT_GB, ['osDiskTooLarge']],
    [1024, ['osDiskTooLarge']],
    [undefined, []],
  ])('an OS disk of %p GB gives %p', (size, reasons) => {
    expect(imageEligibility({ host: account, latest: version({ osDiskSizeGB: size }) }).reasons).toEqual(reasons);
  });

  it('refuses any data disk', () => {
    expect(imageEligibility({ host: account, latest: version({ dataDiskCount: 1 }) })).toEqual({ eligible: false, reasons: ['dataDisks'] });
  });

  it('takes the plan region from availableRegions first, case-insensitively', () => {
    expect(imageEligibility({ host: plan, availableRegions: ['WestUS2'], latest: version({ targetRegions: [] }) }).eligible).toBe(true);
    expect(imageEligibility({ host: plan, availableRegions: ['eastus'], latest: version() }).reasons).toEqual(['notInHostRegion']);
  });

  it("falls back to the latest version's completed regions", () => {
    const replicating = version({
      replication: { aggregatedState: 'InProgress', regions: [{ region: 'westus2', state: 'Replicating', progress: 40 }] },
    });
    expect(imageEligibility({ host: plan, latest: replicating }).reasons).toEqual(['notInHostRegion']);
    expect(imageEligibility({ host: plan, latest: version() }).reasons).toEqual([]);
    expect(imageEligibility({ host: plan, latest: version({ provisioningState: 'Updating' }) }).reasons).toEqual(['notInHostRegion']);
  });

  it('ignores regions on a lab account', () => {
    expect(imageEligibility({ host: account, availableRegions: [], latest: version({ targetRegions: [] }) }).eligible).toBe(true);
  });

  it('says noVersion alone when there is no version', () => {
    expect(imageEligibility({ host: plan, availableRegions: [] })).toEqual({ eligible: false, reasons: ['noVersion'] });
  });

  it('picks the highest version number, then the latest published', () => {
    const v = (name: string, publishedAt?: number) => ({ name, publishedAt });
    expect(latestVersion([v('1.9.0'), v('1.10.0'), v('1.2.3')])?.name).toBe('1.10.0');
    expect(latestVersion([v('2.0.0', 5), v('2.0.0', 9)])?.publishedAt).toBe(9);
    expect(latestVersion([])).toBeUndefined();
  });
});
