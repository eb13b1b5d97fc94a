import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { crashBotArgs } from './botBundle';
import { loadCrashBot, startLoadedBot, type Exit, type LoadedBot } from './crashBotProcess';
import { adminQuery, databaseUrl, TEMPLATE_DATABASE, testPostgresUrl } from './postgresServer';

/**
 * Several bot processes (test/crash/crashBot.ts, bundled by botBundle.ts) on one PostgreSQL database, for the fleet test and
 * the takeover bench: their database, their processes, a round-robin HTTP front before them.
 */

export type { Exit } from './crashBotProcess';

export interface BotProcess {
  url: string;
  pid: number;
  alive(): boolean;
  /** pino JSON lines on stderr so far. */
  log(): string;
  kill(signal: NodeJS.Signals): Promise<Exit>;
}

export interface Fleet {
  /** postgres:// URL of the fleet's own database. */
  databaseUrl: string;
  /** Round-robin over the bots still alive. */
  frontUrl: string;
  bots: BotProcess[];
  /** Starts a bot with `env` (on top of the fleet's database), in the process `preload` loaded if there is one. */
  start(env: Record<string, string>, timeoutMs?: number): Promise<BotProcess>;
  /**
   * Loads the next bot's code now, in a process that waits for its settings: loading is most of a start, and it
   * overlaps what the test does until it calls `start`. The process is no member of the fleet until then.
   */
  preload(): void;
  query<T>(text: string, values?: unknown[]): Promise<T[]>;
  /** Kills what is left, drops the database. */
  close(): Promise<void>;
}

let databases = 0;

export async function startFleet(): Promise<Fleet> {
  const adminUrl = await testPostgresUrl();
  const name = `lgb_fleet_${process.pid}_${++databases}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  const url = databaseUrl(adminUrl, name);
  const client = new Client({ connectionString: url });
  await client.connect();

  // DATA_DIR is required by the config; on PostgreSQL nothing is kept there.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-fleet-'));
  const botArgs = crashBotArgs();

  const bots: BotProcess[] = [];
  const children: LoadedBot[] = [];
  let turn = 0;
  const front = http.createServer((req, res) => {
    const alive = bots.filter((b) => b.alive());
    const target = alive[turn++ % Math.max(1, alive.length)];
    if (!target) {
      res.writeHead(503);
      res.end();
      return;
    }
    const upstream = new URL(target.url);
    const forwarded = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

  const load = (): LoadedBot => {
    const loaded = loadCrashBot(botArgs);
    children.push(loaded);
    return loaded;
  };
  let preloaded: LoadedBot | undefined;

  const start = async (env: Record<string, string>, timeoutMs = 90_000): Promise<BotProcess> => {
    const loaded = preloaded ?? load();
    preloaded = undefined;
    const { child, ended, output } = loaded;
    let exited = false;
    void ended.then(() => (exited = true));
    const listening = await startLoadedBot(loaded, { DATABASE_URL: url, DATA_DIR: dataDir, ...env }, timeoutMs);
    const bot: BotProcess = {
      url: listening,
      pid: child.pid ?? 0,
      alive: () => !exited,
      log: () => output.stderr,
      kill: async (signal) => {
        child.kill(signal);
        return ended;
      },
    };
    bots.push(bot);
    return bot;
  };

  return {
    databaseUrl: url,
    frontUrl,
    bots,
    start,
    preload: () => {
      preloaded ??= load();
    },
    query: async <T>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as T[],
    close: async () => {
      if (process.env.FLEET_LOG_DIR) bots.forEach((b, i) => fs.writeFileSync(path.join(process.env.FLEET_LOG_DIR ?? '', `bot-${i}-${b.pid}.log`), b.log()));
      for (const { child, ended } of children) {
        child.kill('SIGKILL');
        await ended;
      }
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await client.end();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `reached` every 20 ms until it holds; throws after the deadline with `what`. */
export async function until(what: string, reached: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await reached())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The pid in an instance's name (hostname:pid:random), as leases and claims record it. */
export function pidOf(instance: string | null | undefined): number {
  return Number(instance?.split(':')[1] ?? NaN);
}
