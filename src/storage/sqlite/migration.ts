import type Database from 'better-sqlite3';
import { schemaSteps } from '../migrations';

/**
 * One step of the SQLite schema as the migrator runs it. `up` runs inside a transaction together with the row
 * that records it in `schema_migrations`, so a step is applied entirely or not at all.
 */
export interface Migration {
  /** Positive integer, strictly increasing along the list. */
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
  /** See SchemaStep.olderCode; default 'breaking'. */
  readonly olderCode?: 'compatible' | 'breaking';
}

/** The bot's schema (storage/migrations), SQLite side. */
export const sqliteMigrations: readonly Migration[] = Object.freeze(
  schemaSteps.map(({ version, name, sqlite, olderCode }) => ({
    version,
    name,
    up: (db: Database.Database) => void db.exec(sqlite),
    ...(olderCode ? { olderCode } : {}),
  })),
);
