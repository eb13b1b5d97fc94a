import { ScaledClock, systemClock } from '../../src/ports/clock';
import { postgresMigrations, SchemaTooNewError, type PostgresMigration } from '../../src/storage';
import { startFakeBotConnector, TEAMS_LIMITS, type FakeBotConnector } from '../support/fakeBotConnector';
import { text } from './outboxHarness';
import { addConversation, createFleetDatabase, openFleetInstance, problems, type FleetInstance } from './fleetHarness';

/**
 * A deployment overlap on PostgreSQL: the new version migrates the database forward by a step marked compatible
 * with older code, and instances of the old version (which knows only the steps before it) keep running beside it.
 * A later breaking step makes the old version refuse the database.
 */
const last = postgresMigrations.at(-1)?.version ?? 0;
const additive: PostgresMigration = {
  version: last + 1,
  name: 'test: outbox priority',
  sql: 'ALTER TABLE outbox ADD COLUMN priority integer; CREATE TABLE test_feature (id text PRIMARY KEY)',
  olderCode: 'compatible',
};
const breaking: PostgresMigration = {
  version: last + 2,
  name: 'test: conversation refs renamed',
  sql: 'ALTER TABLE conversation_refs RENAME TO conversation_references',
  olderCode: 'breaking',
};
const OLD = postgresMigrations;
const NEW = [...postgresMigrations, additive];
const TENANT = 'tenant-overlap';

describe('deployment overlap (PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof createFleetDatabase>>;
  let connector: FakeBotConnector;
  const instances: FleetInstance[] = [];
  // 10× faster for the outboxes and the connector alike.
  const clock = new ScaledClock(systemClock, 10);

  beforeAll(async () => {
    database = await createFleetDatabase();
    connector = await startFakeBotConnector({ limits: TEAMS_LIMITS, now: () => clock.now() });
  });
  afterAll(async () => {
    for (const instance of instances.splice(0)) {
      await instance.outbox.stop();
      await instance.db.close();
    }
    await connector?.close();
    await database?.drop();
  });

  it('runs old and new instances side by side on a schema migrated forward, then refuses the old one after a breaking step', async () => {
    const newer = await openFleetInstance('new', database.url, clock, { migrations: NEW });
    instances.push(newer);
    expect(newer.db.migrationsApplied).toEqual([additive.version]);
    const older = await openFleetInstance('old', database.url, clock, { migrations: OLD });
    instances.push(older);
    expect(older.db.migrationsApplied).toEqual([]);
    await newer.outbox.start();
    await older.outbox.start();

    // A while of ordinary work on both: every store read and written by each, messages queued through both.
    const expected = new Map<string, string[]>();
    for (let round = 0; round < 6; round++) {
      for (const [i, instance] of [newer, older].entries()) {
        const other = i === 0 ? older : newer;
        const id = `19:overlap-${round}-${instance.name}@thread.tacv2`;
        const { backend } = instance;
        await addConversation(backend, connector, id, TENANT);
        expect(await other.backend.conversationRefs.get(id)).toMatchObject({ tenantId: TENANT });
        const binding = await backend.bindings.put({ conversationId: id, hostId: `/subscriptions/s/labPlans/p${round}`, boundBy: 'u1', boundAt: clock.now() });
        await other.backend.bindings.put({ ...binding, hostId: `/subscriptions/s/labPlans/q${round}` }, { ifMatch: binding.eTag });
        await backend.audit.append({ time: clock.now(), userId: 'u1', conversationId: id, command: 'attach', target: 'p', outcome: 'succeeded', correlationId: `c-${round}-${i}` });
        await backend.botStorage.write({ [`state/${id}`]: { step: round } });
        expect(await other.backend.botStorage.read([`state/${id}`])).toMatchObject({ [`state/${id}`]: { step: round } });
        const bodies = [`${id} first`, `${id} second`];
        expected.set(id, bodies);
        await instance.outbox.send(id, text(bodies[0]!), { key: `overlap:${id}:1` });
        await other.outbox.send(id, text(bodies[1]!), { key: `overlap:${id}:2` });
      }
    }
    await connector.waitForAccepted(24, 20_000);
    await Promise.all([newer.outbox.drain(5_000), older.outbox.drain(5_000)]);
    expect(connector.accepted).toHaveLength(24);
    for (const [id, bodies] of expected) expect(connector.textsOf(id)).toEqual(bodies);
    expect(connector.throttled()).toBe(0);
    expect(await newer.backend.audit.recent(100)).toHaveLength(12);
    expect([...problems(newer), ...problems(older)]).toEqual([]);

    // The next version breaks older code: the old version can no longer open the database, and says why.
    const newest = await openFleetInstance('newest', database.url, clock, { migrations: [...NEW, breaking] });
    instances.push(newest);
    const refused = await openFleetInstance('old-again', database.url, clock, { migrations: OLD }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SchemaTooNewError);
    expect((refused as Error).message).toBe(
      `PostgreSQL database ${newer.db.location} has schema version ${breaking.version}, but this build only knows migrations up to version ` +
        `${last}, and step ${breaking.version} ("test: conversation refs renamed") changed the schema in a way older builds cannot run on. ` +
        'Run a newer build of the bot, or point it at another database.',
    );
    // The version with the additive step only is older than the breaking one too.
    await expect(openFleetInstance('new-again', database.url, clock, { migrations: NEW })).rejects.toThrow(SchemaTooNewError);
  });
});
