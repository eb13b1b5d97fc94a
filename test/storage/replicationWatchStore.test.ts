import type { ReplicationWatch, ReplicationWatchStore } from '../../src/ports/replicationWatches';
import { BACKENDS, useBackendFixture } from './backendFixture';

const version = (n: number): string => `/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/win11/versions/1.0.${n}`;

function watch(n: number, overrides: Partial<ReplicationWatch> = {}): ReplicationWatch {
  return {
    id: `${version(n).toLowerCase()}|westeurope`,
    versionId: version(n),
    galleryId: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g',
    imageName: 'win11',
    versionName: `1.0.${n}`,
    targets: ['westeurope'],
    hostIds: ['/subscriptions/s1/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/physics'],
    origin: 'discovered',
    status: 'watching',
    regions: [{ region: 'westeurope', state: 'Replicating', progress: 10, baseAt: 1, baseProgress: 0 }],
    startedAt: 1,
    firstSeenAt: 1,
    polls: 0,
    errors: 0,
    nextPollAt: 2,
    cardConversations: [],
    cardStale: false,
    ...overrides,
  };
}

describe.each(BACKENDS)('%s replication watch store', (backend) => {
  const fixture = useBackendFixture(backend);
  let store: ReplicationWatchStore;
  beforeEach(async () => {
    store = (await fixture.open()).replicationWatches(fixture.clock);
  });

  it('inserts once, reads back the whole watch, and saves changes', async () => {
    expect(await store.get(watch(1).id)).toBeUndefined();
    expect(await store.insert(watch(1))).toBe(true);
    expect(await store.insert(watch(1, { polls: 9 }))).toBe(false);
    expect(await store.get(watch(1).id)).toEqual(watch(1));
    await store.save(watch(1, { polls: 3, requester: { userId: 'u', conversationId: '19:c1', locale: 'fr-FR' } }));
    expect(await store.get(watch(1).id)).toEqual(watch(1, { polls: 3, requester: { userId: 'u', conversationId: '19:c1', locale: 'fr-FR' } }));
    await expect(store.save(watch(2))).rejects.toThrow(`no replication watch ${watch(2).id}`);
  });

  it('counts the watches by status (metrics)', async () => {
    expect(await store.countByStatus()).toEqual({});
    await store.insert(watch(1, { status: 'seen' }));
    await store.insert(watch(2, { status: 'completed', finishedAt: 5 }));
    await store.insert(watch(3, { status: 'completed', finishedAt: 6 }));
    expect(await store.countByStatus()).toEqual({ seen: 1, completed: 2 });
  });

  it('lists exactly the watches with work left, by id', async () => {
    await store.insert(watch(3));
    await store.insert(watch(1, { status: 'seen' }));
    await store.insert(watch(2, { status: 'completed', finishedAt: 5 }));
    await store.insert(watch(4, { status: 'completed', finishedAt: 5, announcedAt: 6 }));
    await store.insert(watch(5, { status: 'closed', cardStale: true }));
    expect((await store.listUnsettled()).map((w) => w.versionName)).toEqual(['1.0.2', '1.0.3', '1.0.5']);
    await store.save(watch(3, { status: 'completed', finishedAt: 7, announcedAt: 8 }));
    expect((await store.listUnsettled()).map((w) => w.versionName)).toEqual(['1.0.2', '1.0.5']);
  });

  it('finds the ids of known versions whatever the case of the ARM id', async () => {
    await store.insert(watch(1));
    await store.insert(watch(1, { id: `${version(1).toLowerCase()}|northeurope,westeurope`, targets: ['northeurope', 'westeurope'] }));
    await store.insert(watch(2));
    expect(await store.idsForVersions([])).toEqual(new Set());
    expect(await store.idsForVersions([version(1).toUpperCase(), version(9)])).toEqual(
      new Set([watch(1).id, `${version(1).toLowerCase()}|northeurope,westeurope`]),
    );
  });
});
