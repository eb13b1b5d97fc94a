import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../src/ports/clock';
import { openSqliteDatabase, type SqliteDatabase, type SqliteDatabaseOptions } from '../../src/storage/sqlite';

export interface SqliteFixture {
  /** A fresh temp directory per test. */
  readonly dataDir: string;
  readonly clock: ManualClock;
  /** Opens a real database file in `dataDir`; closed after the test. */
  open(options?: Partial<SqliteDatabaseOptions>): SqliteDatabase;
}

/** Registers beforeEach/afterEach: call at the top of a test file or describe block. */
export function useSqliteFixture(): SqliteFixture {
  let dataDir: string | undefined;
  let clock = new ManualClock();
  const opened: SqliteDatabase[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'lab-gallery-storage-'));
    clock = new ManualClock();
  });
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  return {
    get dataDir(): string {
      if (!dataDir) throw new Error('useSqliteFixture: dataDir is only available inside a test');
      return dataDir;
    },
    get clock(): ManualClock {
      return clock;
    },
    open(options = {}) {
      const db = openSqliteDatabase({ dataDir: this.dataDir, clock, ...options });
      opened.push(db);
      return db;
    },
  };
}

export { expectConflict } from './backendFixture';
