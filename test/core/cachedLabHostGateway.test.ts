import { CachedLabHostGateway } from '../../src/core/cachedLabHostGateway';
import { AzureError } from '../../src/kernel';
import { ManualClock } from '../../src/ports/clock';
import type { CreateLabParams, HostImage, LabHost, LabHostGateway, LabSummary, SaveImageParams } from '../../src/ports/labHostGateway';

const HOST_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/plan';
const TTL = 60_000;

const image = (name: string, enabled: boolean): HostImage => ({
  id: `${HOST_ID}/images/${name}`,
  name,
  displayName: name,
  enabled,
  osType: 'Windows',
  osState: 'Generalized',
  definitionId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/${name}`,
});

/** Counts what reaches "Azure"; images live in a map that the writes change. */
class FakeLabHosts implements LabHostGateway {
  images = new Map<string, HostImage>([
    ['a', image('a', false)],
    ['b', image('b', true)],
  ]);
  lists = 0;
  failNextList = false;
  failNextWrite = false;

  getHost(hostId: string): Promise<LabHost> {
    return Promise.resolve({ id: hostId, name: 'plan', kind: 'labPlan', location: 'westus2', resourceGroup: 'rg', subscriptionId: 's', sharedGalleryId: 'g' });
  }
  listHosts(): Promise<LabHost[]> {
    return Promise.resolve([]);
  }
  attachGallery(hostId: string): Promise<LabHost> {
    return this.getHost(hostId);
  }
  detachGallery(hostId: string): Promise<LabHost> {
    return this.getHost(hostId);
  }
  async listImages(): Promise<HostImage[]> {
    this.lists++;
    await Promise.resolve();
    if (this.failNextList) {
      this.failNextList = false;
      throw new AzureError('throttled', { target: 'images' });
    }
    return [...this.images.values()];
  }
  async setImageEnabled(_hostId: string, name: string, enabled: boolean): Promise<HostImage> {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new AzureError('conflict', { target: name });
    }
    const updated = { ...image(name, enabled) };
    this.images.set(name, updated);
    return updated;
  }
  createLab(_hostId: string, params: CreateLabParams): Promise<LabSummary> {
    return Promise.resolve({ id: params.name, name: params.name });
  }
  listLabs(): Promise<LabSummary[]> {
    return Promise.resolve([]);
  }
  async saveImage(_hostId: string, params: SaveImageParams): Promise<HostImage | undefined> {
    const saved = image(params.name, false);
    this.images.set(params.name, saved);
    return saved;
  }
}

describe('CachedLabHostGateway image lists', () => {
  let clock: ManualClock;
  let inner: FakeLabHosts;
  let cached: CachedLabHostGateway;

  beforeEach(() => {
    clock = new ManualClock();
    inner = new FakeLabHosts();
    cached = new CachedLabHostGateway(inner, clock, TTL);
  });

  const names = async () => (await cached.listImages(HOST_ID.toUpperCase())).map((i) => `${i.name}:${String(i.enabled)}`);

  it('reads a host\'s list once per TTL, whatever the id casing, sharing a read in flight', async () => {
    const [first, second] = await Promise.all([cached.listImages(HOST_ID), cached.listImages(HOST_ID.toUpperCase())]);
    expect(second).toBe(first);
    expect(inner.lists).toBe(1);
    clock.advance(TTL - 1);
    await cached.listImages(HOST_ID);
    expect(inner.lists).toBe(1);
    clock.advance(1);
    await cached.listImages(HOST_ID);
    expect(inner.lists).toBe(2);
  });

  it('does not keep a failed read', async () => {
    inner.failNextList = true;
    await expect(cached.listImages(HOST_ID)).rejects.toBeInstanceOf(AzureError);
    await expect(names()).resolves.toEqual(['a:false', 'b:true']);
    expect(inner.lists).toBe(2);
  });

  it('puts the image an enable or disable answered into the cached list, without reading it again', async () => {
    await cached.listImages(HOST_ID);
    await cached.setImageEnabled(HOST_ID, 'a', true);
    await cached.setImageEnabled(HOST_ID, 'b', false);
    await expect(names()).resolves.toEqual(['a:true', 'b:false']);
    expect(inner.lists).toBe(1);
  });

  it('drops the cached list when a write fails, and on attach, detach, saveImage and forget', async () => {
    const readsAfter = async (action: () => Promise<unknown>) => {
      await cached.listImages(HOST_ID);
      const before = inner.lists;
      await action().catch(() => undefined);
      await cached.listImages(HOST_ID);
      return inner.lists - before;
    };
    inner.failNextWrite = true;
    expect(await readsAfter(() => cached.setImageEnabled(HOST_ID, 'a', true))).toBe(1);
    expect(await readsAfter(() => cached.attachGallery(HOST_ID, 'g'))).toBe(1);
    expect(await readsAfter(() => cached.detachGallery(HOST_ID))).toBe(1);
    expect(await readsAfter(() => cached.saveImage(HOST_ID, { name: 'c', labVirtualMachineId: 'vm' }))).toBe(1);
    expect(await readsAfter(async () => cached.forget(HOST_ID))).toBe(1);
    expect(await readsAfter(() => cached.createLab(HOST_ID, {} as CreateLabParams))).toBe(0);
    await expect(names()).resolves.toEqual(['a:false', 'b:true', 'c:false']);
  });
});
