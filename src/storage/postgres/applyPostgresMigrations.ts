import type { PoolClient } from 'pg';
import type { Clock } from '../../ports/clock';
import { assertOrdered } from '../migrations';
import { SchemaTooNewError } from '../schemaTooNewError';

/** One step of the PostgreSQL schema: its SQL runs in one transaction with the row that records it. */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Any constant: the advisory lock that lets one instance at a time migrate the database. */
const MIGRATION_LOCK = 0x4c474201;

/**
 * Brings the schema up to the last migration and returns the versions applied now. Instances starting together
 * queue on a session advisory lock, so each step is applied once; the too-new check refuses a database a newer
 * build has migrated.
 */
export async function applyPostgresMigrations(
  client: PoolClient,
  migrations: readonly PostgresMigration[],
  clock: Clock,
  location: string,
): Promise<number[]> {
  assertOrdered(migrations, 'PostgreSQL');
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text    NOT NULL,
      applied_at bigint  NOT NULL
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    const already = new Set(rows.map((row) => row.version));
    const supported = migrations.at(-1)?.version ?? 0;
    const newest = Math.max(0, ...already);
    if (newest > supported) throw new SchemaTooNewError(location, newest, supported, 'PostgreSQL');

    const appliedNow: number[] = [];
    for (const migration of migrations) {
      if (already.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          clock.now(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      appliedNow.push(migration.version);
    }
    return appliedNow;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
