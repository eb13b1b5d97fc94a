import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readinessChecks, startApp, type ReadinessParts, type RunningApp } from '../../src/app';
import { armTelemetryPolicy } from '../../src/azure/armTelemetryPolicy';
import { loadConfig } from '../../src/config';
import { Outbox } from '../../src/outbox';
import { ManualClock } from '../../src/ports/clock';
import type { ConversationTransport } from '../../src/ports/conversationTransport';
import { openSqliteDatabase, SqliteConversationRefStore, SqliteOutboxStore, type SqliteDatabase } from '../../src/storage/sqlite';
import { FailureStreak } from '../../src/telemetry/failureStreak';
import { startDemoAzure, type DemoAzure } from '../support/azureHarness';
import { memoryLogger } from '../support/memoryLogger';

type Results = Record<string, true | { ok: false; reason: string } | boolean>;

async function run(parts: ReadinessParts): Promise<Results> {
  const entries = await Promise.all(readinessChecks(parts).map(async (c) => [c.name, await c.check()] as const));
  return Object.fromEntries(entries);
}

const nowhere: ConversationTransport = {
  send: () => Promise.reject(new Error('not in this test')),
  update: () => Promise.reject(new Error('not in this test')),
};

describe('readiness checks', () => {
  let azure: DemoAzure;
  let db: SqliteDatabase;
  let dataDir: string;
  let parts: ReadinessParts;
  let streak: FailureStreak;
  let clock: ManualClock;

  beforeEach(async () => {
    streak = new FailureStreak();
    azure = await startDemoAzure({ additionalPolicies: [armTelemetryPolicy([streak])] });
    clock = new ManualClock(Date.UTC(2026, 11, 1, 8, 0, 0));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-ready-'));
    db = openSqliteDatabase({ dataDir, clock });
    const refs = new SqliteConversationRefStore(db);
    const outbox = new Outbox({ store: new SqliteOutboxStore(db), transport: nowhere, refs, clock, logger: memoryLogger() });
    await refs.upsert({ conversationId: 'c-1', tenantId: 't', reference: { conversation: { id: 'c-1' } } });
    parts = { db, gateways: azure.setup.gateways, azureFailures: streak, outbox, clock, settings: { azureFailures: 3, outboxMaxAgeSeconds: 60 } };
  });
  afterEach(async () => {
    db.close();
    await azure.setup.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is ready when storage answers, Azure answers and nothing waits in the outbox', async () => {
    expect(await run(parts)).toEqual({ storage: true, azure: true, outbox: true });
  });

  it('says storage is unreachable when the database does not answer', async () => {
    db.close();
    expect((await run({ ...parts, outbox: { backlog: async () => ({ pending: 0 }) } })).storage).toEqual({ ok: false, reason: 'storage unreachable' });
  });

  it('is not ready after N ARM failures in a row, and ready again once a probe gets through', async () => {
    const fault = azure.emulator.faults.add({ path: /./, status: 500 });
    await expect(azure.setup.gateways.labHosts.listHosts()).rejects.toThrow();
    expect(streak.current).toBeGreaterThanOrEqual(3);
    const failing = await run(parts);
    expect(failing.azure).toEqual({ ok: false, reason: expect.stringMatching(/^\d+ ARM requests failed in a row$/) });

    azure.emulator.faults.remove(fault);
    expect((await run(parts)).azure).toBe(true);
    expect(streak.current).toBe(0);
  });

  it('does not count throttling as Azure failing', async () => {
    azure.emulator.faults.add({ path: /./, status: 429, retryAfterSeconds: 0 });
    await expect(azure.setup.gateways.labHosts.listHosts()).rejects.toThrow();
    expect(streak.current).toBe(0);
  });

  it('is not ready while the oldest pending message is older than the limit', async () => {
    await (parts.outbox as Outbox).send('c-1', { kind: 'text', text: 'queued, never started' });
    clock.advance(30_000);
    expect((await run(parts)).outbox).toBe(true);
    clock.advance(60_000);
    expect((await run(parts)).outbox).toEqual({ ok: false, reason: 'oldest pending message is 90 s old (limit 60 s)' });
  });
});

describe('GET /readyz', () => {
  let app: RunningApp;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-readyz-'));
    app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, READY_OUTBOX_MAX_AGE_SECONDS: '60' }), { log: memoryLogger() });
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 200 with every check when ready', async () => {
    const response = await fetch(`${app.server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { storage: true, azure: true, outbox: true } });
  });

  it('answers 503 with the reason when a message has waited too long', async () => {
    // A row queued two hours ago by another process on the same database, for a conversation this one has no lane for.
    const past = openSqliteDatabase({ dataDir, clock: new ManualClock(Date.now() - 2 * 3_600_000) });
    try {
      await new SqliteOutboxStore(past).enqueueSend({ key: 'stuck', conversationId: 'c-stuck', message: { kind: 'text', text: 'x' }, notBefore: Date.now() + 86_400_000 });
    } finally {
      past.close();
    }
    const response = await fetch(`${app.server.url}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; checks: Record<string, boolean>; reasons: Record<string, string> };
    expect(body.status).toBe('not ready');
    expect(body.checks).toEqual({ storage: true, azure: true, outbox: false });
    expect(body.reasons.outbox).toMatch(/^oldest pending message is 7\d{3} s old \(limit 60 s\)$/);
  });

  it('keeps /healthz cheap and up whatever readiness says', async () => {
    expect((await fetch(`${app.server.url}/healthz`)).status).toBe(200);
  });
});
