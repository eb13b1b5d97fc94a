import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSqliteDatabase, type SqliteDatabase, type SqliteDatabaseOptions } from '../../src/storage/sqlite';
import { sqliteMigrations } from '../../src/storage/sqlite/migration';
import { runFixturesDir } from './tempDirGuard';

/**
 * The bot's SQLite database for a test, with its schema already there: the run migrates one template file (the
 * first test that asks does it) and each test's database starts as a copy of it. Harnesses opened some 600 fresh
 * files per run, and migrating each cost a few ms of CPU; a copy costs a fifth of that. The template is made by
 * the same migrations in the same run, so it cannot be stale; the migrations themselves are tested in test/storage.
 */
export function openMigratedSqlite(options: Omit<SqliteDatabaseOptions, 'migrations'>): SqliteDatabase {
  const file = path.join(options.dataDir, options.fileName ?? 'bot.sqlite');
  // A file already there (a restart on the same folder) is opened as it is.
  if (!fs.existsSync(file)) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    fs.copyFileSync(template(), file);
  }
  return openSqliteDatabase(options);
}

/** The migrated template in the run's fixtures folder, made on first use; named after the steps it holds. */
function template(): string {
  const steps = sqliteMigrations.map((m) => `${m.version}-${m.name}`).join(',');
  const file = path.join(runFixturesDir(), `migrated-${createHash('sha256').update(steps).digest('hex').slice(0, 16)}.sqlite`);
  if (fs.existsSync(file)) return file;
  // Jest's workers may make it at the same time: each in a folder of its own, renamed into place whole.
  const scratch = fs.mkdtempSync(path.join(runFixturesDir(), 'template-'));
  try {
    openSqliteDatabase({ dataDir: scratch }).close();
    fs.renameSync(path.join(scratch, 'bot.sqlite'), file);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return file;
}
