import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEMO_IDS, DEMO_MARKETPLACE_IMAGES, DEMO_NAMES, PLAYGROUND_USERS, seedDemo } from '../../src/emulator';
import { marketplaceCatalogue, type MarketplaceImage } from '../../src/emulator/state/marketplaceCatalogue';
import { readSnapshot, snapshotOf, SnapshotWriter, type StateSnapshot } from '../../src/emulator/state/persistence';
import { ManualClock } from '../../src/ports/clock';
import { API, q, startTestEmulator, type ListJson, type ResourceJson, type TestEmulator } from './harness';

/** The demo's Azure kept in DATA_DIR: the state a restarted emulator finds is the one it left. */
describe('emulator state file', () => {
  let dir: string;
  let file: string;
  const open: TestEmulator[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-emulator-state-'));
    file = path.join(dir, 'emulator-state.json');
  });

  afterEach(async () => {
    for (const t of open.splice(0)) await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const seed = (state: Parameters<typeof seedDemo>[0]) => seedDemo(state, { ownerPrincipalIds: [PLAYGROUND_USERS.currentUser], teacherPrincipalIds: [] });

  async function start(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
    const t = await startTestEmulator({ stateFile: file, stateWriteDebounceMs: 5, seed, ...options });
    open.push(t);
    return t;
  }

  async function stop(t: TestEmulator): Promise<void> {
    open.splice(open.indexOf(t), 1);
    await t.close();
  }

  const galleryPath = (name: string) => q(`/subscriptions/${DEMO_IDS.subscriptionId}/resourceGroups/${DEMO_NAMES.resourceGroup}/providers/Microsoft.Compute/galleries/${name}`, API.compute);

  it('writes the seed at once, and a restart loads the file instead of seeding', async () => {
    const first = await start();
    expect(first.emulator.restored).toBe(false);
    expect(fs.existsSync(file)).toBe(true);
    const before = snapshotOf(first.emulator.state);
    await stop(first);

    const second = await start({ seed: () => {
      throw new Error('a restored emulator must not seed');
    } });
    expect(second.emulator.restored).toBe(true);
    const after = snapshotOf(second.emulator.state);
    expect({ ...after, savedAt: 0 }).toEqual({ ...before, savedAt: 0 });
  });

  it('keeps what requests changed: a new gallery, an attached gallery, the role the service granted, a disabled image', async () => {
    const first = await start();
    expect((await first.call('PUT', galleryPath('kept_gallery'), { location: 'westeurope' })).status).toBe(201);
    const attach = await first.call('PUT', q(`${DEMO_IDS.labAccountId}/sharedGalleries/shared_images`, API.preview), { properties: { galleryId: DEMO_IDS.sharedImagesGalleryId } });
    expect(attach.status).toBe(201);
    const images = await first.call<{ value: { name: string }[] }>('GET', q(`${DEMO_IDS.labAccountId}/sharedImages`, API.preview));
    const imageName = images.body.value[0]?.name ?? '';
    await first.call('PUT', q(`${DEMO_IDS.labAccountId}/sharedImages/${imageName}`, API.preview), { properties: { enableState: 'Disabled' } });
    const roles = first.emulator.state.roles.at(DEMO_IDS.sharedImagesGalleryId).length;
    await stop(first);

    const second = await start();
    const { state } = second.emulator;
    expect(state.galleries.gallery(galleryPath('kept_gallery').split('?')[0] ?? '')?.provisioningState).toBe('Succeeded');
    expect(state.labAccounts.get(DEMO_IDS.labAccountId)?.sharedGallery?.galleryId.toLowerCase()).toBe(DEMO_IDS.sharedImagesGalleryId.toLowerCase());
    expect(state.roles.at(DEMO_IDS.sharedImagesGalleryId)).toHaveLength(roles);
    const image = await second.call<ResourceJson<{ enableState: string }>>('GET', q(`${DEMO_IDS.labAccountId}/sharedImages/${imageName}`, API.preview));
    expect(image.body.properties.enableState).toBe('Disabled');
  });

  type PlanImage = ResourceJson<{ enabledState?: string; sharedGalleryId?: string }>;
  const planImagesPath = q(`${DEMO_IDS.labPlanId}/images`, API.plans);
  const ubuntu = 'canonical.0001-com-ubuntu-server-focal.20_04-lts';

  async function listPlanImages(t: TestEmulator): Promise<PlanImage[]> {
    const pages = [(await t.call<ListJson<PlanImage>>('GET', planImagesPath)).body];
    for (let next = pages[0]?.nextLink; next; next = pages[pages.length - 1]?.nextLink) pages.push((await t.follow<ListJson<PlanImage>>(next)).body);
    return pages.flatMap((page) => page.value);
  }

  it('saves the Marketplace catalogue as configuration, not state: a large catalogue leaves the file as small as none does', async () => {
    const plain = await start({ stateFile: path.join(dir, 'no-catalogue.json') });
    const catalogueFree = JSON.stringify(snapshotOf(plain.emulator.state)).length;
    const big = await start({ marketplaceImages: DEMO_MARKETPLACE_IMAGES });
    await big.emulator.saveState();

    // Only the few Marketplace images the seed enables (their imageStates) may add to the catalogue-free size.
    expect(fs.statSync(file).size).toBeLessThan(catalogueFree + 2_000);
    expect(JSON.stringify(snapshotOf(big.emulator.state)).length).toBeLessThan(catalogueFree + 2_000);
    expect(JSON.stringify(marketplaceCatalogue(DEMO_MARKETPLACE_IMAGES)).length).toBeGreaterThan(20 * catalogueFree);
    expect(JSON.stringify(readSnapshot(file)?.stores.labPlans)).not.toMatch(/"marketplace(ByName)?"/);
  });

  it('keeps the Marketplace images and their enabled states across a restart, the catalogue set up again', async () => {
    const first = await start({ marketplaceImages: 450 });
    const patched = await first.call<PlanImage>('PATCH', q(`${DEMO_IDS.labPlanId}/images/${ubuntu}`, API.plans), { properties: { enabledState: 'Disabled' } });
    expect(patched.status).toBe(200);
    const before = await listPlanImages(first);
    expect(before.filter((i) => i.properties.sharedGalleryId === undefined)).toHaveLength(450);
    expect(before.some((i) => i.properties.enabledState === 'Enabled' && i.properties.sharedGalleryId === undefined)).toBe(true);
    await stop(first);

    const second = await start({ marketplaceImages: 450 });
    expect(second.emulator.restored).toBe(true);
    expect(await listPlanImages(second)).toEqual(before);
    expect((await second.call<PlanImage>('GET', q(`${DEMO_IDS.labPlanId}/images/${ubuntu}`, API.plans))).body.properties.enabledState).toBeUndefined();
  });

  it('restores a file of the previous format, which carried the catalogue: the catalogue configured at this start wins', async () => {
    const first = await start({ marketplaceImages: 450 });
    await first.call('PATCH', q(`${DEMO_IDS.labPlanId}/images/${ubuntu}`, API.plans), { properties: { enabledState: 'Enabled' } });
    const before = await listPlanImages(first);
    await stop(first);

    // The previous version saved the LabPlanStore's private catalogue fields as they were (an array, a Map by name).
    const stale: MarketplaceImage = { ...marketplaceCatalogue(1)[0]!, name: 'stale.only-in.the-old-file' };
    const old = readSnapshot(file)!;
    const labPlans = old.stores.labPlans as Record<string, unknown>;
    old.stores.labPlans = { ...labPlans, marketplace: [stale], marketplaceByName: { $map: [[stale.name, stale]] } };
    fs.writeFileSync(file, JSON.stringify(old));

    const second = await start({ marketplaceImages: 450 });
    expect(second.emulator.restored).toBe(true);
    const after = await listPlanImages(second);
    expect(after).toEqual(before);
    expect(after.map((i) => i.name)).not.toContain(stale.name);
    expect(after.find((i) => i.name === ubuntu)?.properties.enabledState).toBe('Enabled');
    expect((await second.call('GET', q(`${DEMO_IDS.labPlanId}/images/${stale.name}`, API.plans))).status).toBe(404);
  });

  it('finishes a write that was in flight when the emulator stopped (its operation is not saved)', async () => {
    const first = await start({ lroPolls: 5 });
    expect((await first.call<ResourceJson<{ provisioningState: string }>>('PUT', galleryPath('half_made'), { location: 'westeurope' })).body.properties.provisioningState).toBe('Creating');
    await first.emulator.saveState();
    expect(JSON.stringify(readSnapshot(file))).toContain('half_made');
    await stop(first);

    const second = await start({ lroPolls: 5 });
    const gallery = await second.call<ResourceJson<{ provisioningState: string }>>('GET', galleryPath('half_made'));
    expect(gallery.status).toBe(200);
    expect(gallery.body.properties.provisioningState).toBe('Succeeded');
  });

  it('resumes simulated time where it stopped, so replications do not start over', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const first = await start({ clock });
    clock.advance(3 * 60 * 60_000);
    await first.call('GET', q(`/subscriptions/${DEMO_IDS.subscriptionId}/resourcegroups`, API.subs));
    await first.emulator.saveState();
    const savedAt = readSnapshot(file)?.savedAt ?? 0;
    await stop(first);

    const second = await start({ clock: new ManualClock(Date.UTC(2026, 0, 1)) });
    expect(second.emulator.state.now()).toBeGreaterThanOrEqual(savedAt);
  });

  it('writes atomically (no temporary file left) and refuses a file that is not a snapshot', async () => {
    const first = await start();
    await first.call('PUT', galleryPath('g2'), { location: 'westeurope' });
    await first.emulator.saveState();
    expect(fs.readdirSync(dir)).toEqual(['emulator-state.json']);
    await stop(first);
    fs.writeFileSync(file, '{"hello":1}');
    await expect(startTestEmulator({ stateFile: file })).rejects.toThrow(/is not an emulator state snapshot/);
  });

  it('debounces writes: soon after a write request, within a second after reads, the latest state always', async () => {
    let version = 0;
    let taken = 0;
    const take = (): StateSnapshot => {
      taken++;
      return { format: 'lab-gallery-emulator-state', version: 1, savedAt: version, stores: {} };
    };
    const writer = new SnapshotWriter(file, take, { debounceMs: 20 });
    const savedAt = () => readSnapshot(file)?.savedAt;
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    version = 1;
    for (let i = 0; i < 10; i++) writer.changed(false);
    await wait(200);
    expect(savedAt()).toBeUndefined();
    await wait(1000);
    expect(savedAt()).toBe(1);
    expect(taken).toBe(1);

    version = 2;
    writer.changed(false);
    writer.changed(true);
    await wait(200);
    expect(savedAt()).toBe(2);

    version = 3;
    writer.changed(true);
    await writer.flush();
    expect(savedAt()).toBe(3);
    await writer.flush();
    expect(taken).toBe(3);
  });
});
