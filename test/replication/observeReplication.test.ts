import { AzureError } from '../../src/kernel';
import type { ImageVersion, RegionReplication } from '../../src/ports/galleryGateway';
import { hasWorkLeft, watchIdOf, type ReplicationWatch } from '../../src/ports/replicationWatches';
import { watchOfDiscovered, watchOfStarted } from '../../src/replication/newWatch';
import { observeReplication, throttleWaitMs, type ObserveOptions, type VersionRead } from '../../src/replication/observeReplication';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 27, 9, 0, 0);
const VERSION_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/img/versions/1.0.0';
const OPTIONS: ObserveOptions = { bounds: { minMs: 15_000, maxMs: 600_000 }, random: () => 0.5 };

function watch(overrides: Partial<ReplicationWatch> = {}): ReplicationWatch {
  const targets = overrides.targets ?? ['eastus', 'westus2'];
  return {
    id: watchIdOf(VERSION_ID, targets),
    versionId: VERSION_ID,
    galleryId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g',
    imageName: 'img',
    versionName: '1.0.0',
    targets,
    hostIds: ['host'],
    origin: 'discovered',
    status: 'watching',
    regions: [],
    startedAt: T0,
    firstSeenAt: T0,
    polls: 0,
    errors: 0,
    nextPollAt: T0,
    cardConversations: [],
    cardStale: false,
    ...overrides,
  };
}

function read(regions: RegionReplication[], targets = regions.map((r) => r.region)): VersionRead {
  const version: ImageVersion = {
    id: VERSION_ID,
    name: '1.0.0',
    definitionId: VERSION_ID.replace(/\/versions\/.*$/, ''),
    targetRegions: targets.map((name) => ({ name, replicaCount: 1 })),
    dataDiskCount: 0,
    replication: { aggregatedState: 'InProgress', regions },
  };
  return { kind: 'version', version };
}

const replicating = (region: string, progress: number): RegionReplication => ({ region, state: 'Replicating', progress });
const completed = (region: string): RegionReplication => ({ region, state: 'Completed', progress: 100 });
const failed = (region: string): RegionReplication => ({ region, state: 'Failed', progress: 40, details: 'quota' });

