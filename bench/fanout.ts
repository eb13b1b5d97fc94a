/**
 * bench:fanout — one announcement to N conversations (default 500) of one tenant, through the real Outbox,
 * BotConnectorTransport and CloudAdapter (no auth) over loopback to the fake Bot Connector, which enforces
 * Teams' limits itself and answers 429 when they are broken. Reports the time from the first send to the
 * last activity accepted, the least time Teams' limits allow for it, their ratio, and the 429s answered.
 * Exits 1 only on wrong deliveries (a conversation without exactly one announcement), never on a missed
 * target. The DEP0111 warning on stderr comes from restify, which src/server.ts loads.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { BotConnectorTransport } from '../src/bot/botConnectorTransport';
import { createLogger } from '../src/logger';
import { Outbox, teamsRateLimits, type RateWindow } from '../src/outbox';
import { createAdapter } from '../src/server';
import { openSqliteDatabase, SqliteConversationRefStore, SqliteOutboxStore } from '../src/storage/sqlite';
import { startFakeBotConnector, textOf, TEAMS_LIMITS } from '../test/support/fakeBotConnector';

const TARGET_RATIO = 1.2;
const TENANT = 'tenant-bench';
const ANNOUNCEMENT = 'Lab images were updated: the new template is available.';
const USAGE = 'Usage: npm run bench:fanout -- [--conversations 500] [--json]';

interface FanoutResult {
  conversations: number;
  environment: { node: string; platform: string; cpu: string; cpus: number };
  totalMs: number;
  /** The least time the limits allow between the first request and the last. */
  minimumMs: number;
  ratio: number;
  throttled: number;
  target: { ratio: number; throttled: number; met: boolean };
}

/**
 * With requests sent back to back, the k-th (0-based) of a window's scope cannot start before
 * floor(k / limit) × windowMs: the least span from the first to the n-th request.
 */
function minimumSpanMs(n: number, windows: readonly RateWindow[]): number {
  return Math.max(0, ...windows.map((w) => Math.floor((n - 1) / w.limit) * w.windowMs));
}

function parse(argv: readonly string[]): { conversations: number; json: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: { conversations: { type: 'string', default: '500' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  const conversations = Number(values.conversations);
  if (!Number.isInteger(conversations) || conversations < 1 || conversations > 100_000) {
    throw new Error(`--conversations must be a whole number from 1 to 100000 (got "${values.conversations}")`);
  }
  return { conversations, json: values.json };
}

function format(result: FanoutResult): string {
  const env = result.environment;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `bench:fanout — ${env.node} ${env.platform}, ${env.cpus}× ${env.cpu}`,
    `1 announcement to ${result.conversations} conversations of one tenant; Teams' limits on both sides`,
    '',
    `total time           ${seconds(result.totalMs)}  (first send → last activity accepted)`,
    `minimum (limits)     ${seconds(result.minimumMs)}  (${result.conversations} requests at ` +
      `${teamsRateLimits.perTenant.map((w) => `${w.limit} per ${w.windowMs / 1000} s`).join(', ')} per tenant, sliding)`,
    `ratio                ×${result.ratio.toFixed(3)}  (target ≤ ${result.target.ratio})`,
    `429s answered        ${result.throttled}  (target ${result.target.throttled})`,
    `targets: ${result.target.met ? 'met' : 'NOT met'}`,
  ].join('\n');
}

async function main(): Promise<number> {
  let options: { conversations: number; json: boolean };
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const n = options.conversations;
  // One message per conversation: only the tenant's windows bind.
  const minimumMs = minimumSpanMs(n, teamsRateLimits.perTenant);

  // Bounded, so that a wedged outbox cannot keep CI waiting; generous, three times what the limits allow.
  const budgetMs = 60_000 + 3 * minimumMs;
  const watchdog = setTimeout(() => {
    console.error(`bench:fanout did not finish within ${Math.round(budgetMs / 1000)} s; giving up`);
    process.exit(1);
  }, budgetMs).unref();

  const stops: (() => Promise<void> | void)[] = [];
  try {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-fanout-'));
    stops.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const connector = await startFakeBotConnector({ limits: TEAMS_LIMITS });
    stops.push(() => connector.close());
    const db = openSqliteDatabase({ dataDir });
    stops.push(() => db.close());

    const log = createLogger({ level: 'silent', format: 'json' });
    const refs = new SqliteConversationRefStore(db);
    const conversationIds = Array.from({ length: n }, (_, i) => `19:bench-${String(i).padStart(5, '0')}@thread.tacv2`);
    for (const id of conversationIds) {
      await refs.upsert({
        conversationId: id,
        tenantId: TENANT,
        reference: {
          channelId: 'msteams',
          serviceUrl: connector.url,
          conversation: { id, conversationType: 'channel', tenantId: TENANT },
          bot: { id: '28:bench-bot', name: 'Lab Gallery' },
        },
      });
    }
    const adapter = createAdapter({ appId: '', appPassword: '', appType: 'MultiTenant', appTenantId: '' }, log);
    const transport = new BotConnectorTransport(adapter, '', refs);
    const outbox = new Outbox({ store: new SqliteOutboxStore(db), transport, refs, clock: db.clock, logger: log });
    await outbox.start();
    stops.push(() => outbox.stop());

    const t0 = performance.now();
    for (const id of conversationIds) {
      await outbox.send(id, { kind: 'text', text: ANNOUNCEMENT }, { key: `announcement:bench:${id}` });
    }
    await connector.waitForAccepted(n, budgetMs);
    const totalMs = performance.now() - t0;

    const problems = conversationIds
      .map((id) => [id, connector.textsOf(id)] as const)
      .filter(([, texts]) => texts.length !== 1 || texts[0] !== ANNOUNCEMENT)
      .map(([id, texts]) => `${id}: received ${JSON.stringify(texts)}`);
    if (connector.accepted.some((a) => textOf(a.activity) !== ANNOUNCEMENT)) problems.push('an unexpected activity was accepted');
    if (problems.length) {
      console.error(`bench:fanout: wrong deliveries, numbers not reported:\n- ${problems.slice(0, 20).join('\n- ')}`);
      return 1;
    }

    const throttled = connector.throttled();
    const ratio = totalMs / minimumMs;
    const result: FanoutResult = {
      conversations: n,
      environment: {
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
        cpus: os.cpus().length,
      },
      totalMs,
      minimumMs,
      ratio,
      throttled,
      target: { ratio: TARGET_RATIO, throttled: 0, met: ratio <= TARGET_RATIO && throttled === 0 },
    };
    console.log(options.json ? JSON.stringify(result, null, 2) : format(result));
    return 0;
  } finally {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error('bench:fanout: shutdown step failed:', error);
      }
    }
    clearTimeout(watchdog);
  }
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
