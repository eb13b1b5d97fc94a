import type { Logger } from '../../ports/logger';
import type { NewOperation, OperationRecord, OperationStatus, OperationStore, OperationUpdate } from '../../ports/operations';
import { ETagConflictError } from '../../ports/stores';
import { newETag } from '../eTag';
import { OPERATION_COLUMNS as columns, requesterNameValue, validOperation, writtenOperation, type OperationRow } from '../rows';
import type { SqliteDatabase } from './sqliteDatabase';
import { prepareAll, sql } from './statements';

interface InsertParams {
  id: string;
  kind: string;
  hostId: string;
  target: string;
  requestedBy: string;
  requestedByName: string | null;
  conversationId: string;
  locale: string;
  correlationId: string;
  params: string;
  now: number;
  eTag: string;
}

/** null means "keep the stored value"; the set* flags say whether a nullable column is written at all. */
interface UpdateParams {
  id: string;
  ifMatch: string;
  eTag: string;
  now: number;
  status: OperationStatus | null;
  step: string | null;
  progress: string | null;
  attempts: number | null;
  setError: 0 | 1;
  error: string | null;
  setReportedAt: 0 | 1;
  reportedAt: number | null;
}

/**
 * `create` starts an operation as running, at step '' with no progress and 0 attempts, created and
 * updated at the clock's now. `update` writes only the fields present in the patch; `error` or
 * `reportedAt` present with the value undefined clears it. Each write is one statement whose WHERE /
 * ON CONFLICT clause carries the condition and whose RETURNING gives back the stored row, so of two
 * writers holding the same eTag exactly one wins, also across connections and processes.
 * `runningOnHost` matches ARM ids case-insensitively and, should there be several, returns the oldest.
 * A row whose kind is unknown, or whose params or progress do not fit its kind (a newer or older build
 * wrote it), is never handed out: it reads as absent, and the logger gets one line saying why.
 */
