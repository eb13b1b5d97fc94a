import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Every Jest run gets a temp dir of its own: globalSetup points TMPDIR (read by `os.tmpdir()` in Jest's workers,
 * which inherit the environment, and in every child they spawn) at a fresh `lgb-run-*` folder, and globalTeardown
 * fails the run if anything is left in it. Whatever another run on the machine does in the same /tmp cannot
 * be mistaken for this run's litter, and library leftovers (browser profiles, the Playground's files) count too.
 */
const RUN_DIR_ENV = 'LGB_TEST_RUN_TMPDIR';
const SAVED_ENV = 'LGB_TEST_SYSTEM_TMPDIR';
const TMP_VARS = ['TMPDIR', 'TMP', 'TEMP'] as const;

/**
 * Caches that tools keep in the system temp dir on purpose, shared by every run: linked into the run's dir so
 * they stay warm (tsx compiles the sources of the child processes some tests start) and are not litter.
 */
function sharedCaches(): string[] {
  return process.getuid ? [`tsx-${process.getuid()}`] : [];
}

export function isolateTempDir(): void {
  if (process.env[RUN_DIR_ENV]) return;
  const systemTmp = os.tmpdir();
  removeAbandonedRunDirs(systemTmp);
  const runDir = fs.mkdtempSync(path.join(systemTmp, `lgb-run-${process.pid}-`));
  for (const cache of sharedCaches()) {
    fs.mkdirSync(path.join(systemTmp, cache), { recursive: true, mode: 0o700 });
    fs.symlinkSync(path.join(systemTmp, cache), path.join(runDir, cache));
  }
  process.env[SAVED_ENV] = JSON.stringify(Object.fromEntries(TMP_VARS.map((name) => [name, process.env[name] ?? null])));
  process.env[RUN_DIR_ENV] = runDir;
  for (const name of TMP_VARS) process.env[name] = runDir;
}

/** Removes the run's temp dir, and throws (failing the run) if a test left something in it. */
export function checkTempDir(): void {
  const runDir = process.env[RUN_DIR_ENV];
  if (!runDir) return;
  const saved = JSON.parse(process.env[SAVED_ENV] ?? '{}') as Record<string, string | null>;
  for (const name of TMP_VARS) {
    const value = saved[name];
    if (typeof value === 'string') process.env[name] = value;
    else delete process.env[name];
  }
  delete process.env[RUN_DIR_ENV];
  delete process.env[SAVED_ENV];

  const left = fs.readdirSync(runDir).filter((name) => !sharedCaches().includes(name));
  fs.rmSync(runDir, { recursive: true, force: true });
  if (left.length > 0) {
    const shown = left.sort().slice(0, 20).join(', ');
    throw new Error(`the tests left ${left.length} entries in their temp dir (${runDir}, now removed): ${shown}${left.length > 20 ? ', …' : ''}`);
  }
}

/** The dirs of runs that were killed before their teardown (their process is gone): nobody else removes them. */
function removeAbandonedRunDirs(systemTmp: string): void {
  for (const name of fs.readdirSync(systemTmp)) {
    const pid = Number(/^lgb-run-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    fs.rmSync(path.join(systemTmp, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