describe('observeReplication: one read of a watch, without I/O', () => {
  const now = T0 + 10 * MIN;

  it.each<[string, ReplicationWatch, VersionRead, { kind: string; status: string; cardStale: boolean; nextPollAt?: number; polls: number; errors: number }]>([
    [
      'first read, still replicating: watching, the card stale, next read in a minute (no rate yet)',
      watch(),
      read([replicating('eastus', 10), replicating('westus2', 20)]),
      { kind: 'watching', status: 'watching', cardStale: true, nextPollAt: now + MIN, polls: 1, errors: 0 },
    ],
    [
      'nothing moved since the last read: the card stays as it was, the wait doubles',
      watch({ targets: ['eastus'], id: watchIdOf(VERSION_ID, ['eastus']), polls: 1, lastPolledAt: now - 2 * MIN, regions: [{ region: 'eastus', state: 'Replicating', progress: 10, baseAt: now - 2 * MIN, baseProgress: 10 }] }),
      read([replicating('eastus', 10)]),
      { kind: 'watching', status: 'watching', cardStale: false, nextPollAt: now + 4 * MIN, polls: 2, errors: 0 },
    ],
    [
      'progress at a known rate: the next read lands just after the expected end',
      watch({ targets: ['eastus'], id: watchIdOf(VERSION_ID, ['eastus']), polls: 1, lastPolledAt: now - 5 * MIN, regions: [{ region: 'eastus', state: 'Replicating', progress: 0, baseAt: now - 5 * MIN, baseProgress: 0 }] }),
      read([replicating('eastus', 50)]),
      { kind: 'watching', status: 'watching', cardStale: true, nextPollAt: now + 5 * MIN + 1_500, polls: 2, errors: 0 },
    ],
    [
      'every region completed: completed, the card stale for its last update',
      watch({ polls: 2, lastPolledAt: now - MIN, errors: 0 }),
      read([completed('eastus'), completed('westus2')]),
      { kind: 'finished', status: 'completed', cardStale: true, polls: 3, errors: 0 },
    ],
    [
      'one region failed, none left replicating: failed',
      watch({ polls: 2, lastPolledAt: now - MIN }),
      read([completed('eastus'), failed('westus2')]),
      { kind: 'finished', status: 'failed', cardStale: true, polls: 3, errors: 0 },
    ],
    [
      'one region failed, another still replicating: still watching',
      watch({ polls: 2, lastPolledAt: now - MIN }),
      read([replicating('eastus', 50), failed('westus2')]),
      { kind: 'watching', status: 'watching', cardStale: true, polls: 3, errors: 0 },
    ],
    [
      'a region not reported yet: not finished, though every region reported is',
      watch({ polls: 2, lastPolledAt: now - MIN }),
      read([completed('eastus')], ['eastus', 'westus2']),
      { kind: 'watching', status: 'watching', cardStale: true, polls: 3, errors: 0 },
    ],
    [
      'found by a scan already over at its first read: seen, never announced',
      watch(),
      read([completed('eastus'), completed('westus2')]),
      { kind: 'seen', status: 'seen', cardStale: false, polls: 1, errors: 0 },
    ],
    [
      'started by the bot and over at its first read: announced all the same',
      watch({ origin: 'bot' }),
      read([completed('eastus'), completed('westus2')]),
      { kind: 'finished', status: 'completed', cardStale: true, polls: 1, errors: 0 },
    ],
    [
      'the target regions changed: closed, the next scan finds the new replication',
      watch({ polls: 1, cardStale: true }),
      read([replicating('eastus', 10), replicating('westus2', 10), replicating('westus3', 0)]),
      { kind: 'closed', status: 'closed', cardStale: false, polls: 1, errors: 0 },
    ],
    [
      'the version is gone: closed',
      watch({ polls: 3, cardStale: true }),
      { kind: 'notFound' },
      { kind: 'closed', status: 'closed', cardStale: false, polls: 3, errors: 0 },
    ],
    [
      'a 429: read again when the budget pause ends',
      watch({ polls: 3 }),
      { kind: 'throttled', until: now + 10 * MIN },
      { kind: 'retry', status: 'watching', cardStale: false, nextPollAt: now + 10 * MIN, polls: 3, errors: 0 },
    ],
    [
      'a first failed read: back off twice the shortest wait',
      watch({ polls: 3 }),
      { kind: 'failed' },
      { kind: 'retry', status: 'watching', cardStale: false, nextPollAt: now + 30_000, polls: 3, errors: 1 },
    ],
    [
      'many failed reads: the backoff stops at the longest wait',
      watch({ polls: 3, errors: 9 }),
      { kind: 'failed' },
      { kind: 'retry', status: 'watching', cardStale: false, nextPollAt: now + 600_000, polls: 3, errors: 10 },
    ],
  ])('%s', (_name, before, versionRead, expected) => {
    const frozen = structuredClone(before);
    const observed = observeReplication(before, versionRead, now, OPTIONS);
    expect(before).toEqual(frozen);
    const { nextPollAt, ...rest } = expected;
    expect({ kind: observed.kind, status: observed.watch.status, cardStale: observed.watch.cardStale, polls: observed.watch.polls, errors: observed.watch.errors }).toEqual(rest);
    if (nextPollAt !== undefined) expect(observed.watch.nextPollAt).toBe(nextPollAt);
  });

  it('says what changed: a region that moved, not a read that saw the same', () => {
    const regions = [replicating('eastus', 10), replicating('westus2', 20)];
    const first = observeReplication(watch(), read(regions), now, OPTIONS);
    expect(first).toMatchObject({ kind: 'watching', changed: true });
    const same = observeReplication({ ...first.watch, cardStale: false }, read(regions), now + MIN, OPTIONS);
    expect(same).toMatchObject({ kind: 'watching', changed: false });
    expect(same.watch.cardStale).toBe(false);
    // No rate yet: the wait doubles from the last one.
    expect(same.watch.nextPollAt).toBe(now + MIN + 2 * MIN);
    const moved = observeReplication(same.watch, read([replicating('eastus', 30), replicating('westus2', 20)]), now + 2 * MIN, OPTIONS);
    expect(moved).toMatchObject({ kind: 'watching', changed: true });
  });

  it('measures a region from its first sighting, or from the bot start when the bot started it', () => {
    const regions = [replicating('eastus', 40), replicating('westus2', 0)];
    const discovered = observeReplication(watch({ startedAt: T0 }), read(regions), now, OPTIONS).watch.regions;
    expect(discovered).toEqual([
      { region: 'eastus', state: 'Replicating', progress: 40, baseAt: now, baseProgress: 40 },
      { region: 'westus2', state: 'Replicating', progress: 0, baseAt: now, baseProgress: 0 },
    ]);
    const bots = observeReplication(watch({ origin: 'bot', startedAt: T0 }), read(regions), now, OPTIONS).watch.regions;
    expect(bots[0]).toMatchObject({ region: 'eastus', baseAt: T0, baseProgress: 0 });
    // Progress 0: nothing moved yet, so the rate starts at this read.
    expect(bots[1]).toMatchObject({ region: 'westus2', baseAt: now, baseProgress: 0 });
  });

  it('keeps when a region ended, and its base, across reads', () => {
    const first = observeReplication(watch({ polls: 1 }), read([completed('eastus'), replicating('westus2', 50)]), now, OPTIONS);
    const second = observeReplication(first.watch, read([completed('eastus'), replicating('westus2', 80)]), now + 5 * MIN, OPTIONS);
    expect(second.watch.regions[0]).toEqual({ region: 'eastus', state: 'Completed', progress: 100, baseAt: now, baseProgress: 100, finishedAt: now });
    expect(second.watch.regions[1]).toMatchObject({ baseAt: now, baseProgress: 50, progress: 80 });
    const done = observeReplication(second.watch, read([completed('eastus'), completed('westus2')]), now + 9 * MIN, OPTIONS);
    expect(done).toMatchObject({ kind: 'finished', watch: { status: 'completed', finishedAt: now + 9 * MIN } });
    expect(done.watch.regions.map((r) => r.finishedAt)).toEqual([now, now + 9 * MIN]);
  });

  it('keeps a failed region its details', () => {
    const observed = observeReplication(watch({ polls: 1 }), read([completed('eastus'), failed('westus2')]), now, OPTIONS);
    expect(observed.watch.regions[1]).toMatchObject({ state: 'Failed', details: 'quota' });
  });
});

