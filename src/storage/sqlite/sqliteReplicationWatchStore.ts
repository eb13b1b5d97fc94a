import type { Clock } from '../../ports/clock';
import { StaleFenceError, type Fence } from '../../ports/leases';
import { hasWorkLeft, type ReplicationWatch, type ReplicationWatchStore } from '../../ports/replicationWatches';
import type { SqliteDatabase } from './sqliteDatabase';
import { prepareAll, sql } from './statements';

interface Row {
  doc: string;
}

interface WriteParams {
  id: string;
  versionId: string;
  status: string;
  unsettled: number;
  doc: string;
  updatedAt: number;
}

/** Watches as JSON documents, with the columns the tracker queries on beside them. */
export class SqliteReplicationWatchStore implements ReplicationWatchStore {
  private readonly sql;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly clock: Clock,
  ) {
    this.sql = prepareAll(db.connection, {
      insertIfAbsent: sql<WriteParams>(
        `INSERT INTO replication_watches (id, version_id, status, unsettled, doc, updated_at)
         VALUES (@id, @versionId, @status, @unsettled, @doc, @updatedAt) ON CONFLICT (id) DO NOTHING`,
      ),
      update: sql<WriteParams>(
        `UPDATE replication_watches SET status = @status, unsettled = @unsettled, doc = @doc, updated_at = @updatedAt WHERE id = @id`,
      ),
      fenceIsCurrent: sql<[string, number], { one: number }>('SELECT 1 AS one FROM leases WHERE name = ? AND token = ?'),
      selectOne: sql<[string], Row>('SELECT doc FROM replication_watches WHERE id = ?'),
      selectUnsettled: sql<[], Row>('SELECT doc FROM replication_watches WHERE unsettled = 1 ORDER BY id'),
      countByStatus: sql<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM replication_watches GROUP BY status'),
    });
  }

  async get(id: string): Promise<ReplicationWatch | undefined> {
    const row = this.sql.selectOne.get(id);
    return row ? (JSON.parse(row.doc) as ReplicationWatch) : undefined;
  }

  /** A fenced write checks the token and writes in one transaction: no other connection writes in between. */
  async insert(watch: ReplicationWatch, fence?: Fence): Promise<boolean> {
    if (fence) return this.db.connection.transaction(() => this.checkFence(fence) && this.sql.insertIfAbsent.run(this.params(watch)).changes === 1).immediate();
    return this.sql.insertIfAbsent.run(this.params(watch)).changes === 1;
  }

  async save(watch: ReplicationWatch, fence?: Fence): Promise<void> {
    const changes = fence
      ? this.db.connection.transaction(() => this.checkFence(fence) && this.sql.update.run(this.params(watch)).changes).immediate()
      : this.sql.update.run(this.params(watch)).changes;
    if (changes !== 1) throw new Error(`no replication watch ${watch.id}`);
  }

  private checkFence(fence: Fence): true {
    if (!this.sql.fenceIsCurrent.get(fence.lease, fence.token)) throw new StaleFenceError(fence);
    return true;
  }

  async listUnsettled(): Promise<ReplicationWatch[]> {
    return this.sql.selectUnsettled.all().map((r) => JSON.parse(r.doc) as ReplicationWatch);
  }

  async idsForVersions(versionIds: readonly string[]): Promise<Set<string>> {
    const ids = new Set<string>();
    // Chunks stay under SQLite's bound-parameter limit.
    for (let i = 0; i < versionIds.length; i += 500) {
      const chunk = versionIds.slice(i, i + 500);
      const rows = this.db.connection
        .prepare<string[], { id: string }>(`SELECT id FROM replication_watches WHERE version_id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk);
      for (const row of rows) ids.add(row.id);
    }
    return ids;
  }

  async countByStatus(): Promise<Record<string, number>> {
    return Object.fromEntries(this.sql.countByStatus.all().map((row) => [row.status, row.n]));
  }

  private params(watch: ReplicationWatch): WriteParams {
    return {
      id: watch.id,
      versionId: watch.versionId,
      status: watch.status,
      unsettled: hasWorkLeft(watch) ? 1 : 0,
      doc: JSON.stringify(watch),
      updatedAt: this.clock.now(),
    };
  }
}
