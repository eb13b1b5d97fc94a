import type {
  ClaimedHead,
  HeadClaim,
  NewOutboxEntry,
  NewOutboxUpdate,
  OutboxKind,
  OutboxRecord,
  OutboxStatus,
  OutboxStore,
  RetryPlan,
} from '../../ports/outbox';
import { toRecord, type OutboxRow } from '../rows';
import type { SqliteDatabase } from './sqliteDatabase';
import { prepareAll, sql } from './statements';

interface InsertParams {
  key: string;
  conversationId: string;
  tenantId: string | null;
  kind: OutboxKind;
  targetKey: string | null;
  payload: string;
  status: OutboxStatus;
  notBefore: number;
  activityId: string | null;
  lastError: string | null;
  now: number;
}

/** null keeps the stored value. */
interface FinishParams {
  seq: number;
  status: OutboxStatus;
  activityId: string | null;
  lastError: string | null;
  attempts: number | null;
  throttled: number | null;
  now: number;
}

interface ClaimParams {
  seq: number;
  owner: string;
  now: number;
  until: number;
}

interface RescheduleParams {
  seq: number;
  notBefore: number;
  attempts: number;
  throttled: number;
  lastError: string;
  now: number;
}

const columns =
  'seq, key, conversation_id, tenant_id, kind, target_key, payload, status, attempts, throttled, not_before, ' +
  'activity_id, last_error, created_at, updated_at, claimed_by, claimed_until';

/**
 * Every statement that finishes or reschedules a row carries `status = 'pending'` in its WHERE, so a row
 * dropped or replaced while its delivery was in flight is left as it is. `enqueueUpdate` deletes the pending
 * update it replaces and inserts the new one in one transaction (the partial unique index on target_key
 * holds the invariant). Claims are kept as on PostgreSQL, though one process owns a SQLite file.
 */
export class SqliteOutboxStore implements OutboxStore {
  private readonly sql;
  private readonly replaceUpdate;
  private readonly claimHeadsAtOnce;
  private readonly releaseAll;

  constructor(private readonly db: SqliteDatabase) {
    this.sql = prepareAll(db.connection, {
      insertIfAbsent: sql<InsertParams, OutboxRow>(
        `INSERT INTO outbox (key, conversation_id, tenant_id, kind, target_key, payload, status, attempts, throttled,
           not_before, activity_id, last_error, created_at, updated_at)
         VALUES (@key, @conversationId, @tenantId, @kind, @targetKey, @payload, @status, 0, 0,
           @notBefore, @activityId, @lastError, @now, @now)
         ON CONFLICT (key) DO NOTHING
         RETURNING ${columns}`,
      ),
      deletePendingUpdate: sql<[string]>(
        "DELETE FROM outbox WHERE target_key = ? AND status = 'pending' AND kind = 'update'",
      ),
      selectByKey: sql<[string], OutboxRow>(`SELECT ${columns} FROM outbox WHERE key = ?`),
      // WHERE status = 'pending' is the partial index's own, so SQLite reads the head straight from it.
      selectNextPending: sql<[string], OutboxRow>(
        `SELECT ${columns} FROM outbox WHERE conversation_id = ? AND status = 'pending' ORDER BY seq LIMIT 1`,
      ),
      selectPendingConversations: sql<[], { conversation_id: string }>(
        `SELECT conversation_id FROM outbox WHERE status = 'pending'
         GROUP BY conversation_id ORDER BY min(seq)`,
      ),
      claimHead: sql<ClaimParams>(
        `UPDATE outbox SET claimed_by = @owner, claimed_until = @until
         WHERE seq = @seq AND status = 'pending' AND not_before <= @now
           AND (claimed_until IS NULL OR claimed_until <= @now OR claimed_by = @owner)
           AND NOT EXISTS (SELECT 1 FROM outbox AS earlier WHERE earlier.conversation_id = outbox.conversation_id
             AND earlier.status = 'pending' AND earlier.seq < outbox.seq)`,
      ),
      releaseClaim: sql<[number, string]>(
        "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE seq = ? AND claimed_by = ? AND status = 'pending'",
      ),
      finishIfPending: sql<FinishParams>(
        `UPDATE outbox SET status = @status, claimed_by = NULL, claimed_until = NULL, activity_id = coalesce(@activityId, activity_id),
           last_error = coalesce(@lastError, last_error), attempts = coalesce(@attempts, attempts),
           throttled = coalesce(@throttled, throttled), updated_at = @now
         WHERE seq = @seq AND status = 'pending'`,
      ),
      rescheduleIfPending: sql<RescheduleParams>(
        `UPDATE outbox SET not_before = @notBefore, attempts = @attempts, throttled = @throttled, claimed_by = NULL, claimed_until = NULL,
           last_error = @lastError, updated_at = @now
         WHERE seq = @seq AND status = 'pending'`,
      ),
      dropAllPending: sql<[string, number, string]>(
        `UPDATE outbox SET status = 'dropped', last_error = ?, updated_at = ?, claimed_by = NULL, claimed_until = NULL
         WHERE conversation_id = ? AND status = 'pending'`,
      ),
      selectPendingStats: sql<[], { pending: number; oldest: number | null }>(
        "SELECT count(*) AS pending, min(created_at) AS oldest FROM outbox WHERE status = 'pending'",
      ),
      deleteFinished: sql<[number]>(
        "DELETE FROM outbox WHERE status <> 'pending' AND updated_at < ?",
      ),
    });
    this.replaceUpdate = db.connection.transaction((params: InsertParams): OutboxRow => {
      if (params.status === 'pending' && params.targetKey !== null) this.sql.deletePendingUpdate.run(params.targetKey);
      const row = this.sql.insertIfAbsent.get(params);
      // Throwing rolls the delete back: the update it would have replaced stays queued.
      if (!row) throw new Error(`outbox key ${params.key} is already taken`);
      return row;
    });
    this.claimHeadsAtOnce = db.connection.transaction((conversationIds: readonly string[], claim: HeadClaim): ClaimedHead[] => {
      const dueBy = Math.min(claim.now, claim.dueBy ?? claim.now);
      const heads: ClaimedHead[] = [];
      for (const conversationId of conversationIds) {
        const row = this.sql.selectNextPending.get(conversationId);
        if (!row) continue;
        const head = toRecord(row);
        const claimed = head.notBefore <= dueBy && this.sql.claimHead.run({ seq: head.seq, owner: claim.owner, now: claim.now, until: claim.until }).changes > 0;
        heads.push({ head, claimed });
      }
      return heads;
    });
    this.releaseAll = db.connection.transaction((seqs: readonly number[], owner: string) => {
      for (const seq of seqs) this.sql.releaseClaim.run(seq, owner);
    });
  }

