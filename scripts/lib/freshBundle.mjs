// Bundles entry points with esbuild when one of their inputs changed since their last bundle, and returns the
// bundles' paths. Each bundle's stamp lists every input (path, size, mtime): any edit, added or deleted file makes
// it differ, so stale code never runs, and an unchanged tree starts without rebuilding. One bundled file loads
// faster than two thousand modules (no resolution, one read). Types are checked by `npm run typecheck`, not here.
//
// Bundles that are stale together are built in one esbuild run: the packages they share (most of each bundle) are
// read and parsed once. `npm start` asks for the bot's bundle; the crash tests ask for theirs and the app's
// (test/support/botBundle.ts, through this file's command line), so that a run after a change parses the
// packages once for the three.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { APP_BUNDLES } from './appBundles.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Native addons, pino's transports (worker threads that load modules by name), pg's optional native binding and
 * Azure Monitor's OpenTelemetry distro (loaded only when APPLICATIONINSIGHTS_CONNECTION_STRING is set: bundled,
 * its thousands of lines would be parsed at every start for nothing) stay in node_modules.
 */
const EXTERNAL = ['better-sqlite3', 'dtrace-provider', 'pino', 'pino-pretty', 'thread-stream', 'pg-native', '@azure/monitor-opentelemetry'];

/** Whitespace goes: a third less to read and keep in memory at each start. Names stay, for readable stacks. */
const BUILD_OPTIONS = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: EXTERNAL, minifyWhitespace: true, legalComments: 'none' };

/**
 * esbuild writes strings as ASCII but leaves regular expression literals as they are (/^(at|à|a)$/i, the
 * recognizers' full-width digits): such characters are escaped after the build, so that a bundle is pure ASCII.
 * Node then reads the bot's bundle in a fraction of the time (about 80 ms instead of 490 for 18 MB) and V8 keeps it
 * as a one-byte string, half the memory. `\uXXXX` is the same code unit in a pattern, with or without its u flag.
 */
const escapeNonAscii = (text) => text.replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** How bundles are made: a bundle made otherwise (older options, another escape) is stale. */
const MADE_WITH = `made with ${JSON.stringify(BUILD_OPTIONS)} then ${escapeNonAscii.toString()}`;

/**
 * What every bundle is also made of: the installed packages, through npm's record of them (the lockfile, and
 * node_modules/.package-lock.json, which every `npm ci` and `npm install` rewrites).
 */
const PACKAGE_RECORDS = ['package-lock.json', 'node_modules/.package-lock.json'];

/** A build lock older than this was left by a process that died while bundling: a build takes a few seconds. */
const STALE_LOCK_MS = 120_000;

function walk(path, out) {
  if (!statSync(path).isDirectory()) {
    out.push(path);
    return out;
  }
  for (const entry of readdirSync(path)) walk(join(path, entry), out);
  return out;
}

/**
 * Writes a file whole (a temporary file renamed over it): a process that finds the build lock of one it takes for
 * dead may bundle beside it, and neither may load the other's half-written file.
 */
function writeWhole(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** Every input's path, size and mtime, after how the bundle is made: a change to either makes a new bundle. */
function inputsStamp(inputs) {
  const files = [...inputs, ...PACKAGE_RECORDS.filter((record) => existsSync(join(root, record)))]
    .flatMap((input) => walk(join(root, input), []))
    .sort()
    .map((file) => {
      const info = statSync(file);
      return `${relative(root, file)} ${info.size} ${info.mtimeMs}`;
    });
  return [MADE_WITH, ...files].join('\n');
}

/** A bundle's files, and whether it is up to date. */
function state(bundle) {
  const outDir = join(root, bundle.outDir);
  const outfile = join(outDir, bundle.outName);
  const stampFile = join(outDir, 'inputs.stamp');
  const stamp = inputsStamp(bundle.inputs);
  const fresh = existsSync(outfile) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
  return { bundle, outfile, stampFile, stamp, fresh, lock: join(outDir, 'build.lock') };
}

/** Takes every lock or none: false (and nothing held) if another live process holds one. */
function lockAll(locks) {
  const held = [];
  for (const lock of locks) {
    try {
      mkdirSync(lock);
      held.push(lock);
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      for (const taken of held) rmSync(taken, { recursive: true, force: true });
      return false;
    }
  }
  return true;
}

class BundleFailed extends Error {
  constructor() {
    super('the bundle failed (see above): not starting stale code');
  }
}

/**
 * @typedef {{ name: string, entry: string, outDir: string, outName: string, inputs: string[] }} Bundle
 *   paths relative to the repository root; `inputs` are files or folders.
 * @param {Bundle[]} bundles
 * @returns {Promise<string[]>} the bundles' paths, in the same order.
 */
export async function freshBundles(bundles) {
  for (const bundle of bundles) mkdirSync(join(root, bundle.outDir), { recursive: true });
  // Two processes after an edit (two bots started together) bundle once: the second waits for the first's bundles.
  for (;;) {
    const states = bundles.map(state);
    const stale = states.filter((s) => !s.fresh);
    if (stale.length === 0) return states.map((s) => s.outfile);
    const locks = stale.map((s) => s.lock).sort();
    if (!lockAll(locks)) {
      await sleep(200);
      continue;
    }
    let bundled;
    try {
      // Another process may have built some of them between the check and the locks.
      const still = stale.map((s) => state(s.bundle)).filter((s) => !s.fresh);
      bundled = still.length === 0 || (await build(still));
    } finally {
      for (const lock of locks) rmSync(lock, { recursive: true, force: true });
    }
    if (!bundled) throw new BundleFailed();
  }
}

/** One bundle (see freshBundles); a bundle that fails ends the process. @param {Bundle} bundle */
export async function freshBundle(bundle) {
  try {
    return (await freshBundles([bundle]))[0];
  } catch (error) {
    if (!(error instanceof BundleFailed)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** Bundles the stale ones in one esbuild run, then writes each bundle and its stamp; false if esbuild failed (it has said why). */
async function build(stale) {
  process.stderr.write(`bundling the ${stale.map((s) => s.bundle.name).join(', the ')} (sources changed since the last bundle)…\n`);
  const { build: esbuild } = await import('esbuild');
  // Named by their place in the list, to match the outputs (nothing is written where esbuild would: write is off).
  const entryPoints = Object.fromEntries(stale.map((s, index) => [`bundle-${index}`, join(root, s.bundle.entry)]));
  let result;
  try {
    result = await esbuild({ entryPoints, outdir: root, ...BUILD_OPTIONS, logLevel: 'error', write: false });
  } catch {
    return false;
  }
  const outputs = new Map(result.outputFiles.map((output) => [output.path, output.text]));
  stale.forEach((s, index) => {
    writeWhole(s.outfile, escapeNonAscii(outputs.get(join(root, `bundle-${index}.js`))));
    writeWhole(s.stampFile, s.stamp);
  });
  return true;
}

/**
 * `node scripts/lib/freshBundle.mjs <bundle>...`: each argument an app bundle's name (appBundles.mjs) or a bundle as
 * JSON; prints the bundles' paths as a JSON array, or exits 1 if bundling failed.
 */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bundles = process.argv.slice(2).map((arg) => (Object.hasOwn(APP_BUNDLES, arg) ? APP_BUNDLES[arg] : JSON.parse(arg)));
  try {
    process.stdout.write(JSON.stringify(await freshBundles(bundles)));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
