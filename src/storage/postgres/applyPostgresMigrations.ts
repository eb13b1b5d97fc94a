import type { PoolClient } from 'pg';
import type { Clock } from '../../ports/clock';
import { assertOrdered } from '../migrations';
import { firstBreakingUnknown, SchemaTooNewError, type RecordedStep } from '../schemaTooNewError';

/** One step of the PostgreSQL schema: its SQL runs in one transaction with the row that records it. */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** See SchemaStep.olderCode; default 'breaking'. */
  readonly olderCode?: 'compatible' | 'breaking';
}

/** Any constant: the advisory lock that lets one instance at a time migrate the database. */
const MIGRATION_LOCK = 0x4c474201;

/**
 * Brings the schema up to the last migration and returns the versions applied now. Instances starting together
 * queue on a session advisory lock, so each step is applied once. Steps this build does not know (a newer build
 * migrated the database) are run over when they are all marked compatible with older code, and refused otherwise.
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
    // Added by the first build with the compatibility window; rows recorded before it read as breaking.
    const { rowCount } = await client.query(
      "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'older_code'",
    );
    if (rowCount === 0) await client.query("ALTER TABLE schema_migrations ADD COLUMN older_code text NOT NULL DEFAULT 'breaking'");
    const { rows } = await client.query<RecordedStep>('SELECT version, name, older_code AS "olderCode" FROM schema_migrations ORDER BY version');
    const already = new Set(rows.map((row) => row.version));
    const breaking = firstBreakingUnknown(rows, migrations);
    if (breaking) {
      throw new SchemaTooNewError(location, Math.max(...already), migrations.at(-1)?.version ?? 0, breaking, 'PostgreSQL');
    }

    const appliedNow: number[] = [];
    for (const migration of migrations) {
      if (already.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at, older_code) VALUES ($1, $2, $3, $4)', [
          migration.version,
          migration.name,
          clock.now(),
          migration.olderCode ?? 'breaking',
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
