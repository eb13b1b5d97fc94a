import type Database from 'better-sqlite3';

/**
 * One step of the SQLite schema. `up` runs inside a transaction together with the row that records it
 * in `schema_migrations`, so a step is applied entirely or not at all. Never edit a released step:
 * append a new one with the next version.
 */
export interface Migration {
  /** Positive integer, strictly increasing along the list. */
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}
