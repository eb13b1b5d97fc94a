import type { Fence, Lease, LeaseStore } from '../../ports/leases';
import type { SqliteDatabase } from './sqliteDatabase';
import { prepareAll, sql } from './statements';

interface LeaseRow {
  name: string;
  holder: string | null;
  token: number;
  expiresAt: number;
}

const leaseOf = (row: LeaseRow): Lease => ({ name: row.name, holder: row.holder ?? '', token: row.token, expiresAt: row.expiresAt });
const returning = 'RETURNING name, holder, token, expires_at AS expiresAt';

/**
 * The same contract as PostgresLeaseStore. A SQLite file serves one instance, which therefore always gets its
 * leases; the table keeps the tokens and the fenced writes honest all the same (and two processes on one file
 * are serialized by SQLite's write lock).
 */
export class SqliteLeaseStore implements LeaseStore {
  private readonly sql;

  constructor(private readonly db: SqliteDatabase) {
    this.sql = prepareAll(db.connection, {
      acquire: sql<{ name: string; holder: string; now: number; expiresAt: number }, LeaseRow>(
        `INSERT INTO leases (name, holder, token, expires_at) VALUES (@name, @holder, 1, @expiresAt)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = leases.token + 1, expires_at = excluded.expires_at
         WHERE leases.holder IS NULL OR leases.holder = excluded.holder OR leases.expires_at <= @now
         ${returning}`,
      ),
      renew: sql<{ name: string; holder: string; token: number; expiresAt: number }, LeaseRow>(
        `UPDATE leases SET expires_at = @expiresAt WHERE name = @name AND holder = @holder AND token = @token ${returning}`,
      ),
      release: sql<{ name: string; holder: string; token: number }>(
        'UPDATE leases SET holder = NULL, expires_at = 0 WHERE name = @name AND holder = @holder AND token = @token',
      ),
      get: sql<[string], LeaseRow>('SELECT name, holder, token, expires_at AS expiresAt FROM leases WHERE name = ?'),
      isCurrent: sql<[string, number], { one: number }>('SELECT 1 AS one FROM leases WHERE name = ? AND token = ?'),
    });
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<Lease | undefined> {
    const now = this.db.clock.now();
    const row = this.sql.acquire.get({ name, holder, now, expiresAt: now + ttlMs });
    return row && leaseOf(row);
  }

  async renew(lease: Lease, ttlMs: number): Promise<Lease | undefined> {
    const row = this.sql.renew.get({ name: lease.name, holder: lease.holder, token: lease.token, expiresAt: this.db.clock.now() + ttlMs });
    return row && leaseOf(row);
  }

  async release(lease: Lease): Promise<void> {
    this.sql.release.run({ name: lease.name, holder: lease.holder, token: lease.token });
  }

  async get(name: string): Promise<{ holder: string | undefined; token: number; expiresAt: number } | undefined> {
    const row = this.sql.get.get(name);
    return row && { holder: row.holder ?? undefined, token: row.token, expiresAt: row.expiresAt };
  }

  async isCurrent(fence: Fence): Promise<boolean> {
    return this.sql.isCurrent.get(fence.lease, fence.token) !== undefined;
  }
}
