import { Pool, types, type PoolClient, type PoolConfig } from 'pg';
import { systemClock, type Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import { schemaSteps } from '../migrations';
import { applyPostgresMigrations, type PostgresMigration } from './applyPostgresMigrations';
import { connectionSettings } from './connectionSettings';
import { entraPasswordProvider, type AccessTokenSource } from './entraPassword';

export interface PostgresDatabaseOptions {
  /** DATABASE_URL: postgres://user[:password]@host[:port]/database[?sslmode=…] */
  url: string;
  /** 'entra': the password is an Entra access token from `credential` (Azure Database for PostgreSQL). */
  auth?: 'password' | 'entra';
  credential?: AccessTokenSource;
  clock?: Clock;
  logger?: Logger;
  /** Defaults to 10 connections. */
  maxConnections?: number;
  /** Defaults to the bot's schema; tests pass their own list to exercise the migrator. */
  migrations?: readonly PostgresMigration[];
}

/** A pool of connections to one database with the schema migrated; the stores share it. */
export interface PostgresDatabase {
  readonly pool: Pool;
  readonly clock: Clock;
  /** host:port/database (never a password). */
  readonly location: string;
  /** Versions applied by this open (empty when the database was already up to date). */
  readonly migrationsApplied: readonly number[];
  isOpen(): boolean;
  /** For the readiness probe: false once closed or when the server does not answer. */
  ping(): Promise<boolean>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** The bot's schema (storage/migrations), PostgreSQL side. */
export const postgresMigrations: readonly PostgresMigration[] = Object.freeze(
  schemaSteps.map(({ version, name, postgres, olderCode }) => ({ version, name, sql: postgres, ...(olderCode ? { olderCode } : {}) })),
);

/** Times and sequence numbers are bigint: read them as numbers (ms since the epoch stay far below 2^53). */
const bigintAsNumber: NonNullable<PoolConfig['types']> = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === types.builtins.INT8 && format !== 'binary' ? (value: string) => Number(value) : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};

export async function openPostgresDatabase(options: PostgresDatabaseOptions): Promise<PostgresDatabase> {
  const clock = options.clock ?? systemClock;
  const settings = connectionSettings(options.url);
  let password: PoolConfig['password'] = settings.password;
  if (options.auth === 'entra') {
    if (!options.credential) throw new Error('DATABASE_AUTH=entra needs a credential');
    if (settings.password) throw new Error('DATABASE_URL must not carry a password with DATABASE_AUTH=entra');
    password = entraPasswordProvider(options.credential, clock);
  }
  const pool = new Pool({
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    ...(password === undefined ? {} : { password }),
    ssl: settings.ssl,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'lab-gallery-bot',
    types: bigintAsNumber,
  });
  // An idle connection the server drops must not crash the process; the next query opens a new one.
  pool.on('error', (error) => options.logger?.warn({ err: error, database: settings.location }, 'idle PostgreSQL connection failed'));
  try {
    const client = await pool.connect();
    let migrationsApplied: number[];
    try {
      migrationsApplied = await applyPostgresMigrations(client, options.migrations ?? postgresMigrations, clock, settings.location);
    } finally {
      client.release();
    }
    return new OpenPostgresDatabase(pool, clock, settings.location, migrationsApplied);
  } catch (error) {
    await pool.end();
    throw error;
  }
}

class OpenPostgresDatabase implements PostgresDatabase {
  private closing: Promise<void> | undefined;

  constructor(
    readonly pool: Pool,
    readonly clock: Clock,
    readonly location: string,
    readonly migrationsApplied: readonly number[],
  ) {}

  isOpen(): boolean {
    return this.closing === undefined;
  }

  async ping(): Promise<boolean> {
    if (this.closing) return false;
    try {
      await this.pool.query('SELECT 1 FROM schema_migrations LIMIT 1');
      return true;
    } catch {
      // A probe answers "not ready"; the failure itself surfaces on the next real query.
      return false;
    }
  }

  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }
}

/**
 * Runs `work` on one connection of the pool, rolling back whatever transaction it left open if it throws. A
 * connection whose ROLLBACK failed is in an unknown state: destroyed rather than handed back to the pool.
 */
export async function onConnection<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Runs `work` in one transaction on one connection of the pool: committed if it resolves, rolled back if it throws. */
export function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return onConnection(pool, async (client) => {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  });
}
