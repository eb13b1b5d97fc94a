import type Database from 'better-sqlite3';
import type { Clock } from '../../ports/clock';
import type { Migration } from './migration';
import { assertOrdered } from '../migrations';
import { firstBreakingUnknown, SchemaTooNewError, type RecordedStep } from '../schemaTooNewError';

interface AppliedRow {
  version: number;
}

/** Added by the first build with the compatibility window; rows recorded before it read as breaking. */
function addOlderCodeColumn(db: Database.Database): void {
  const has = () => db.prepare<[], { name: string }>('PRAGMA table_info(schema_migrations)').all().some((c) => c.name === 'older_code');
  if (has()) return;
  db.transaction(() => {
    if (!has()) db.exec("ALTER TABLE schema_migrations ADD COLUMN older_code TEXT NOT NULL DEFAULT 'breaking'");
  }).immediate();
}

/**
 * Brings the schema up to the last migration and returns the versions applied now.
 * Each step runs in an IMMEDIATE transaction and re-checks `schema_migrations` inside it, so two
 * processes opening the same fresh file do not apply a step twice. Unknown steps (a newer build migrated the
 * file) are run over when all are marked compatible with older code, and refused otherwise.
 */
export function applyMigrations(
  db: Database.Database,
  migrations: readonly Migration[],
  clock: Clock,
  filePath: string,
): number[] {
  assertOrdered(migrations, 'SQLite');
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  addOlderCodeColumn(db);

  const selectApplied = db.prepare<[], RecordedStep>('SELECT version, name, older_code AS olderCode FROM schema_migrations ORDER BY version');
  const selectOne = db.prepare<[number], AppliedRow>('SELECT version FROM schema_migrations WHERE version = ?');
  const insert = db.prepare<[number, string, number, string]>(
    'INSERT INTO schema_migrations (version, name, applied_at, older_code) VALUES (?, ?, ?, ?)',
  );

  const recorded = selectApplied.all();
  const already = new Set(recorded.map((row) => row.version));
  const breaking = firstBreakingUnknown(recorded, migrations);
  if (breaking) throw new SchemaTooNewError(filePath, Math.max(...already), migrations.at(-1)?.version ?? 0, breaking);

  const applyOne = db.transaction((migration: Migration): boolean => {
    if (selectOne.get(migration.version)) return false;
    migration.up(db);
    insert.run(migration.version, migration.name, clock.now(), migration.olderCode ?? 'breaking');
    return true;
  });

  const appliedNow: number[] = [];
  for (const migration of migrations) {
    if (already.has(migration.version)) continue;
    if (applyOne.immediate(migration)) appliedNow.push(migration.version);
  }
  return appliedNow;
}
