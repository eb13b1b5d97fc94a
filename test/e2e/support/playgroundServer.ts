import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { playgroundNodeArgs } from '../../support/playgroundCli';
import { playgroundConfigFile, type PersonKey } from './playgroundUsers';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

export interface PlaygroundServer {
  url: string;
  port: number;
  /** Who is signed in. */
  as: PersonKey;
  /** Stops the whole process group; idempotent. */
  close(): Promise<void>;
}

export interface PlaygroundOptions {
  botEndpoint: string;
  as: PersonKey;
  /** Appended to with the Playground's stdout and stderr. */
  logFile: string;
  /** A port to reuse (signing in as someone else keeps the page's address); default a free one. */
  port?: number;
  /**
   * The language and time zone of the Playground's process: it stamps them on every activity (`locale`,
   * `localTimezone`) from its own Intl defaults, not from the browser's. Default: the environment's.
   */
  language?: PlaygroundLanguage;
}

export interface PlaygroundLanguage {
  /** A POSIX locale, e.g. fr_FR.UTF-8 (LANG). */
  lang: string;
  /** An IANA zone, e.g. Europe/Paris (TZ). */
  timeZone: string;
}

/**
 * The Microsoft 365 Agents Playground as a child process in its own process group (its CLI may start helpers),
 * with a configuration file that signs `as` in. Resolves once it says where it listens: it falls back to a
 * random port when the asked one is taken, so the address is read from its output.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<PlaygroundServer> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-playground-'));
  const configPath = path.join(workDir, '.m365agentsplayground.yml');
  fs.writeFileSync(configPath, playgroundConfigFile(options.as));
  const port = options.port ?? (await freePort());
  const log = fs.createWriteStream(options.logFile, { flags: 'a' });
  log.write(`\n--- playground as ${options.as} on port ${port} ---\n`);

  // Through the code cache the Playground-level Jest tests use (one cache for both): a start is mostly compiling.
  const child = spawn(process.execPath, playgroundNodeArgs(['-e', options.botEndpoint, '-c', 'msteams', '-p', String(port), '--disable-telemetry']), {
    cwd: workDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...(options.language ? { LANG: options.language.lang, LC_ALL: options.language.lang, TZ: options.language.timeZone } : {}),
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
      NO_COLOR: '1',
    },
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });

  let stopping: Promise<void> | undefined;
  const close = () => {
    stopping ??= (async () => {
      await stopGroup(child);
      await new Promise<void>((resolve) => log.end(resolve));
      fs.rmSync(workDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    const listening = await waitForListening(child);
    return { url: `http://127.0.0.1:${listening}`, port: listening, as: options.as, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function waitForListening(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => done(new Error(`the Playground did not start within ${START_TIMEOUT_MS} ms; output:\n${seen}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /Listening on (\d+)/.exec(seen);
      if (match?.[1]) done(undefined, Number(match[1]));
    };
    const onExit = (code: number | null) => done(new Error(`the Playground exited (${code}) before listening; output:\n${seen}`));
    const done = (error?: Error, port?: number) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(port ?? 0);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGTERM to the group, SIGKILL if it lingers. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), sig);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };
  signal('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signal('SIGKILL');
    await exited;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
