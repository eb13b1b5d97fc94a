import type { Fence, Lease, LeaseStore } from '../../ports/leases';
import type { PostgresDatabase } from './postgresDatabase';

interface LeaseRow {
  name: string;
  holder: string | null;
  token: number;
  expires_at: number;
}

const leaseOf = (row: LeaseRow): Lease => ({ name: row.name, holder: row.holder ?? '', token: row.token, expiresAt: row.expires_at });

/**
 * Leases in one table; each change is one conditional statement, so of several instances asking at once one
 * gets the lease (the row lock of INSERT … ON CONFLICT DO UPDATE orders them). Time is the database handle's
 * clock: the instances' clocks are assumed to agree within a fraction of the lease period (NTP).
 */
export class PostgresLeaseStore implements LeaseStore {
  constructor(private readonly db: PostgresDatabase) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<Lease | undefined> {
    const now = this.db.clock.now();
    const { rows } = await this.db.pool.query<LeaseRow>({
      name: 'leases.acquire',
      text: `INSERT INTO leases (name, holder, token, expires_at) VALUES ($1, $2, 1, $4)
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = leases.token + 1, expires_at = excluded.expires_at
        WHERE leases.holder IS NULL OR leases.holder = excluded.holder OR leases.expires_at <= $3
        RETURNING name, holder, token, expires_at`,
      values: [name, holder, now, now + ttlMs],
    });
    const [row] = rows;
    return row && leaseOf(row);
  }

  async renew(lease: Lease, ttlMs: number): Promise<Lease | undefined> {
    const { rows } = await this.db.pool.query<LeaseRow>({
      name: 'leases.renew',
      text: `UPDATE leases SET expires_at = $4 WHERE name = $1 AND holder = $2 AND token = $3
        RETURNING name, holder, token, expires_at`,
      values: [lease.name, lease.holder, lease.token, this.db.clock.now() + ttlMs],
    });
    const [row] = rows;
    return row && leaseOf(row);
  }

  async release(lease: Lease): Promise<void> {
    await this.db.pool.query({
      name: 'leases.release',
      text: 'UPDATE leases SET holder = NULL, expires_at = 0 WHERE name = $1 AND holder = $2 AND token = $3',
      values: [lease.name, lease.holder, lease.token],
    });
  }

  async get(name: string): Promise<{ holder: string | undefined; token: number; expiresAt: number } | undefined> {
    const { rows } = await this.db.pool.query<LeaseRow>({
      name: 'leases.get',
      text: 'SELECT name, holder, token, expires_at FROM leases WHERE name = $1',
      values: [name],
    });
    const [row] = rows;
    return row && { holder: row.holder ?? undefined, token: row.token, expiresAt: row.expires_at };
  }

  async isCurrent(fence: Fence): Promise<boolean> {
    const { rowCount } = await this.db.pool.query({
      name: 'leases.isCurrent',
      text: 'SELECT 1 FROM leases WHERE name = $1 AND token = $2',
      values: [fence.lease, fence.token],
    });
    return rowCount === 1;
  }
}
