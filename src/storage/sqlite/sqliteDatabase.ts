import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../ports/clock';
import { applyMigrations } from './applyMigrations';
import { sqliteMigrations, type Migration } from './migration';

export interface SqliteDatabaseOptions {
  /** Created (recursively) when missing. */
  dataDir: string;
  /** Defaults to `bot.sqlite`. */
  fileName?: string;
  clock?: Clock;
  /** Defaults to 5000. How long a writer waits for another connection's write lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Defaults to the bot's schema; tests pass their own list to exercise the migrator. */
  migrations?: readonly Migration[];
}

/** One open better-sqlite3 connection with the schema migrated; the stores share it. */
export interface SqliteDatabase {
  readonly connection: Database.Database;
  readonly clock: Clock;
  readonly filePath: string;
  /** Versions applied by this open (empty when the file was already up to date). */
  readonly migrationsApplied: readonly number[];
  isOpen(): boolean;
  /** For the readiness probe: false once closed or when the file cannot be queried. */
  ping(): boolean;
  /** Idempotent. */
  close(): void;
}

export function openSqliteDatabase(options: SqliteDatabaseOptions): SqliteDatabase {
  const clock = options.clock ?? systemClock;
  mkdirSync(options.dataDir, { recursive: true });
  const filePath = path.join(options.dataDir, options.fileName ?? 'bot.sqlite');
  // Owner-only: the files hold conversation references and the audit. SQLite gives -wal and -shm the
  // database file's mode, so the file is made 0600 before SQLite opens it; chmod also fixes older files.
  closeSync(openSync(filePath, 'a', 0o600));
  chmodSync(filePath, 0o600);
  const connection = new Database(filePath, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    const mode = connection.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw new Error(`SQLite database ${filePath} could not switch to WAL mode (journal_mode is ${String(mode)})`);
    }
    for (const companion of [`${filePath}-wal`, `${filePath}-shm`]) if (existsSync(companion)) chmodSync(companion, 0o600);
    connection.pragma('synchronous = NORMAL');
    connection.pragma('foreign_keys = ON');
    const migrationsApplied = applyMigrations(connection, options.migrations ?? sqliteMigrations, clock, filePath);
    return new OpenSqliteDatabase(connection, clock, filePath, migrationsApplied);
  } catch (error) {
    connection.close();
    throw error;
  }
}

class OpenSqliteDatabase implements SqliteDatabase {
  private readonly pingStatement;

  constructor(
    readonly connection: Database.Database,
    readonly clock: Clock,
    readonly filePath: string,
    readonly migrationsApplied: readonly number[],
  ) {
    this.pingStatement = connection.prepare<[], { n: number }>('SELECT count(*) AS n FROM schema_migrations');
  }

  isOpen(): boolean {
    return this.connection.open;
  }

  ping(): boolean {
    if (!this.connection.open) return false;
    try {
      return this.pingStatement.get() !== undefined;
    } catch {
      // A probe answers "not ready"; the failure itself surfaces on the next real query.
      return false;
    }
  }

  close(): void {
    if (this.connection.open) this.connection.close();
  }
}
