import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ManualClock } from '../../src/ports/clock';
import type { ReplicationWatch } from '../../src/ports/replicationWatches';
import {
  copySqliteToPostgres,
  COPIED_TABLES,
  openPostgresDatabase,
  openSqliteDatabase,
  postgresBackend,
  sqliteBackend,
  type PostgresDatabase,
  type SqliteDatabase,
  type StorageBackend,
} from '../../src/storage';
import { adminQuery, databaseUrl, testPostgresUrl } from '../support/postgresServer';
import { CHILD_NODE_FLAGS } from '../support/childNode';

let adminUrl = '';
const root = path.resolve(__dirname, '../..');
const plan = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/physics';
const version = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/win11/versions/1.0.0';

let dataDir = '';
let name = '';
let sqlite: SqliteDatabase;
let postgres: PostgresDatabase;
const clock = new ManualClock();

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'lgb-migrate-'));
  name = `lgb_migrate_${process.pid}_${randomBytes(3).toString('hex')}`;
  adminUrl = await testPostgresUrl();
  // An empty database: the copy migrates it first, as it would a new Azure server.
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
});
afterAll(async () => {
  sqlite?.close();
  await postgres?.close();
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  rmSync(dataDir, { recursive: true, force: true });
});

function watch(): ReplicationWatch {
  return {
    id: `${version.toLowerCase()}|westeurope`,
    versionId: version,
    galleryId: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g',
    imageName: 'win11',
    versionName: '1.0.0',
    targets: ['westeurope'],
    hostIds: [plan],
    origin: 'bot',
    status: 'watching',
    regions: [{ region: 'westeurope', state: 'Replicating', progress: 40, baseAt: 1, baseProgress: 0 }],
    startedAt: 1,
    firstSeenAt: 1,
    polls: 2,
    errors: 0,
    nextPollAt: 5,
    cardConversations: ['19:c1'],
    cardStale: false,
  };
}

/** A bot's worth of every kind of row, written through the SQLite stores. */
async function seed(db: StorageBackend): Promise<void> {
  await db.botStorage.write({ 'msteams/conversations/19:c1/': { dialogState: { dialogStack: [] } } });
  await db.conversationRefs.upsert({ conversationId: '19:c1', tenantId: 't1', reference: { channelId: 'msteams' } });
  await db.bindings.put({ conversationId: '19:c1', hostId: plan, boundBy: 'aad-admin', boundAt: 2 });
  for (const [i, command] of ['bind', 'attach', 'detach'].entries()) {
    await db.audit.append({ time: 10, userId: 'aad-admin', conversationId: '19:c1', command, target: plan, outcome: 'succeeded', correlationId: `c${i}`, durationMs: 12.5 });
  }
  const operations = db.operations();
  for (const id of ['op-b', 'op-a']) {
    await operations.create({ id, kind: 'attach', hostId: plan, target: 'g', requestedBy: 'aad-admin', conversationId: '19:c1', locale: 'en-US', correlationId: id, params: {} });
  }
  const a = await operations.get('op-a');
  if (a) await operations.update('op-a', a.eTag, { status: 'failed', error: { key: 'error.x', params: { n: 1 } }, progress: { imageCount: 3 } });
  await db.confirmations.create({ id: 'conf-1', conversationId: '19:c1', requestedBy: 'aad-admin', action: 'detach', target: 'g', params: { n: 1 }, createdAt: 1, expiresAt: 2 });
  await db.confirmations.consume('conf-1', 'confirmed', 2);
  await db.outbox.enqueueSend({ key: 'send-1', conversationId: '19:c1', tenantId: 't1', message: { kind: 'text', text: 'hello' }, notBefore: 0 });
  await db.outbox.enqueueUpdate({ key: 'upd-1', targetKey: 'send-1', conversationId: '19:c1', message: { kind: 'text', text: 'hello again' }, notBefore: 0 });
  await db.replicationWatches(clock).insert(watch());
}

/** Everything the stores give back, to compare the two databases. */
async function snapshot(db: StorageBackend): Promise<unknown> {
  return {
    state: await db.botStorage.read(['msteams/conversations/19:c1/']),
    refs: await db.conversationRefs.list(),
    bindings: await db.bindings.listByHost(plan),
    hosts: await db.bindings.listHostIds(),
    audit: await db.audit.recent(10),
    unfinished: await db.operations().listUnfinished(),
    confirmation: await db.confirmations.get('conf-1'),
    outbox: [await db.outbox.get('send-1'), await db.outbox.get('upd-1'), await db.outbox.pendingConversations()],
    watches: await db.replicationWatches(clock).listUnsettled(),
  };
}

describe('migrate:sqlite-to-postgres', () => {
  it('copies every table, then nothing the second time, and PostgreSQL reads back what SQLite held', async () => {
    sqlite = openSqliteDatabase({ dataDir, clock });
    const source = sqliteBackend(sqlite);
    await seed(source);
    postgres = await openPostgresDatabase({ url: databaseUrl(adminUrl, name), clock });

    const first = await copySqliteToPostgres(sqlite, postgres);
    expect(first.map((c) => c.table)).toEqual([...COPIED_TABLES]);
    expect(first.filter((c) => c.source === 0)).toEqual([]);
    expect(first.every((c) => c.copied === c.source)).toBe(true);
    expect(Object.fromEntries(first.map((c) => [c.table, c.source]))).toEqual({
      bot_state: 1,
      conversation_refs: 1,
      host_bindings: 1,
      audit_log: 3,
      operations: 2,
      confirmations: 1,
      outbox: 2,
      replication_watches: 1,
    });

    const second = await copySqliteToPostgres(sqlite, postgres);
    expect(second).toEqual(first.map((c) => ({ ...c, copied: 0 })));

    const target = postgresBackend(postgres);
    expect(await snapshot(target)).toEqual(await snapshot(source));
    // Sequences moved past the copied rows: new rows follow them.
    await target.audit.append({ time: 10, userId: 'u', conversationId: '19:c1', command: 'after', target: plan, outcome: 'succeeded', correlationId: 'c9' });
    expect((await target.audit.recent(1))[0]?.command).toBe('after');
    await target.outbox.enqueueSend({ key: 'send-2', conversationId: '19:c1', message: { kind: 'text', text: 'new' }, notBefore: 0 });
    expect((await target.outbox.get('send-2'))?.seq).toBeGreaterThan((await target.outbox.get('upd-1'))?.seq ?? Infinity);
  });

  it('runs from npm: prints the rows per table, all already there on a second run', async () => {
    const file = path.join(dataDir, 'bot.sqlite');
    const { stdout } = await promisify(execFile)(process.execPath, [...CHILD_NODE_FLAGS, path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/migrateSqliteToPostgres.ts', file], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl(adminUrl, name), DATABASE_AUTH: '' },
    });
    expect(stdout).toContain(`${file} → 127.0.0.1:`);
    expect(stdout).toMatch(/audit_log\s+3 rows,\s+0 copied,\s+3 already there/);
    expect(stdout).toMatch(/outbox\s+2 rows,\s+0 copied,\s+2 already there/);
  });
});
