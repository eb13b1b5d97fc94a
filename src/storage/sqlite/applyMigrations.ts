import type Database from 'better-sqlite3';
import type { Clock } from '../../ports/clock';
import type { Migration } from './migration';
import { assertOrdered } from '../migrations';
import { SchemaTooNewError } from '../schemaTooNewError';

interface AppliedRow {
  version: number;
}

/**
 * Brings the schema up to the last migration and returns the versions applied now.
 * Each step runs in an IMMEDIATE transaction and re-checks `schema_migrations` inside it, so two
 * processes opening the same fresh file do not apply a step twice.
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

  const selectApplied = db.prepare<[], AppliedRow>('SELECT version FROM schema_migrations ORDER BY version');
  const selectOne = db.prepare<[number], AppliedRow>('SELECT version FROM schema_migrations WHERE version = ?');
  const insert = db.prepare<[number, string, number]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );

  const supported = migrations.at(-1)?.version ?? 0;
  const already = new Set(selectApplied.all().map((row) => row.version));
  const newest = Math.max(0, ...already);
  if (newest > supported) {
    throw new SchemaTooNewError(filePath, newest, supported);
  }

  const applyOne = db.transaction((migration: Migration): boolean => {
    if (selectOne.get(migration.version)) return false;
    migration.up(db);
    insert.run(migration.version, migration.name, clock.now());
    return true;
  });

  const appliedNow: number[] = [];
  for (const migration of migrations) {
    if (already.has(migration.version)) continue;
    if (applyOne.immediate(migration)) appliedNow.push(migration.version);
  }
  return appliedNow;
}
