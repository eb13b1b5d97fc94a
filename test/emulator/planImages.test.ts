import { marketplaceCatalogue } from '../../src/emulator/state/marketplaceCatalogue';
import { loadRecording } from '../support/armReplay';
import { API, q, startTestEmulator, type ArmErrorJson, type ListJson, type ResourceJson, type TestEmulator } from './harness';

type Props = Record<string, unknown>;
type Image = ResourceJson<Props>;

const MARKETPLACE = 450;
const recorded = loadRecording('labplan-images-list.json');
const recordedList = recorded[0]!.responseBody as ListJson<Image>;
const recordedGet = recorded[2]!.responseBody as Image;

describe('lab plan images: the Marketplace catalogue and the gallery, as labplan-images-list.json shows them', () => {
  let t: TestEmulator;
  let planId: string;
  let galleryId: string;
  let otherGalleryId: string;

  beforeEach(async () => {
    t = await startTestEmulator({
      marketplaceImages: MARKETPLACE,
      seed: (state) => {
        galleryId = state.addGallery({ resourceGroup: 'rg', name: 'g', location: 'westus2' });
        otherGalleryId = state.addGallery({ resourceGroup: 'rg', name: 'other', location: 'westus2' });
        const win = state.addImageDefinition({ galleryId, name: 'win11', osType: 'Windows', osState: 'Generalized', description: 'Windows 11 lab' });
        state.addImageVersion({ definitionId: win, name: '1.0.0', targetRegions: ['westus2'], replicationDurationsMs: 0 });
        state.addImageDefinition({ galleryId, name: 'ubuntu', osType: 'Linux', osState: 'Specialized' });
        planId = state.addLabPlan({ resourceGroup: 'rg', name: 'plan', location: 'westus2', sharedGalleryId: galleryId });
      },
    });
  });
  afterEach(() => t.close());

  const listAll = async (path: string): Promise<ListJson<Image>[]> => {
    const pages = [await t.call<ListJson<Image>>('GET', path)];
    while (pages[pages.length - 1]!.body.nextLink) pages.push(await t.follow<ListJson<Image>>(pages[pages.length - 1]!.body.nextLink ?? ''));
    return pages.map((p) => p.body);
  };

  it('generates a deterministic catalogue sorted by name, digits first, of the size asked', () => {
    const catalogue = marketplaceCatalogue(3000);
    expect(catalogue).toHaveLength(3000);
    expect(marketplaceCatalogue(3000)).toEqual(catalogue);
    const names = catalogue.map((i) => i.name.toLowerCase());
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(3000);
    expect(catalogue.every((i) => i.name === `${i.publisher}.${i.offer}.${i.sku}`)).toBe(true);
    expect(names).toContain('canonical.0001-com-ubuntu-server-focal.20_04-lts');
  });

  it('lists every Marketplace image then the gallery images, 200 a page, with an absolute :443 nextLink carrying $skipToken=<offset>', async () => {
    const pages = await listAll(q(`${planId}/images`, API.plans));
    expect(pages.map((p) => p.value.length)).toEqual([200, 200, 52]);
    expect(pages[0]!.nextLink).toBe(`https://management.azure.test:443${planId}/images?api-version=2022-08-01&$skipToken=200`);
    expect(pages[1]!.nextLink).toMatch(/\$skipToken=400$/);
    expect(pages[2]).not.toHaveProperty('nextLink');
    // Page 1 puts nextLink before value, as recorded.
    expect(Object.keys(pages[0]!)).toEqual(['nextLink', 'value']);
    const all = pages.flatMap((p) => p.value);
    expect(all.slice(-2).map((i) => i.name)).toEqual(['win11', 'ubuntu']);
    expect(all.slice(-2).map((i) => i.properties.sharedGalleryId)).toEqual([`${galleryId}/images/win11`, `${galleryId}/images/ubuntu`]);
    expect(all.slice(0, MARKETPLACE).every((i) => i.properties.sharedGalleryId === undefined)).toBe(true);
  });

  it('shapes a Marketplace image as recorded: the same properties in the list, plus availableRegions on a single GET', async () => {
    const listed = (await t.call<ListJson<Image>>('GET', q(`${planId}/images`, API.plans))).body.value;
    const disabled = listed.find((i) => !('enabledState' in i.properties))!;
    expect(Object.keys(disabled).sort()).toEqual(Object.keys(recordedList.value[0]!).sort());
    expect(Object.keys(disabled.properties).sort()).toEqual(Object.keys(recordedList.value[0]!.properties).sort());
    expect(disabled).toMatchObject({ type: 'Microsoft.LabServices/labPlans/images', id: `${planId}/images/${disabled.name}`, properties: { version: 'latest', osState: 'Generalized' } });

    const got = await t.call<Image>('GET', q(`${planId}/images/canonical.0001-com-ubuntu-server-focal.20_04-lts`, API.plans));
    expect(got.body.properties.availableRegions).toEqual([]);
    const { enabledState: _recordedState, ...recordedProps } = recordedGet.properties;
    expect(Object.keys(got.body.properties).sort()).toEqual(Object.keys(recordedProps).sort());
  });

  it('leaves enabledState out of disabled images and answers a PATCH with 200 and the whole image', async () => {
    const name = 'canonical.0001-com-ubuntu-server-focal.20_04-lts';
    const patched = await t.call<Image>('PATCH', q(`${planId}/images/${name}`, API.plans), { properties: { enabledState: 'Enabled' } });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('location')).toBeNull();
    expect(patched.headers.get('azure-asyncoperation')).toBeNull();
    expect(Object.keys(patched.body.properties).sort()).toEqual(Object.keys((recorded[4]!.responseBody as Image).properties).sort());
    expect(patched.body.properties.enabledState).toBe('Enabled');

    const listed = (await listAll(q(`${planId}/images`, API.plans))).flatMap((p) => p.value);
    expect(listed.filter((i) => i.properties.enabledState !== undefined).map((i) => [i.name, i.properties.enabledState])).toEqual([[name, 'Enabled']]);
    expect(listed.every((i) => !('availableRegions' in i.properties))).toBe(true);

    await t.call('PATCH', q(`${planId}/images/${name}`, API.plans), { properties: { enabledState: 'Disabled' } });
    expect((await t.call<Image>('GET', q(`${planId}/images/${name}`, API.plans))).body.properties).not.toHaveProperty('enabledState');
    expect((await t.call<ArmErrorJson>('PATCH', q(`${planId}/images/nobody.nothing.none`, API.plans), { properties: { enabledState: 'Enabled' } })).status).toBe(404);
  });

  it('evaluates $filter on DisplayName (as recorded) and on SharedGalleryId (emulator only), and refuses what it cannot evaluate', async () => {
    const byName = await t.call<ListJson<Image>>('GET', q(`${planId}/images`, API.plans, `&$filter=${encodeURIComponent("Properties/DisplayName eq 'Ubuntu Server 20.04 LTS'")}`));
    expect(byName.body.value.map((i) => i.name)).toEqual(['canonical.0001-com-ubuntu-server-focal.20_04-lts']);
    expect(byName.body).not.toHaveProperty('nextLink');
    const byGallery = await t.call<ListJson<Image>>('GET', q(`${planId}/images`, API.plans, `&$filter=${encodeURIComponent(`Properties/SharedGalleryId eq '${galleryId.toUpperCase()}/images/win11'`)}`));
    expect(byGallery.body.value.map((i) => i.name)).toEqual(['win11']);
    const bad = await t.call<ArmErrorJson>('GET', q(`${planId}/images`, API.plans, `&$filter=${encodeURIComponent("startswith(Properties/SharedGalleryId, 'x')")}`));
    expect(bad.status).toBe(400);
  });

  it('keeps the Marketplace images enabled when another gallery is attached', async () => {
    const name = 'canonical.0001-com-ubuntu-server-focal.20_04-lts';
    t.emulator.state.labPlans.setPlanImageEnabled(planId, name, 'Enabled');
    t.emulator.state.labPlans.setPlanImageEnabled(planId, 'win11', 'Enabled');
    t.emulator.state.labPlans.setGallery(planId, otherGalleryId);
    const listed = (await listAll(q(`${planId}/images`, API.plans))).flatMap((p) => p.value);
    expect(listed.filter((i) => i.properties.enabledState === 'Enabled').map((i) => i.name)).toEqual([name]);
    expect(listed).toHaveLength(MARKETPLACE);
  });
});
