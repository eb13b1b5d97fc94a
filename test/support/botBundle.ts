import { createHash } from 'node:crypto';
import { buildSync } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHILD_NODE_FLAGS } from './childNode';

/**
 * The bot a test runs in child processes (test/crash/crashBot.ts), as one CommonJS bundle with its packages inside
 * and the command that starts it through V8's code cache (codeCacheLoader.js). Loading two thousand modules from
 * node_modules, then compiling them, was most of each process's start; one file whose bytecode is cached costs
 * about two thirds of that CPU.
 *
 * The bundle lives in dist/test-bot (ignored by git, like `npm start`'s dist/bot), so that every test file of a run
 * and the next runs share it and its code cache. It is rebuilt when one of the files it was built from (esbuild's
 * list: our sources and the packages' files) changed size or mtime, so stale code never runs. Its name carries a
 * hash of its text: a code cache is only ever read next to the very bundle it was made from.
 */
const REPO_ROOT = path.resolve(__dirname, '../..');
const OUT_DIR = path.join(REPO_ROOT, 'dist/test-bot');
const STAMP_FILE = path.join(OUT_DIR, 'crashBot.stamp.json');
const ENTRY = 'test/crash/crashBot.ts';
const LOADER = path.join(__dirname, 'codeCacheLoader.js');

/**
 * Native addons, pino's transports (worker threads that load modules by name), pg's optional native binding and
 * the Azure Monitor distro (loaded only with a connection string) stay in node_modules, as scripts/start.mjs has it.
 */
const EXTERNAL = ['better-sqlite3', 'dtrace-provider', 'pino', 'pino-pretty', 'thread-stream', 'pg-native', '@azure/monitor-opentelemetry'];

/** Whitespace goes: a tenth less to read and keep in memory at each start. Names stay, for readable stacks. */
const BUILD_OPTIONS = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: EXTERNAL, minifyWhitespace: true, legalComments: 'none' } as const;

/**
 * esbuild writes strings as ASCII but leaves regular expression literals as they are (/^(at|à|a)$/i, the
 * recognizers' full-width digits): such characters are escaped after the build, so that the bundle is pure ASCII.
 * Node then decodes it in a fraction of the time (about 60 ms instead of 300 for 12 MB) and V8 keeps it as a
 * one-byte string, half the memory. `\uXXXX` is the same code unit in a pattern, with or without its u flag.
 */
const escapeNonAscii = (text: string): string => text.replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** What the stamp keeps of how the bundle was made (the options, and what is done after): one made otherwise is stale. */
const MADE_WITH = JSON.stringify({ ...BUILD_OPTIONS, after: escapeNonAscii.toString() });

interface Stamp {
  /** The options it was built with: a bundle built otherwise is stale too. */
  options: string;
  bundle: string;
  /** [path relative to the repository, size, mtimeMs] of every input. */
  inputs: [string, number, number][];
}

const fileStamp = (file: string): [string, number, number] | undefined => {
  try {
    const info = fs.statSync(path.join(REPO_ROOT, file));
    return [file, info.size, info.mtimeMs];
  } catch {
    return undefined;
  }
};

function fresh(): string | undefined {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP_FILE, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
  const bundle = path.join(OUT_DIR, stamp.bundle);
  if (stamp.options !== MADE_WITH || !fs.existsSync(bundle)) return undefined;
  const unchanged = stamp.inputs.every(([file, size, mtime]) => {
    const now = fileStamp(file);
    return now !== undefined && now[1] === size && now[2] === mtime;
  });
  return unchanged ? bundle : undefined;
}

/** Writes `text` to `file` whole: Jest's two workers may build at the same time, and a reader never sees half. */
function writeWhole(file: string, text: string | Uint8Array): void {
  const written = `${file}.${process.pid}`;
  fs.writeFileSync(written, text);
  fs.renameSync(written, file);
}

function build(): string {
  const result = buildSync({
    entryPoints: [path.join(REPO_ROOT, ENTRY)],
    absWorkingDir: REPO_ROOT,
    outfile: path.join(OUT_DIR, 'crashBot.js'),
    ...BUILD_OPTIONS,
    external: [...EXTERNAL],
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild wrote nothing for ${ENTRY}`);
  const text = escapeNonAscii(output.text);
  const name = `crashBot-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.js`;
  const bundle = path.join(OUT_DIR, name);
  if (!fs.existsSync(bundle)) writeWhole(bundle, text);
  const inputs = Object.keys(result.metafile.inputs)
    .map(fileStamp)
    .filter((input): input is [string, number, number] => input !== undefined);
  writeWhole(STAMP_FILE, JSON.stringify({ options: MADE_WITH, bundle: name, inputs } satisfies Stamp));
  // Older bundles and their caches: a process still running one has it open already.
  for (const old of fs.readdirSync(OUT_DIR)) if (old.startsWith('crashBot-') && !old.startsWith(name)) fs.rmSync(path.join(OUT_DIR, old), { force: true });
  return bundle;
}

const LOCK_DIR = path.join(OUT_DIR, 'build.lock');
/** A lock older than this was left by a build that died: a build takes a few seconds (as scripts/lib/freshBundle.mjs has it). */
const STALE_LOCK_MS = 120_000;

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * The bundle, built if stale. Jest's two workers both need it at the start of a run after a change: one builds
 * (a few seconds of CPU), the other waits for it rather than building the same again.
 */
function upToDate(): string {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (;;) {
    const ready = fresh();
    if (ready) return ready;
    try {
      fs.mkdirSync(LOCK_DIR);
    } catch {
      const age = Date.now() - (fs.statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      else sleepSync(200);
      continue;
    }
    try {
      return fresh() ?? build();
    } finally {
      fs.rmSync(LOCK_DIR, { recursive: true, force: true });
    }
  }
}

/** `node` arguments that start crashBot (built first if its inputs changed); packages it keeps external need NODE_PATH. */
export function crashBotArgs(): string[] {
  return [...CHILD_NODE_FLAGS, LOADER, upToDate()];
}

/** The env a bundled bot process needs on top of its own: NODE_PATH for the packages left external. */
export const BUNDLE_ENV = { NODE_PATH: path.join(REPO_ROOT, 'node_modules') } as const;
