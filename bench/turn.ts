/**
 * bench:turn — latency and throughput of a `help` turn over HTTP, against a bare botbuilder echo bot on
 * the same stack. Everything (load client, both bots, both stand-in connectors) runs in this process on
 * loopback, so client and connector work is part of both bots' numbers alike. Exits 1 only on wrong
 * answers, never on a missed target. The DEP0111 warning on stderr comes from restify.
 */
import * as http from 'node:http';
import { teamsMessage, type CaptureConnector, startCaptureConnector } from '../test/support/captureConnector';
import { parseBenchArgs, USAGE, UsageError, type BenchOptions } from './lib/args';
import { startEchoBot, type RunningBot } from './lib/echoBot';
import { runLoad, type Sample } from './lib/load';
import { BENCH_ADMIN_ID, startOurBot } from './lib/ourBot';
import { buildResult, formatTelemetry, formatText, telemetryOverhead } from './lib/report';
import { inMemoryTracing } from '../test/support/inMemoryTracing';
import { summarize } from './lib/stats';
import { verifySamples, type Subject } from './lib/subject';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

interface Measured {
  subject: Subject;
  warmup: Sample[];
  samples: Sample[];
  wallMs: number;
}

function subject(name: string, bot: RunningBot, connector: CaptureConnector, checkReply: Subject['checkReply']): Subject {
  let sequence = 0;
  return {
    name,
    connector,
    url: bot.url,
    checkReply,
    nextActivity() {
      const body = teamsMessage(connector.url, 'help', {
        aadObjectId: BENCH_ADMIN_ID,
        conversationId: `bench-${name}`,
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

async function measure(options: BenchOptions, subjects: readonly Subject[], agent: http.Agent): Promise<Measured[]> {
  const measured = subjects.map((s): Measured => ({ subject: s, warmup: [], samples: [], wallMs: 0 }));
  if (options.warmup > 0) {
    for (const m of measured) m.warmup = (await runLoad(m.subject, options.warmup, options.concurrency, agent)).samples;
  }
  const perRound = split(options.n, options.rounds);
  for (const [round, count] of perRound.entries()) {
    const order = round % 2 === 0 ? measured : [...measured].reverse();
    for (const m of order) {
      const { samples, wallMs } = await runLoad(m.subject, count, options.concurrency, agent);
      m.samples.push(...samples);
      m.wallMs += wallMs;
    }
  }
  return measured;
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
  const bots = options.telemetry ? 3 : 2;
  const budgetMs = 60_000 + (options.n + options.warmup) * bots * 20;
  const watchdog = setTimeout(() => {
    console.error(`bench:turn did not finish within ${Math.round(budgetMs / 1000)} s; giving up`);
    process.exit(1);
  }, budgetMs).unref();

  const stops: (() => Promise<void>)[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  try {
    const ourConnector = await startCaptureConnector();
    stops.push(() => ourConnector.close());
    const echoConnector = await startCaptureConnector();
    stops.push(() => echoConnector.close());
    const ours = await startOurBot();
    stops.push(() => ours.close());
    const echo = await startEchoBot();
    stops.push(() => echo.close());

    const subjects = [
      subject('ours', ours, ourConnector, isAdaptiveCardReply),
      subject('echo', echo, echoConnector, isEcho),
    ];
    if (options.telemetry) {
      // Same bot, with spans to memory (no exporter endpoint) and every metric collected; measured in the same rounds.
      const observedConnector = await startCaptureConnector();
      stops.push(() => observedConnector.close());
      const observed = await startOurBot({ tracer: inMemoryTracing({ batch: true }).tracer, metrics: true });
      stops.push(() => observed.close());
      subjects.push(subject('observed', observed, observedConnector, isAdaptiveCardReply));
    }
    const measured = await measure(options, subjects, agent);

    const problems = (
      await Promise.all(measured.map((m) => verifySamples(m.subject, [...m.warmup, ...m.samples])))
    ).flat();
    if (problems.length) {
      console.error(`bench:turn: correctness failures, numbers not reported:\n- ${problems.join('\n- ')}`);
      return 1;
    }

    const [ourRun, echoRun, observedRun] = measured;
    if (!ourRun || !echoRun) throw new Error('both bots must have been measured');
    const ourSummary = summarize(ourRun.samples.map((s) => s.latencyMs), ourRun.wallMs);
    const result = buildResult(options, ourSummary, summarize(echoRun.samples.map((s) => s.latencyMs), echoRun.wallMs));
    const overhead = observedRun ? telemetryOverhead(ourSummary, summarize(observedRun.samples.map((s) => s.latencyMs), observedRun.wallMs)) : undefined;
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
