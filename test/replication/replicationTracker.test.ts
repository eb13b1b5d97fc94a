import { DEMO_IDS } from '../../src/emulator';
import { BOUND_CONVERSATION, startTrackerWorld, type TrackerWorld } from '../support/trackerHarness';

const MIN = 60_000;
const DEFINITION = `${DEMO_IDS.physicsGalleryId}/images/physics-win11`;

function textOf(message: { kind: string; text?: string; summary?: string }): string {
  return message.kind === 'text' ? (message.text ?? '') : (message.summary ?? '');
}

describe('ReplicationTracker against the emulator, on a manual clock', () => {
  let world: TrackerWorld;
  afterEach(async () => world?.close());

  async function settleExisting(): Promise<void> {
    // The seed's versions are old and complete: the first scan remembers them without a word.
    await world.runUntil(() => false, 1);
    expect(world.notifier.queued).toEqual([]);
  }

  function addVersion(name: string, durations: Record<string, number>, failRegions: string[] = []): string {
    return world.emulator.state.addImageVersion({
      definitionId: DEFINITION,
      name,
      targetRegions: Object.keys(durations),
      replicationDurationsMs: durations,
      failRegions,
    });
  }

  it('discovers a replication someone else started, posts a progress card, updates it and announces the end once', async () => {
    world = await startTrackerWorld({ scanIntervalMs: 5 * MIN });
    await settleExisting();
    const started = world.clock.now();
    addVersion('3.0.0', { westus2: 20 * MIN, eastus: 40 * MIN, centralus: 60 * MIN });

    await world.runUntil(() => world.notifier.announcements().length > 0, 3 * 60 * MIN);

    const [announcement, ...more] = world.notifier.announcements();
    expect(more).toEqual([]);
    expect(announcement?.conversationId).toBe(BOUND_CONVERSATION);
    expect(textOf(announcement!.message)).toMatch(/physics-win11\*\* 3\.0\.0 is replicated to all 3 regions of United States: Central US, East US, West US 2/);
    // Found by the next scan (within 5 min), announced within 2 min of the end.
    const lag = announcement!.at - (started + 60 * MIN);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThanOrEqual(2 * MIN);

    const cards = world.notifier.cards();
    expect(cards[0]?.kind).toBe('send');
    expect(cards.filter((c) => c.kind === 'send')).toHaveLength(1);
    const updates = cards.filter((c) => c.kind === 'update');
    expect(updates.length).toBeGreaterThan(1);
    const times = cards.map((c) => c.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(MIN);
    const last = JSON.stringify(updates.at(-1)?.message);
    expect(last).toContain('Replicated to all 3 regions of United States');

    // Reads: a handful per version, not one every few seconds.
    expect(world.statusReads()).toBeLessThanOrEqual(12);
    // Nothing more once it is over.
    const queued = world.notifier.queued.length;
    await world.runUntil(() => false, 60 * MIN);
    expect(world.notifier.queued.length).toBe(queued);
  });

  it('announces a failure with the failed regions, the reason and what an admin can do', async () => {
    world = await startTrackerWorld();
    await settleExisting();
    addVersion('3.1.0', { westus2: 10 * MIN, eastus: 30 * MIN }, ['eastus']);

    await world.runUntil(() => world.notifier.announcements().length > 0, 2 * 60 * MIN);

    const text = textOf(world.notifier.announcements()[0]!.message);
    expect(text).toMatch(/Replication of \*\*physics-win11\*\* 3\.1\.0 failed in East US \(Replication to region 'eastus' failed/);
    expect(text).toContain('Completed: West US 2');
    expect(text).toContain('`replicate physics-win11 3.1.0`');
    expect(world.notifier.announcements()).toHaveLength(1);
  });

  it('tracks a replication the bot started and tells the requester too, in their language', async () => {
    world = await startTrackerWorld();
    await settleExisting();
    const versionId = addVersion('3.2.0', { westus2: 1 });
    world.clock.advance(MIN);
    world.emulator.state.galleries.setTargetRegions(versionId, ['westus2', 'eastus', 'westus3']);
    await world.tracker.track({
      versionId,
      hostId: DEMO_IDS.labPlanId,
      targets: ['eastus', 'westus2', 'westus3'],
      startedAt: world.clock.now(),
      requester: { userId: 'admin-1', conversationId: 'admin-chat', locale: 'fr-FR' },
    });

    await world.runUntil(() => world.notifier.announcements().length >= 2, 5 * 60 * MIN);

    const byConversation = new Map(world.notifier.announcements().map((a) => [a.conversationId, textOf(a.message)]));
    expect(byConversation.get(BOUND_CONVERSATION)).toMatch(/is replicated to all 3 regions/);
    expect(byConversation.get('admin-chat')).toMatch(/est répliquée dans les 3 régions/);
    expect(world.notifier.cards().filter((c) => c.kind === 'send').map((c) => c.conversationId).sort()).toEqual(['admin-chat', BOUND_CONVERSATION]);
  });

  it('after a restart half way, carries on from the database and says nothing twice', async () => {
    world = await startTrackerWorld();
    await settleExisting();
    addVersion('3.3.0', { westus2: 30 * MIN, eastus: 50 * MIN });
    await world.runUntil(() => world.notifier.cards().length > 0, 10 * MIN);
    await world.runUntil(() => false, 20 * MIN);
    expect(world.notifier.announcements()).toHaveLength(0);

    const readsBefore = world.statusReads();
    const tracker = world.restart();
    await world.runUntil(() => world.notifier.announcements().length > 0, 2 * 60 * MIN);
    await world.runUntil(() => false, 30 * MIN);

    expect(tracker).toBe(world.tracker);
    expect(world.notifier.announcements()).toHaveLength(1);
    expect(world.notifier.cards().filter((c) => c.kind === 'send')).toHaveLength(1);
    expect(world.statusReads() - readsBefore).toBeLessThanOrEqual(10);
  });

  it('a restart between queueing the announcement and recording it queues nothing new (the key is known)', async () => {
    world = await startTrackerWorld();
    await settleExisting();
    addVersion('3.4.0', { westus2: 5 * MIN });
    await world.runUntil(() => world.notifier.announcements().length > 0, 60 * MIN);
    // Forget that it was announced, as if the process died right after queueing.
    const row = world.db.connection.prepare("SELECT id, doc FROM replication_watches WHERE status = 'completed'").get() as { id: string; doc: string };
    const doc = JSON.parse(row.doc) as Record<string, unknown>;
    delete doc.announcedAt;
    world.db.connection.prepare('UPDATE replication_watches SET doc = ?, unsettled = 1 WHERE id = ?').run(JSON.stringify(doc), row.id);

    world.restart();
    await world.runUntil(() => false, 10 * MIN);

    expect(world.notifier.announcements()).toHaveLength(1);
    const settled = world.db.connection.prepare('SELECT unsettled FROM replication_watches WHERE id = ?').get(row.id) as { unsettled: number };
    expect(settled.unsettled).toBe(0);
  });

  it('obeys Retry-After during a 429 storm and resumes after it', async () => {
    world = await startTrackerWorld();
    await settleExisting();
    addVersion('3.5.0', { westus2: 30 * MIN });
    await world.runUntil(() => world.notifier.cards().length > 0, 10 * MIN);

    const rule = world.emulator.faults.add({ method: 'GET', path: /\/versions\//i, status: 429, retryAfterSeconds: 600 });
    const stormStart = world.clock.now();
    await world.runUntil(() => false, 25 * MIN);
    const throttled = world.emulator.requestLog.filter((r) => r.status === 429 && r.time >= stormStart);
    // One refused read per Retry-After window: it waits the 10 minutes ARM asked for.
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    expect(throttled.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < throttled.length; i++) expect(throttled[i]!.time - throttled[i - 1]!.time).toBeGreaterThanOrEqual(10 * MIN);
    world.emulator.faults.remove(rule);

    await world.runUntil(() => world.notifier.announcements().length > 0, 60 * MIN);
    expect(world.notifier.announcements()).toHaveLength(1);
  });

  it('waits only on its clock: start() arms one timer, each tick the next (a minute at most), stop() cancels it', async () => {
    world = await startTrackerWorld({ scanIntervalMs: 5 * MIN });
    const others = world.clock.pendingTimers;
    world.tracker.start();
    expect(world.clock.pendingTimers).toBe(others + 1);
    world.clock.advance(0);
    expect(world.clock.pendingTimers).toBe(others);
    // The tick in flight: the first scan, then the seed's versions read once and remembered.
    await world.tracker.tick();
    expect(world.clock.pendingTimers).toBe(others + 1);
    const reads = world.statusReads();
    expect(reads).toBeGreaterThan(0);

    // The next scan is 5 minutes away, but the tracker wakes within a minute, on the clock's time only.
    world.clock.advance(MIN - 1);
    expect(world.clock.pendingTimers).toBe(others + 1);
    world.clock.advance(1);
    expect(world.clock.pendingTimers).toBe(others);
    await world.tracker.tick();
    expect(world.clock.pendingTimers).toBe(others + 1);
    expect(world.statusReads()).toBe(reads);

    await world.tracker.stop();
    expect(world.clock.pendingTimers).toBe(others);
  });

  it('keeps its reads within its share of the read budget', async () => {
    world = await startTrackerWorld({ readsPerHour: 120 });
    await settleExisting();
    for (let i = 0; i < 20; i++) addVersion(`4.0.${i}`, { westus2: 90 * MIN, eastus: 100 * MIN });
    const start = world.clock.now();
    const readsBefore = world.statusReads();
    await world.runUntil(() => world.notifier.announcements().length === 20, 6 * 60 * MIN);
    const hours = (world.clock.now() - start) / (60 * MIN);
    expect(world.notifier.announcements()).toHaveLength(20);
    // The bucket allows its burst (one minute's worth) on top of the hourly rate.
    expect(world.statusReads() - readsBefore).toBeLessThanOrEqual(120 * hours + 2 + 20);
  });
});