  async enqueueSend(entry: NewOutboxEntry): Promise<boolean> {
    return this.sql.insertIfAbsent.get(this.insertParams(entry, 'send', null)) !== undefined;
  }

  async enqueueUpdate(entry: NewOutboxUpdate): Promise<OutboxRecord> {
    return toRecord(this.replaceUpdate.immediate(this.insertParams(entry, 'update', entry.targetKey)));
  }

  async get(key: string): Promise<OutboxRecord | undefined> {
    const row = this.sql.selectByKey.get(key);
    return row && toRecord(row);
  }

  async nextPending(conversationId: string): Promise<OutboxRecord | undefined> {
    const row = this.sql.selectNextPending.get(conversationId);
    return row && toRecord(row);
  }

  async pendingConversations(): Promise<string[]> {
    return this.sql.selectPendingConversations.all().map((row) => row.conversation_id);
  }

  async claim(seq: number, claim: { owner: string; now: number; until: number }): Promise<boolean> {
    return this.sql.claimHead.run({ seq, ...claim }).changes > 0;
  }

  async claimHeads(conversationIds: readonly string[], claim: HeadClaim): Promise<ClaimedHead[]> {
    return this.claimHeadsAtOnce(conversationIds, claim);
  }

  async release(seqs: readonly number[], owner: string): Promise<void> {
    if (seqs.length > 0) this.releaseAll(seqs, owner);
  }

  async markSent(seq: number, activityId: string | undefined): Promise<boolean> {
    return this.finish({ seq, status: 'sent', activityId: activityId || null, lastError: null, attempts: null, throttled: null });
  }

  async markDropped(seq: number, reason: string): Promise<boolean> {
    return this.finish({ seq, status: 'dropped', activityId: null, lastError: reason, attempts: null, throttled: null });
  }

  async markFailed(seq: number, reason: string, counts: Pick<RetryPlan, 'attempts' | 'throttled'>): Promise<boolean> {
    return this.finish({ seq, status: 'failed', activityId: null, lastError: reason, ...counts });
  }

  async reschedule(seq: number, plan: RetryPlan): Promise<boolean> {
    return this.sql.rescheduleIfPending.run({ seq, ...plan, now: this.db.clock.now() }).changes > 0;
  }

  async dropPending(conversationId: string, reason: string): Promise<number> {
    return this.sql.dropAllPending.run(reason, this.db.clock.now(), conversationId).changes;
  }

  async prune(before: number): Promise<number> {
    return this.sql.deleteFinished.run(before).changes;
  }

  async pendingStats(): Promise<{ pending: number; oldestCreatedAt?: number }> {
    const row = this.sql.selectPendingStats.get();
    return { pending: row?.pending ?? 0, ...(row?.oldest == null ? {} : { oldestCreatedAt: row.oldest }) };
  }

  private finish(params: Omit<FinishParams, 'now'>): boolean {
    return this.sql.finishIfPending.run({ ...params, now: this.db.clock.now() }).changes > 0;
  }

  private insertParams(entry: NewOutboxEntry, kind: OutboxKind, targetKey: string | null): InsertParams {
    return {
      key: entry.key,
      conversationId: entry.conversationId,
      tenantId: entry.tenantId ?? null,
      kind,
      targetKey,
      payload: JSON.stringify(entry.message),
      status: entry.dropReason !== undefined ? 'dropped' : entry.sentActivityId !== undefined ? 'sent' : 'pending',
      notBefore: entry.notBefore,
      activityId: entry.dropReason === undefined ? (entry.sentActivityId ?? null) : null,
      lastError: entry.dropReason ?? null,
      now: this.db.clock.now(),
    };
  }
}

