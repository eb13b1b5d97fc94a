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

/** Fixtures the run's tests share (made once, used by many), kept in the run's dir until its end: not litter. */
const RUN_FIXTURES = 'lgb-fixtures';

/** The run's fixtures folder (made on first use). */
export function runFixturesDir(): string {
  const dir = path.join(process.env[RUN_DIR_ENV] ?? os.tmpdir(), RUN_FIXTURES);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * `inMemory`: the run's dir goes on the machine's tmpfs (/dev/shm) when it has one with room to spare, or where
 * LGB_TEST_TMP_BASE says. The tests write SQLite files, a PostgreSQL cluster and many small folders, and on a disk
 * every SQLite close and WAL checkpoint syncs: on tmpfs that costs nothing (about an eighth of the Jest suite's CPU
 * and more of its time). Not for the e2e run, whose browser may be unpacked into the temp dir (tmpfs can be noexec).
 */
export function isolateTempDir(options: { inMemory?: boolean } = {}): void {
  if (process.env[RUN_DIR_ENV]) return;
  const systemTmp = os.tmpdir();
  const base = (options.inMemory ? memoryTmp() : undefined) ?? systemTmp;
  removeAbandonedRunDirs(systemTmp);
  if (base !== systemTmp) removeAbandonedRunDirs(base);
  const runDir = fs.mkdtempSync(path.join(base, `lgb-run-${process.pid}-`));
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

  const left = fs.readdirSync(runDir).filter((name) => name !== RUN_FIXTURES && !sharedCaches().includes(name));
  fs.rmSync(runDir, { recursive: true, force: true });
  if (left.length > 0) {
    const shown = left.sort().slice(0, 20).join(', ');
    throw new Error(`the tests left ${left.length} entries in their temp dir (${runDir}, now removed): ${shown}${left.length > 20 ? ', …' : ''}`);
  }
}

const MEMORY_TMP = '/dev/shm';
/** The suite writes a few hundred MB at most: tmpfs is taken only with a GB free. */
const MEMORY_TMP_MIN_FREE = 1 << 30;

function memoryTmp(): string | undefined {
  const chosen = process.env.LGB_TEST_TMP_BASE;
  if (chosen) return chosen;
  try {
    fs.accessSync(MEMORY_TMP, fs.constants.W_OK);
    const stats = fs.statfsSync(MEMORY_TMP);
    return stats.bavail * stats.bsize >= MEMORY_TMP_MIN_FREE ? MEMORY_TMP : undefined;
  } catch {
    return undefined;
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
