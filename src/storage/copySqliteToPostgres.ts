import type { SqliteDatabase } from './sqlite';
import type { PostgresDatabase } from './postgres';
import { inTransaction } from './postgres/postgresDatabase';

/** Every table of the schema, parents before what refers to them (nothing does yet), in the order they are copied. */
export const COPIED_TABLES = [
  'bot_state',
  'conversation_refs',
  'host_bindings',
  'audit_log',
  'operations',
  'confirmations',
  'outbox',
  'replication_watches',
] as const;

/** PostgreSQL columns that SQLite keeps under another name. */
const SQLITE_SOURCE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // Creation order: SQLite's rowid, PostgreSQL's seq.
  operations: { seq: 'rowid' },
};

/** Columns filled by a sequence on PostgreSQL: moved past the copied values so that new rows do not collide. */
const IDENTITY_COLUMNS: Readonly<Record<string, string>> = { audit_log: 'seq', operations: 'seq', outbox: 'seq' };

const BATCH = 500;

export interface TableCopy {
  table: string;
  /** Rows in the SQLite file. */
  source: number;
  /** Rows inserted now; the others were there already (a previous run), left as they are. */
  copied: number;
}

/**
 * Copies every row of every table from a SQLite database into a PostgreSQL one, both already migrated to the
 * same schema version. Idempotent: a row whose key is already there is skipped (ON CONFLICT DO NOTHING), so a
 * second run copies nothing. One transaction: all tables or none. Meant for a database the bot has not written
 * to yet: a row the bot wrote on PostgreSQL under the same key wins over the file's.
 */
export async function copySqliteToPostgres(sqlite: SqliteDatabase, postgres: PostgresDatabase): Promise<TableCopy[]> {
  return inTransaction(postgres.pool, async (client) => {
    const copies: TableCopy[] = [];
    for (const table of COPIED_TABLES) {
      const { rows: columnRows } = await client.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      const columns = columnRows.map((r) => r.column_name);
      const select = columns.map((c) => (SQLITE_SOURCE[table]?.[c] ? `${SQLITE_SOURCE[table][c]} AS ${c}` : c)).join(', ');
      const rows = sqlite.connection.prepare<[], Record<string, unknown>>(`SELECT ${select} FROM ${table} ORDER BY rowid`).all();
      let copied = 0;
      for (let start = 0; start < rows.length; start += BATCH) {
        const batch = rows.slice(start, start + BATCH);
        const values: unknown[] = [];
        const tuples = batch.map((row) => `(${columns.map((c) => `$${values.push(row[c] ?? null)}`).join(', ')})`);
        const result = await client.query(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`,
          values,
        );
        copied += result.rowCount ?? 0;
      }
      const identity = IDENTITY_COLUMNS[table];
      if (identity) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence('${table}', '${identity}'), coalesce(max(${identity}), 0) + 1, false) FROM ${table}`,
        );
      }
      copies.push({ table, source: rows.length, copied });
    }
    return copies;
  });
}