export class SqliteOperationStore implements OperationStore {
  private readonly sql;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly logger?: Logger,
  ) {
    this.sql = prepareAll(db.connection, {
      insertIfAbsent: sql<InsertParams, OperationRow>(
        `INSERT INTO operations (${columns}) VALUES (
           @id, @kind, @hostId, @target, @requestedBy, @conversationId, @locale, @correlationId, 'running', '',
           @params, '{}', NULL, 0, @now, @now, NULL, @eTag, @requestedByName)
         ON CONFLICT (id) DO NOTHING
         RETURNING ${columns}`,
      ),
      updateIfMatch: sql<UpdateParams, OperationRow>(
        `UPDATE operations SET
           status      = coalesce(@status, status),
           step        = coalesce(@step, step),
           progress    = coalesce(@progress, progress),
           attempts    = coalesce(@attempts, attempts),
           error       = CASE WHEN @setError THEN @error ELSE error END,
           reported_at = CASE WHEN @setReportedAt THEN @reportedAt ELSE reported_at END,
           etag        = @eTag,
           updated_at  = @now
         WHERE id = @id AND etag = @ifMatch
         RETURNING ${columns}`,
      ),
      selectOne: sql<[string], OperationRow>(`SELECT ${columns} FROM operations WHERE id = ?`),
      // The WHERE must stay the partial index's own (migration v2) for SQLite to use it.
      selectUnfinished: sql<[], OperationRow>(
        `SELECT ${columns} FROM operations
         WHERE status = 'running' OR reported_at IS NULL
         ORDER BY created_at, rowid`,
      ),
      claim: sql<{ id: string; owner: string; now: number; expiresAt: number }>(
        `UPDATE operations SET owner = @owner, owner_expires_at = @expiresAt
         WHERE id = @id AND (status = 'running' OR reported_at IS NULL)
           AND (owner IS NULL OR owner = @owner OR owner_expires_at <= @now)`,
      ),
      renewClaims: sql<{ owner: string; expiresAt: number }>(
        `UPDATE operations SET owner_expires_at = @expiresAt WHERE owner = @owner AND (status = 'running' OR reported_at IS NULL)`,
      ),
      releaseClaims: sql<[string]>('UPDATE operations SET owner = NULL, owner_expires_at = NULL WHERE owner = ?'),
      claimHost: sql<[string]>(`UPDATE operations SET host_claimed = 1 WHERE id = ? AND status = 'running'`),
      selectHostHolder: sql<{ id: string }, OperationRow>(
        `SELECT ${columns} FROM operations
         WHERE host_id = (SELECT host_id FROM operations WHERE id = @id) AND host_claimed = 1 AND status = 'running' AND id <> @id`,
      ),
      selectRunningOnHost: sql<[string], OperationRow>(
        `SELECT ${columns} FROM operations
         WHERE host_id = ? AND status = 'running'
         ORDER BY created_at, rowid
         LIMIT 1`,
      ),
    });
  }

  async create(operation: NewOperation): Promise<OperationRecord> {
    const row = this.sql.insertIfAbsent.get({
      id: operation.id,
      kind: operation.kind,
      hostId: operation.hostId,
      target: operation.target,
      requestedBy: operation.requestedBy,
      requestedByName: requesterNameValue(operation),
      conversationId: operation.conversationId,
      locale: operation.locale,
      correlationId: operation.correlationId,
      params: JSON.stringify(operation.params),
      now: this.db.clock.now(),
      eTag: newETag(),
    });
    if (!row) throw new ETagConflictError(operation.id);
    return writtenOperation(row, 'create');
  }

  async get(id: string): Promise<OperationRecord | undefined> {
    const row = this.sql.selectOne.get(id);
    return row && validOperation(row, this.logger);
  }

  async update(id: string, eTag: string, update: OperationUpdate): Promise<OperationRecord> {
    const row = this.sql.updateIfMatch.get({
      id,
      ifMatch: eTag,
      eTag: newETag(),
      now: this.db.clock.now(),
      status: update.status ?? null,
      step: update.step ?? null,
      progress: update.progress === undefined ? null : JSON.stringify(update.progress),
      attempts: update.attempts ?? null,
      setError: 'error' in update ? 1 : 0,
      error: update.error === undefined ? null : JSON.stringify(update.error),
      setReportedAt: 'reportedAt' in update ? 1 : 0,
      reportedAt: update.reportedAt ?? null,
    });
    if (!row) throw new ETagConflictError(id);
    return writtenOperation(row, 'update');
  }

  async listUnfinished(): Promise<OperationRecord[]> {
    return this.sql.selectUnfinished.all().flatMap((row) => validOperation(row, this.logger) ?? []);
  }

  async runningOnHost(hostId: string): Promise<OperationRecord | undefined> {
    const row = this.sql.selectRunningOnHost.get(hostId);
    return row && validOperation(row, this.logger);
  }

  async claim(id: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.db.clock.now();
    return this.sql.claim.run({ id, owner, now, expiresAt: now + ttlMs }).changes === 1;
  }

  async renewClaims(owner: string, ttlMs: number): Promise<void> {
    this.sql.renewClaims.run({ owner, expiresAt: this.db.clock.now() + ttlMs });
  }

  async releaseClaims(owner: string): Promise<void> {
    this.sql.releaseClaims.run(owner);
  }

  async claimHost(id: string): Promise<OperationRecord | undefined> {
    try {
      this.sql.claimHost.run(id);
      return undefined;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const holder = this.sql.selectHostHolder.get({ id });
      // Finished in between: the host is free now.
      return holder ? validOperation(holder, this.logger) : this.claimHost(id);
    }
  }

}

// By its code, not `instanceof Error`: better-sqlite3's native part keeps the SqliteError class of the first realm
// that loaded it, so under a test runner's module sandboxes the error may come from another realm's Error.
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
