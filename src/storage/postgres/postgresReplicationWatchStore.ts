import type { Clock } from '../../ports/clock';
import { StaleFenceError, type Fence } from '../../ports/leases';
import { hasWorkLeft, type ReplicationWatch, type ReplicationWatchStore } from '../../ports/replicationWatches';
import type { PostgresDatabase } from './postgresDatabase';

/** Watches as JSON documents, with the columns the tracker queries on beside them. */
export class PostgresReplicationWatchStore implements ReplicationWatchStore {
  constructor(
    private readonly db: PostgresDatabase,
    private readonly clock: Clock,
  ) {}

  async get(id: string): Promise<ReplicationWatch | undefined> {
    const { rows } = await this.db.pool.query<{ doc: string }>({
      name: 'watches.selectOne',
      text: 'SELECT doc FROM replication_watches WHERE id = $1',
      values: [id],
    });
    const [row] = rows;
    return row ? (JSON.parse(row.doc) as ReplicationWatch) : undefined;
  }

  async insert(watch: ReplicationWatch, fence?: Fence): Promise<boolean> {
    if (fence) return this.insertFenced(watch, fence);
    const result = await this.db.pool.query({
      name: 'watches.insertIfAbsent',
      text: `INSERT INTO replication_watches (id, version_id, status, unsettled, doc, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      values: this.values(watch),
    });
    return result.rowCount === 1;
  }

  async save(watch: ReplicationWatch, fence?: Fence): Promise<void> {
    if (fence) return this.saveFenced(watch, fence);
    const result = await this.db.pool.query({
      name: 'watches.update',
      text: 'UPDATE replication_watches SET version_id = $2, status = $3, unsettled = $4, doc = $5, updated_at = $6 WHERE id = $1',
      values: this.values(watch),
    });
    if (result.rowCount !== 1) throw new Error(`no replication watch ${watch.id}`);
  }

  async countByStatus(): Promise<Record<string, number>> {
    const { rows } = await this.db.pool.query<{ status: string; n: string }>({
      name: 'watches.countByStatus',
      text: 'SELECT status, count(*) AS n FROM replication_watches GROUP BY status',
    });
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  async listUnsettled(): Promise<ReplicationWatch[]> {
    const { rows } = await this.db.pool.query<{ doc: string }>({
      name: 'watches.selectUnsettled',
      text: 'SELECT doc FROM replication_watches WHERE unsettled ORDER BY id',
    });
    return rows.map((r) => JSON.parse(r.doc) as ReplicationWatch);
  }

  async idsForVersions(versionIds: readonly string[]): Promise<Set<string>> {
    if (versionIds.length === 0) return new Set();
    // Version ids are ARM ids: matched case-insensitively, as the SQLite column's NOCASE does.
    const { rows } = await this.db.pool.query<{ id: string }>({
      name: 'watches.selectIdsForVersions',
      text: 'SELECT id FROM replication_watches WHERE lower(version_id) IN (SELECT lower(v) FROM unnest($1::text[]) AS v)',
      values: [[...versionIds]],
    });
    return new Set(rows.map((row) => row.id));
  }

  /**
   * The lease row is read FOR SHARE in the same statement: an instance taking the lease over waits for this write
   * to commit, so it loads the watches with it.
   */
  private async insertFenced(watch: ReplicationWatch, fence: Fence): Promise<boolean> {
    const { rows } = await this.db.pool.query<{ fenced: number; inserted: number }>({
      name: 'watches.insertIfAbsentFenced',
      text: `WITH fence AS (SELECT token FROM leases WHERE name = $7 AND token = $8 FOR SHARE),
        inserted AS (
          INSERT INTO replication_watches (id, version_id, status, unsettled, doc, updated_at)
          SELECT $1::text, $2::text, $3::text, $4::boolean, $5::text, $6::bigint WHERE EXISTS (SELECT 1 FROM fence)
          ON CONFLICT (id) DO NOTHING RETURNING 1)
        SELECT (SELECT count(*) FROM fence)::int AS fenced, (SELECT count(*) FROM inserted)::int AS inserted`,
      values: [...this.values(watch), fence.lease, fence.token],
    });
    const [row] = rows;
    if (!row?.fenced) throw new StaleFenceError(fence);
    return row.inserted === 1;
  }

  private async saveFenced(watch: ReplicationWatch, fence: Fence): Promise<void> {
    const { rows } = await this.db.pool.query<{ fenced: number; updated: number }>({
      name: 'watches.updateFenced',
      text: `WITH fence AS (SELECT token FROM leases WHERE name = $7 AND token = $8 FOR SHARE),
        updated AS (
          UPDATE replication_watches SET version_id = $2, status = $3, unsettled = $4, doc = $5, updated_at = $6
          WHERE id = $1 AND EXISTS (SELECT 1 FROM fence) RETURNING 1)
        SELECT (SELECT count(*) FROM fence)::int AS fenced, (SELECT count(*) FROM updated)::int AS updated`,
      values: [...this.values(watch), fence.lease, fence.token],
    });
    const [row] = rows;
    if (!row?.fenced) throw new StaleFenceError(fence);
    if (row.updated !== 1) throw new Error(`no replication watch ${watch.id}`);
  }

  private values(watch: ReplicationWatch): [string, string, string, boolean, string, number] {
    return [watch.id, watch.versionId, watch.status, hasWorkLeft(watch), JSON.stringify(watch), this.clock.now()];
  }
}
