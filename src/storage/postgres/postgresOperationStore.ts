import type { Logger } from '../../ports/logger';
import type { NewOperation, OperationRecord, OperationStore, OperationUpdate } from '../../ports/operations';
import { ETagConflictError } from '../../ports/stores';
import { newETag } from '../eTag';
import { OPERATION_COLUMNS as columns, requesterNameValue, validOperation, writtenOperation, type OperationRow } from '../rows';
import type { PostgresDatabase } from './postgresDatabase';

/**
 * As SqliteOperationStore: each write is one statement whose WHERE / ON CONFLICT clause carries the condition and
 * whose RETURNING gives back the stored row, so of two instances holding the same eTag exactly one wins. Ties of
 * created_at go in creation order (seq). Rows that do not fit their kind read as absent, logged once each.
 */
export class PostgresOperationStore implements OperationStore {
  constructor(
    private readonly db: PostgresDatabase,
    private readonly logger?: Logger,
  ) {}

  async create(operation: NewOperation): Promise<OperationRecord> {
    const now = this.db.clock.now();
    const { rows } = await this.db.pool.query<OperationRow>({
      name: 'operations.insertIfAbsent',
      text: `INSERT INTO operations (${columns}) VALUES (
          $1, $2, $3, $4, $5, $6, $7, $8, 'running', '', $9, '{}', NULL, 0, $10, $10, NULL, $11, $12)
        ON CONFLICT (id) DO NOTHING
        RETURNING ${columns}`,
      values: [
        operation.id,
        operation.kind,
        operation.hostId,
        operation.target,
        operation.requestedBy,
        operation.conversationId,
        operation.locale,
        operation.correlationId,
        JSON.stringify(operation.params),
        now,
        newETag(),
        requesterNameValue(operation),
      ],
    });
    const [row] = rows;
    if (!row) throw new ETagConflictError(operation.id);
    return writtenOperation(row, 'create');
  }

  async get(id: string): Promise<OperationRecord | undefined> {
    const { rows } = await this.db.pool.query<OperationRow>({
      name: 'operations.selectOne',
      text: `SELECT ${columns} FROM operations WHERE id = $1`,
      values: [id],
    });
    const [row] = rows;
    return row && validOperation(row, this.logger);
  }

  /** null keeps the stored value; the two flags say whether error and reported_at are written at all. */
  async update(id: string, eTag: string, update: OperationUpdate): Promise<OperationRecord> {
    const { rows } = await this.db.pool.query<OperationRow>({
      name: 'operations.updateIfMatch',
      text: `UPDATE operations SET
          status      = coalesce($3::text, status),
          step        = coalesce($4::text, step),
          progress    = coalesce($5::text, progress),
          attempts    = coalesce($6::integer, attempts),
          error       = CASE WHEN $7::boolean THEN $8::text ELSE error END,
          reported_at = CASE WHEN $9::boolean THEN $10::bigint ELSE reported_at END,
          etag        = $11,
          updated_at  = $12
        WHERE id = $1 AND etag = $2
        RETURNING ${columns}`,
      values: [
        id,
        eTag,
        update.status ?? null,
        update.step ?? null,
        update.progress === undefined ? null : JSON.stringify(update.progress),
        update.attempts ?? null,
        'error' in update,
        update.error === undefined ? null : JSON.stringify(update.error),
        'reportedAt' in update,
        update.reportedAt ?? null,
        newETag(),
        this.db.clock.now(),
      ],
    });
    const [row] = rows;
    if (!row) throw new ETagConflictError(id);
    return writtenOperation(row, 'update');
  }

  async listUnfinished(): Promise<OperationRecord[]> {
    const { rows } = await this.db.pool.query<OperationRow>({
      name: 'operations.selectUnfinished',
      text: `SELECT ${columns} FROM operations WHERE status = 'running' OR reported_at IS NULL ORDER BY created_at, seq`,
    });
    return rows.flatMap((row) => validOperation(row, this.logger) ?? []);
  }

  async runningOnHost(hostId: string): Promise<OperationRecord | undefined> {
    const { rows } = await this.db.pool.query<OperationRow>({
      name: 'operations.selectRunningOnHost',
      text: `SELECT ${columns} FROM operations WHERE lower(host_id) = lower($1) AND status = 'running'
        ORDER BY created_at, seq LIMIT 1`,
      values: [hostId],
    });
    const [row] = rows;
    return row && validOperation(row, this.logger);
  }

  async claim(id: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.db.clock.now();
    const { rowCount } = await this.db.pool.query({
      name: 'operations.claim',
      text: `UPDATE operations SET owner = $2, owner_expires_at = $4
        WHERE id = $1 AND (status = 'running' OR reported_at IS NULL)
          AND (owner IS NULL OR owner = $2 OR owner_expires_at <= $3)`,
      values: [id, owner, now, now + ttlMs],
    });
    return rowCount === 1;
  }

  async renewClaims(owner: string, ttlMs: number): Promise<void> {
    await this.db.pool.query({
      name: 'operations.renewClaims',
      text: `UPDATE operations SET owner_expires_at = $2 WHERE owner = $1 AND (status = 'running' OR reported_at IS NULL)`,
      values: [owner, this.db.clock.now() + ttlMs],
    });
  }

  async releaseClaims(owner: string): Promise<void> {
    await this.db.pool.query({
      name: 'operations.releaseClaims',
      text: 'UPDATE operations SET owner = NULL, owner_expires_at = NULL WHERE owner = $1',
      values: [owner],
    });
  }

  async claimHost(id: string): Promise<OperationRecord | undefined> {
    try {
      await this.db.pool.query({
        name: 'operations.claimHost',
        text: `UPDATE operations SET host_claimed = true WHERE id = $1 AND status = 'running'`,
        values: [id],
      });
      return undefined;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === '23505')) throw error;
      const { rows } = await this.db.pool.query<OperationRow>({
        name: 'operations.selectHostHolder',
        text: `SELECT ${columns} FROM operations o
          WHERE lower(o.host_id) = (SELECT lower(host_id) FROM operations WHERE id = $1)
            AND o.host_claimed AND o.status = 'running' AND o.id <> $1`,
        values: [id],
      });
      const [row] = rows;
      // Finished in between: the host is free now.
      return row ? validOperation(row, this.logger) : this.claimHost(id);
    }
  }
}
