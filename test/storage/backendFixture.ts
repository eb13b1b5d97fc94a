import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock, type Clock } from '../../src/ports/clock';
import { ETagConflictError } from '../../src/ports/stores';
import {
  openPostgresDatabase,
  postgresBackend,
  sqliteBackend,
  type PostgresDatabase,
  type SqliteDatabase,
  type StorageBackend,
} from '../../src/storage';
import { adminQuery, databaseUrl, TEMPLATE_DATABASE, testPostgresUrl } from '../support/postgresServer';
import { openMigratedSqlite } from '../support/migratedSqlite';

export type BackendName = 'sqlite' | 'postgres';

/** What the contract suites run over: describe.each(BACKENDS). */
export const BACKENDS: readonly BackendName[] = ['sqlite', 'postgres'];

export interface BackendFixture {
  readonly backend: BackendName;
  /** A fresh clock per test; every store of the test's database reads it. */
  readonly clock: ManualClock;
  /**
   * The test's database, empty at the start of each test. Each call is another handle on it, as another process
   * or instance would have: SQLite opens the file again; PostgreSQL hands out the test file's pool, whose
   * connections race for real. Closing a handle is harmless; everything is closed after the test.
   */
  open(): Promise<StorageBackend>;
  /** Raw SQL on the test's database, around the stores (each backend's own dialect). */
  sql(text: string): Promise<unknown[]>;
}

/** Registers the hooks that give each test an empty database of that backend: call at the top of a describe block. */
export function useBackendFixture(backend: BackendName): BackendFixture {
  return backend === 'sqlite' ? useSqlite() : usePostgres();
}

function useSqlite(): BackendFixture {
  let dataDir: string | undefined;
  let clock = new ManualClock();
  const opened: SqliteDatabase[] = [];
  const openFile = (): SqliteDatabase => {
    if (!dataDir) throw new Error('useBackendFixture: only inside a test');
    const db = openMigratedSqlite({ dataDir, clock });
    opened.push(db);
    return db;
  };

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'lab-gallery-storage-'));
    clock = new ManualClock();
  });
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  return {
    backend: 'sqlite',
    get clock() {
      return clock;
    },
    open: async () => sqliteBackend(openFile()),
    sql: async (text) => {
      try {
        const statement = openFile().connection.prepare(text);
        if (statement.reader) return statement.all();
        statement.run();
        return [];
      } catch (error) {
        // better-sqlite3's errors come from outside Jest's realm, which `rejects.toThrow` does not always see as errors.
        throw new Error(error instanceof Error ? error.message : String(error));
      }
    },
  };
}

let databases = 0;

/**
 * One database per test file (and backend block), cloned from the template globalSetup migrated, dropped after;
 * emptied before each test. Its pool is opened once: a connection costs more than the tests it would serve.
 */
function usePostgres(): BackendFixture {
  let clock = new ManualClock();
  // The pool outlives the tests, the clock does not: its stores read whichever clock the test has.
  const currentClock: Clock = {
    now: () => clock.now(),
    sleep: (ms) => clock.sleep(ms),
    setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
  };
  let adminUrl = '';
  const name = `lgb_test_${process.pid}_${++databases}_${randomBytes(3).toString('hex')}`;
  let db: PostgresDatabase | undefined;
  let emptyAll = '';

  beforeAll(async () => {
    adminUrl = await testPostgresUrl();
    await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
    db = await openPostgresDatabase({ url: databaseUrl(adminUrl, name), clock: currentClock, maxConnections: 4 });
    const { rows } = await db.pool.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1",
    );
    // replica: the audit log's append-only triggers stand aside for the reset (and only for it).
    emptyAll = ['SET session_replication_role = replica', ...rows.map((r) => `DELETE FROM ${r.tablename}`), 'RESET session_replication_role'].join(';\n');
  });
  beforeEach(async () => {
    clock = new ManualClock();
    await db?.pool.query(emptyAll);
  });
  afterAll(async () => {
    await db?.close();
    if (adminUrl) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  const shared = (): PostgresDatabase => {
    if (!db) throw new Error('useBackendFixture: only inside a test');
    return db;
  };
  return {
    backend: 'postgres',
    get clock() {
      return clock;
    },
    open: async () => ({ ...postgresBackend(shared()), close: async () => undefined }),
    sql: async (text) => (await shared().pool.query(text)).rows as unknown[],
  };
}

/** Awaits a write expected to lose on its eTag condition, and checks which key it names. */
export async function expectConflict(promise: Promise<unknown>, key: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ETagConflictError);
  expect((error as ETagConflictError).key).toBe(key);
}
