import { ScaledClock, systemClock } from '../../src/ports/clock';
import { startFakeBotConnector, TEAMS_LIMITS, type FakeBotConnector } from '../support/fakeBotConnector';
import { text } from './outboxHarness';
import { addConversation, createFleetDatabase, openFleetInstance, problems, type FleetInstance } from './fleetHarness';

/**
 * Two outboxes (two instances, each with its own pool) on one PostgreSQL database, delivering to a fake Bot Connector
 * that enforces Teams' limits. Time runs 10× faster for the outboxes and the connector alike, so that Teams' second
 * windows pass in a tenth of one.
 */
const TIME_SCALE = 10;
const TENANT = 'tenant-fleet';

describe('outbox across instances (PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof createFleetDatabase>>;
  let connector: FakeBotConnector;
  let clock: ScaledClock;
  let instances: FleetInstance[] = [];

  beforeAll(async () => {
    database = await createFleetDatabase();
    // One clock for the file: the rate windows of one test must not lie in another's future.
    clock = new ScaledClock(systemClock, TIME_SCALE);
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    connector = await startFakeBotConnector({ limits: TEAMS_LIMITS, now: () => clock.now() });
  });
  afterEach(async () => {
    for (const instance of instances.splice(0)) {
      await instance.outbox.stop();
      await instance.db.close();
    }
    await connector.close();
  });

  it('delivers 200 messages over 25 conversations once each, in order, within the limits, from both instances', async () => {
    instances = [await openFleetInstance('a', database.url, clock), await openFleetInstance('b', database.url, clock)];
    const [a, b] = instances as [FleetInstance, FleetInstance];
    const conversations = Array.from({ length: 25 }, (_, i) => `19:fleet-${i}@thread.tacv2`);
    for (const id of conversations) await addConversation(a.backend, connector, id, TENANT);
    await a.outbox.start();
    await b.outbox.start();

    // Queued through either instance while both deliver, conversations side by side: per conversation, seq order
    // is the order of the rounds.
    const expected = new Map<string, string[]>();
    await Promise.all(
      conversations.map(async (id, i) => {
        const bodies = Array.from({ length: 8 }, (_, round) => `${id} #${round}`);
        expected.set(id, bodies);
        for (const [round, body] of bodies.entries()) {
          await ((round + i) % 2 === 0 ? a : b).outbox.send(id, text(body), { key: `fleet:${id}:${round}` });
        }
      }),
    );
    await connector.waitForAccepted(200, 30_000);
    await Promise.all(instances.map((instance) => instance.outbox.drain(5_000)));

    expect(connector.accepted).toHaveLength(200);
    for (const id of conversations) expect(connector.textsOf(id)).toEqual(expected.get(id));
    expect(connector.throttled()).toBe(0);
    expect(a.sent.length).toBeGreaterThan(0);
    expect(b.sent.length).toBeGreaterThan(0);
    expect(a.sent.length + b.sent.length).toBe(200);
    expect([...problems(a), ...problems(b)]).toEqual([]);
    // About 1,800 queries on a real server: seconds alone, more under a full parallel run on a loaded machine.
  }, 90_000);

  it("delivers the messages a dead instance had claimed once its claim lapses", async () => {
    instances = [await openFleetInstance('survivor', database.url, clock, { fleet: { instanceId: 'survivor', rescanEveryMs: 500 } })];
    const [survivor] = instances as [FleetInstance];
    const id = '19:orphan@thread.tacv2';
    await addConversation(survivor.backend, connector, id, TENANT);
    await survivor.backend.outbox.enqueueSend({ key: 'orphan:1', conversationId: id, tenantId: TENANT, message: text('first'), notBefore: clock.now() });
    await survivor.backend.outbox.enqueueSend({ key: 'orphan:2', conversationId: id, tenantId: TENANT, message: text('second'), notBefore: clock.now() });
    const head = (await survivor.backend.outbox.nextPending(id))!;
    // The dead instance claimed the head and never finished it; its claim runs 2 s (0.2 s of real time).
    const claimedAt = clock.now();
    expect(await survivor.backend.outbox.claim(head.seq, { owner: 'dead', now: claimedAt, until: claimedAt + 2_000 })).toBe(true);

    await survivor.outbox.start();
    await connector.waitForAccepted(2, 10_000);
    expect(connector.accepted[0]!.arrivedAt).toBeGreaterThanOrEqual(claimedAt + 2_000);
    expect(connector.textsOf(id)).toEqual(['first', 'second']);
    expect(problems(survivor)).toEqual([]);
  });
});
