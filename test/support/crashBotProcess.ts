import { spawn, type ChildProcessByStdio } from 'node:child_process';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { BUNDLE_ENV } from './botBundle';

/**
 * A crashBot process (test/crash/crashBot.ts), for the crash and fleet tests: loaded ahead of time (loading is most of
 * a start), then given its settings on stdin (CRASH_SETTINGS_ON_STDIN) and awaited until it says where it listens.
 */
const REPO_ROOT = path.resolve(__dirname, '../..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LoadedBot {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  ended: Promise<Exit>;
  /** Everything it wrote so far: stdout (its `{"listening": …}` line) and stderr (pino JSON lines). */
  output: { stdout: string; stderr: string };
}

/** Spawns the bot from `args` (botBundle's crashBotArgs()); it loads its code and waits for its settings. */
export function loadCrashBot(args: string[]): LoadedBot {
  const inherited = { ...process.env };
  delete inherited.CRASH_EMULATOR_URL;
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...inherited, ...BUNDLE_ENV, LOG_LEVEL: 'debug', CRASH_SETTINGS_ON_STDIN: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const ended = new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, ended, output };
}

/** Gives a loaded bot its settings; resolves with the URL it listens on, rejects if it exits or is silent too long. */
export function startLoadedBot({ child, ended, output }: LoadedBot, settings: Record<string, string>, timeoutMs: number): Promise<string> {
  child.stdin.end(`${JSON.stringify(settings)}\n`);
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot not listening after ${timeoutMs} ms:\n${output.stderr}`)), timeoutMs);
    const onData = () => {
      const line = /^\{"listening":.*\}$/m.exec(output.stdout)?.[0];
      if (!line) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve((JSON.parse(line) as { listening: string }).listening);
    };
    child.stdout.on('data', onData);
    onData();
    void ended.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`bot exited (${exit.code ?? exit.signal}) before listening:\n${output.stderr}`));
    });
  });
}