describe('hasWorkLeft: whether a watch stays in the tracker', () => {
  it.each<[string, Partial<ReplicationWatch>, boolean]>([
    ['watching', { status: 'watching' }, true],
    ['completed, not announced', { status: 'completed' }, true],
    ['failed, not announced', { status: 'failed' }, true],
    ['completed and announced, the card stale', { status: 'completed', announcedAt: T0, cardStale: true }, true],
    ['completed and announced, the card up to date', { status: 'completed', announcedAt: T0 }, false],
    ['failed and announced', { status: 'failed', announcedAt: T0 }, false],
    ['seen', { status: 'seen' }, false],
    ['closed', { status: 'closed' }, false],
  ])('%s', (_name, overrides, expected) => {
    expect(hasWorkLeft(watch(overrides))).toBe(expected);
  });
});

describe('throttleWaitMs', () => {
  it.each<[string, unknown, number | undefined]>([
    ['a 429 with Retry-After', new AzureError('throttled', { retryAfterSeconds: 30 }), 30_000],
    ['a 429 without', new AzureError('throttled'), 60_000],
    ['another Azure error', new AzureError('notFound'), undefined],
    ['anything else', new Error('socket hang up'), undefined],
  ])('%s', (_name, error, expected) => {
    expect(throttleWaitMs(error)).toBe(expected);
  });
});

describe('new watches', () => {
  const unknown = { versionId: VERSION_ID, galleryId: 'g', imageName: 'img', versionName: '1.0.0', targets: ['eastus', 'westus2'], hostIds: ['host'] };

  it.each<[string, number | undefined, number | undefined, number]>([
    ['published before the last scan: began after that scan', T0 - 60 * MIN, T0 - 5 * MIN, T0 - 5 * MIN],
    ['published after the last scan: began when published', T0 - 2 * MIN, T0 - 5 * MIN, T0 - 2 * MIN],
    ['no scan before: began when published', T0 - 60 * MIN, undefined, T0 - 60 * MIN],
    ['no publish time: began now', undefined, T0 - 5 * MIN, T0],
    ['published "later" than now (clock skew): began now', T0 + MIN, undefined, T0],
  ])('a discovered one %s', (_name, publishedAt, lastScanAt, startedAt) => {
    const found = watchOfDiscovered({ ...unknown, ...(publishedAt !== undefined ? { publishedAt } : {}) }, lastScanAt, T0);
    expect(found).toMatchObject({ startedAt, firstSeenAt: T0, nextPollAt: T0, status: 'watching', origin: 'discovered', polls: 0 });
    expect(found.requester).toBeUndefined();
  });

  it('one the bot started: its parts from the version id, targets sorted, the requester kept', () => {
    const requester = { userId: 'u', conversationId: 'c', locale: 'fr-FR' };
    const started = watchOfStarted({ versionId: VERSION_ID, hostId: 'host', targets: ['westus2', 'eastus'], startedAt: T0 - MIN, requester }, T0);
    expect(started).toMatchObject({
      id: watchIdOf(VERSION_ID, ['eastus', 'westus2']),
      galleryId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g',
      imageName: 'img',
      versionName: '1.0.0',
      targets: ['eastus', 'westus2'],
      hostIds: ['host'],
      origin: 'bot',
      requester,
      startedAt: T0 - MIN,
      firstSeenAt: T0,
    });
  });
});
