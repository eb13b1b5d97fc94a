import { randomBytes } from 'node:crypto';
import { ManualClock } from '../../src/ports/clock';
import { openPostgresDatabase, postgresMigrations, SchemaTooNewError, type PostgresDatabase, type PostgresMigration } from '../../src/storage';
import { adminQuery, databaseUrl, testPostgresUrl } from '../support/postgresServer';

/** The PostgreSQL side of sqliteDatabase.test.ts: each test gets an empty database, not the migrated template. */
let adminUrl = '';
let url = '';
let name = '';
const clock = new ManualClock();
const opened: PostgresDatabase[] = [];

async function open(migrations?: readonly PostgresMigration[]): Promise<PostgresDatabase> {
  const db = await openPostgresDatabase({ url, clock, maxConnections: 2, ...(migrations ? { migrations } : {}) });
  opened.push(db);
  return db;
}

async function recorded(db: PostgresDatabase): Promise<unknown[]> {
  return (await db.pool.query('SELECT version, name, applied_at FROM schema_migrations ORDER BY version')).rows;
}

async function tableExists(db: PostgresDatabase, table: string): Promise<boolean> {
  return (await db.pool.query("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = $1", [table])).rowCount === 1;
}

const addWatches: PostgresMigration = {
  // After the last step, whatever its number (versions may leave gaps).
  version: Math.max(0, ...postgresMigrations.map((m) => m.version)) + 1,
  name: 'test: watches',
  sql: 'CREATE TABLE test_watches (id text PRIMARY KEY)',
};

beforeAll(async () => {
  adminUrl = await testPostgresUrl();
});
beforeEach(async () => {
  name = `lgb_empty_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  url = databaseUrl(adminUrl, name);
  clock.set(Date.UTC(2026, 2, 3));
});
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

describe('PostgreSQL schema migrations', () => {
  it('applies every migration to an empty database and records each with the clock time', async () => {
    const db = await open();
    expect(db.migrationsApplied).toEqual(postgresMigrations.map((m) => m.version));
    expect(await recorded(db)).toEqual(postgresMigrations.map((m) => ({ version: m.version, name: m.name, applied_at: Date.UTC(2026, 2, 3) })));
    for (const table of ['bot_state', 'conversation_refs', 'host_bindings', 'audit_log', 'operations', 'confirmations', 'outbox', 'replication_watches']) {
      expect(await tableExists(db, table)).toBe(true);
    }
  });

  it('applies nothing when reopening an up-to-date database, and only what was appended since', async () => {
    const first = await open();
    const before = await recorded(first);
    clock.advance(60_000);
    const again = await open();
    expect(again.migrationsApplied).toEqual([]);
    expect(await recorded(again)).toEqual(before);
    const appended = await open([...postgresMigrations, addWatches]);
    expect(appended.migrationsApplied).toEqual([addWatches.version]);
    expect(await tableExists(appended, 'test_watches')).toBe(true);
  });

  it('applies each step once when several instances open an empty database together', async () => {
    const all = await Promise.all([open(), open(), open()]);
    expect(all.flatMap((db) => db.migrationsApplied).sort()).toEqual(postgresMigrations.map((m) => m.version).sort());
    expect(await recorded(all[0] as PostgresDatabase)).toHaveLength(postgresMigrations.length);
  });

  it('rolls a failing migration back whole and leaves the database usable', async () => {
    await open();
    const broken: PostgresMigration = { version: addWatches.version, name: 'test: broken', sql: 'CREATE TABLE half_done (id text); SELECT 1/0' };
    await expect(open([...postgresMigrations, broken])).rejects.toThrow('division by zero');
    const db = await open();
    expect(await tableExists(db, 'half_done')).toBe(false);
    expect(await recorded(db)).toHaveLength(postgresMigrations.length);
  });

  it('refuses a database written by a newer build, with a clear error', async () => {
    const db = await open();
    await db.pool.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
    const error = await open().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect((error as Error).message).toBe(
      `PostgreSQL database ${db.location} has schema version 999, but this build only knows migrations up to version ` +
        `${postgresMigrations.at(-1)?.version}, and step 999 ("future") changed the schema in a way older builds cannot run on. Run a newer build of the bot, or point it at another database.`,
    );
  });

  it('lets an older build run on steps marked compatible, and refuses it once a breaking step is applied', async () => {
    const compatible: PostgresMigration = { ...addWatches, olderCode: 'compatible' };
    const breaking: PostgresMigration = { version: compatible.version + 1, name: 'test: rename', sql: 'ALTER TABLE test_watches RENAME TO test_watches_2' };
    const newer = await open([...postgresMigrations, compatible]);
    const older = await open();
    expect(older.migrationsApplied).toEqual([]);
    expect(await older.ping()).toBe(true);
    await open([...postgresMigrations, compatible, breaking]);
    const error = await open().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect((error as Error).message).toBe(
      `PostgreSQL database ${newer.location} has schema version ${breaking.version}, but this build only knows migrations up to version ` +
        `${postgresMigrations.at(-1)?.version}, and step ${breaking.version} ("test: rename") changed the schema in a way older builds cannot run on. ` +
        'Run a newer build of the bot, or point it at another database.',
    );
    // A build that knows the breaking step runs on.
    expect((await open([...postgresMigrations, compatible, breaking])).migrationsApplied).toEqual([]);
  });

  it('answers ping while open and closes idempotently', async () => {
    const db = await open();
    expect(db.isOpen()).toBe(true);
    expect(await db.ping()).toBe(true);
    await db.close();
    await db.close();
    expect(db.isOpen()).toBe(false);
    expect(await db.ping()).toBe(false);
  });
});
