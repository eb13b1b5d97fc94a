import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { CHILD_NODE_FLAGS } from './childNode';

/**
 * The bot a test runs in child processes (test/crash/crashBot.ts), as one CommonJS bundle with its packages inside
 * and the command that starts it through V8's code cache (codeCacheLoader.js). Loading two thousand modules from
 * node_modules, then compiling them, was most of each process's start; one file whose bytecode is cached costs
 * about two thirds of that CPU.
 *
 * scripts/lib/freshBundle.mjs makes it, as it makes `npm start`'s: in dist/test-bot (ignored by git), rebuilt when
 * one of its inputs changed, so stale code never runs and every test file of a run and the next runs share it and
 * its code cache. The app's two bundles are asked for with it: after a change of the sources, the three are built
 * in one esbuild run (the packages they share are parsed once), and the two-process test finds `npm start`'s and
 * `npm run emulator`'s ready.
 */
const REPO_ROOT = path.resolve(__dirname, '../..');
const FRESH_BUNDLE = path.join(REPO_ROOT, 'scripts/lib/freshBundle.mjs');
const LOADER = path.join(__dirname, 'codeCacheLoader.js');
/** Its code cache: named after the bundle's path, size and mtime (a rebuilt bundle has another). */
const CODE_CACHE_DIR = path.join(REPO_ROOT, 'dist/test-code-cache');

const CRASH_BOT_BUNDLE = {
  name: 'crash tests’ bot',
  entry: 'test/crash/crashBot.ts',
  outDir: 'dist/test-bot',
  outName: 'crashBot.js',
  // crashBot imports the app and test/support's fleetClock.
  inputs: ['src', 'cards', 'test/crash/crashBot.ts', 'test/support', 'tsconfig.json'],
};

/** The bundle's path, built first if one of its inputs changed (a Jest worker waits here for another's build). */
function upToDate(): string {
  const output = execFileSync(process.execPath, [...CHILD_NODE_FLAGS, FRESH_BUNDLE, JSON.stringify(CRASH_BOT_BUNDLE), 'bot', 'emulator'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [bundle] = JSON.parse(output) as string[];
  if (!bundle) throw new Error(`freshBundle.mjs named no bundle: ${output}`);
  return bundle;
}

let checked: string | undefined;

/**
 * `node` arguments that start crashBot (built first if its inputs changed: checked once per test file); packages it
 * keeps external need NODE_PATH.
 */
export function crashBotArgs(): string[] {
  checked ??= upToDate();
  return [...CHILD_NODE_FLAGS, LOADER, '--cache-dir', CODE_CACHE_DIR, checked];
}

/** The env a bundled bot process needs on top of its own: NODE_PATH for the packages left external. */
export const BUNDLE_ENV = { NODE_PATH: path.join(REPO_ROOT, 'node_modules') } as const;
