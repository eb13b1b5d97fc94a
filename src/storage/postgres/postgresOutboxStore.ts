import type { ClaimedHead, HeadClaim, NewOutboxEntry, NewOutboxUpdate, OutboxKind, OutboxRecord, OutboxStatus, OutboxStore, RetryPlan } from '../../ports/outbox';
import { toRecord, type OutboxRow } from '../rows';
import { inTransaction, type PostgresDatabase } from './postgresDatabase';

const columns =
  'seq, key, conversation_id, tenant_id, kind, target_key, payload, status, attempts, throttled, not_before, ' +
  'activity_id, last_error, created_at, updated_at, claimed_by, claimed_until';

const insertIfAbsent = `INSERT INTO outbox (key, conversation_id, tenant_id, kind, target_key, payload, status, attempts, throttled,
    not_before, activity_id, last_error, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $8, $11, $9, $10, $10)
  ON CONFLICT (key) DO NOTHING
  RETURNING ${columns}`;

type InsertValues = [string, string, string | null, OutboxKind, string | null, string, OutboxStatus, number, string | null, number, string | null];

/**
 * As SqliteOutboxStore: every statement that finishes or reschedules a row carries `status = 'pending'` in its
 * WHERE. `enqueueUpdate` replaces the pending update of its target in one transaction, serialised per target by
 * an advisory lock so that two instances queueing updates of one card cannot both pass the delete.
 * Several instances may deliver: `claim` gives a row to one of them for a while (a lease: a dead instance's claim
 * lapses), and only the head of a conversation can be claimed, which keeps each conversation's order.
 */
export class PostgresOutboxStore implements OutboxStore {
  constructor(private readonly db: PostgresDatabase) {}

  async enqueueSend(entry: NewOutboxEntry): Promise<boolean> {
    const result = await this.db.pool.query({ name: 'outbox.insertIfAbsent', text: insertIfAbsent, values: this.insertValues(entry, 'send', null) });
    return result.rowCount === 1;
  }

  async enqueueSendByReference(entry: Omit<NewOutboxEntry, 'tenantId' | 'dropReason' | 'sentActivityId'>, noReference: string): Promise<'pending' | 'dropped' | undefined> {
    const { rows } = await this.db.pool.query<{ status: 'pending' | 'dropped' }>({
      name: 'outbox.insertByReference',
      text: `INSERT INTO outbox (key, conversation_id, tenant_id, kind, target_key, payload, status, attempts, throttled,
          not_before, activity_id, last_error, created_at, updated_at)
        SELECT $1, $2, ref.tenant_id, 'send', NULL, $3, CASE WHEN ref.conversation_id IS NULL THEN 'dropped' ELSE 'pending' END, 0, 0,
          $4, NULL, CASE WHEN ref.conversation_id IS NULL THEN $5 END, $6, $6
        FROM (SELECT 1) AS one LEFT JOIN conversation_refs AS ref ON ref.conversation_id = $2
        ON CONFLICT (key) DO NOTHING
        RETURNING status`,
      values: [entry.key, entry.conversationId, JSON.stringify(entry.message), entry.notBefore, noReference, this.db.clock.now()],
    });
    return rows[0]?.status;
  }

  async enqueueUpdate(entry: NewOutboxUpdate): Promise<OutboxRecord> {
    const values = this.insertValues(entry, 'update', entry.targetKey);
    const row = await inTransaction(this.db.pool, async (client) => {
      if (values[6] === 'pending') {
        await client.query({ name: 'outbox.lockTarget', text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', values: [entry.targetKey] });
        await client.query({
          name: 'outbox.deletePendingUpdate',
          text: "DELETE FROM outbox WHERE target_key = $1 AND status = 'pending' AND kind = 'update'",
          values: [entry.targetKey],
        });
      }
      const { rows } = await client.query<OutboxRow>({ name: 'outbox.insertIfAbsent', text: insertIfAbsent, values });
      // Throwing rolls the delete back: the update it would have replaced stays queued.
      const [inserted] = rows;
      if (!inserted) throw new Error(`outbox key ${entry.key} is already taken`);
      return inserted;
    });
    return toRecord(row);
  }

  async get(key: string): Promise<OutboxRecord | undefined> {
    const { rows } = await this.db.pool.query<OutboxRow>({ name: 'outbox.selectByKey', text: `SELECT ${columns} FROM outbox WHERE key = $1`, values: [key] });
    const [row] = rows;
    return row && toRecord(row);
  }

  async nextPending(conversationId: string): Promise<OutboxRecord | undefined> {
    const { rows } = await this.db.pool.query<OutboxRow>({
      name: 'outbox.selectNextPending',
      text: `SELECT ${columns} FROM outbox WHERE conversation_id = $1 AND status = 'pending' ORDER BY seq LIMIT 1`,
      values: [conversationId],
    });
    const [row] = rows;
    return row && toRecord(row);
  }

  async pendingConversations(): Promise<string[]> {
    const { rows } = await this.db.pool.query<{ conversation_id: string }>({
      name: 'outbox.selectPendingConversations',
      text: "SELECT conversation_id FROM outbox WHERE status = 'pending' GROUP BY conversation_id ORDER BY min(seq)",
    });
    return rows.map((row) => row.conversation_id);
  }

  async claim(seq: number, claim: { owner: string; now: number; until: number }): Promise<boolean> {
    // A concurrent claim waits on the row lock, then re-reads the row: the second of two instances finds it claimed.
    const result = await this.db.pool.query({
      name: 'outbox.claimHead',
      text: `UPDATE outbox SET claimed_by = $2, claimed_until = $4
        WHERE seq = $1 AND status = 'pending' AND not_before <= $3
          AND (claimed_until IS NULL OR claimed_until <= $3 OR claimed_by = $2)
          AND NOT EXISTS (SELECT 1 FROM outbox AS earlier WHERE earlier.conversation_id = outbox.conversation_id
            AND earlier.status = 'pending' AND earlier.seq < outbox.seq)`,
      values: [seq, claim.owner, claim.now, claim.until],
    });
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * One statement: the heads as the snapshot has them, and an UPDATE claiming those it may. Two instances claiming
   * one head at once: the second waits on the row lock, re-reads the row and finds it claimed (as in `claim`).
   */
  async claimHeads(conversationIds: readonly string[], claim: HeadClaim): Promise<ClaimedHead[]> {
    if (conversationIds.length === 0) return [];
    const dueBy = Math.min(claim.now, claim.dueBy ?? claim.now);
    const { rows } = await this.db.pool.query<OutboxRow & { claimed: boolean }>({
      name: 'outbox.claimHeads',
      text: `WITH heads AS (
          SELECT DISTINCT ON (conversation_id) ${columns} FROM outbox
          WHERE conversation_id = ANY($1::text[]) AND status = 'pending' ORDER BY conversation_id, seq
        ), claimed AS (
          UPDATE outbox SET claimed_by = $2, claimed_until = $4
          FROM heads WHERE outbox.seq = heads.seq AND outbox.status = 'pending' AND outbox.not_before <= $5
            AND (outbox.claimed_until IS NULL OR outbox.claimed_until <= $3 OR outbox.claimed_by = $2)
            AND NOT EXISTS (SELECT 1 FROM outbox AS earlier WHERE earlier.conversation_id = outbox.conversation_id
              AND earlier.status = 'pending' AND earlier.seq < outbox.seq)
          RETURNING outbox.seq
        )
        SELECT heads.*, EXISTS (SELECT 1 FROM claimed WHERE claimed.seq = heads.seq) AS claimed FROM heads`,
      values: [conversationIds, claim.owner, claim.now, claim.until, dueBy],
    });
    const byConversation = new Map(rows.map((row) => [row.conversation_id, row]));
    // In the order asked for: the loop's round-robin order.
    return conversationIds.flatMap((id) => {
      const row = byConversation.get(id);
      return row ? [{ head: toRecord(row), claimed: row.claimed }] : [];
    });
  }

  async release(seqs: readonly number[], owner: string): Promise<void> {
    if (seqs.length === 0) return;
    await this.db.pool.query({
      name: 'outbox.release',
      text: "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE seq = ANY($1::bigint[]) AND claimed_by = $2 AND status = 'pending'",
      values: [seqs, owner],
    });
  }

  markSent(seq: number, activityId: string | undefined): Promise<boolean> {
    return this.finish(seq, 'sent', activityId || null, null, null, null);
  }

  markDropped(seq: number, reason: string): Promise<boolean> {
    return this.finish(seq, 'dropped', null, reason, null, null);
  }

  markFailed(seq: number, reason: string, counts: Pick<RetryPlan, 'attempts' | 'throttled'>): Promise<boolean> {
    return this.finish(seq, 'failed', null, reason, counts.attempts, counts.throttled);
  }

  async reschedule(seq: number, plan: RetryPlan): Promise<boolean> {
    const result = await this.db.pool.query({
      name: 'outbox.rescheduleIfPending',
      text: `UPDATE outbox SET not_before = $2, attempts = $3, throttled = $4, last_error = $5, updated_at = $6,
          claimed_by = NULL, claimed_until = NULL
        WHERE seq = $1 AND status = 'pending'`,
      values: [seq, plan.notBefore, plan.attempts, plan.throttled, plan.lastError, this.db.clock.now()],
    });
    return (result.rowCount ?? 0) > 0;
  }

  async dropPending(conversationId: string, reason: string): Promise<number> {
    const result = await this.db.pool.query({
      name: 'outbox.dropAllPending',
      text: `UPDATE outbox SET status = 'dropped', last_error = $1, updated_at = $2, claimed_by = NULL, claimed_until = NULL
        WHERE conversation_id = $3 AND status = 'pending'`,
      values: [reason, this.db.clock.now(), conversationId],
    });
    return result.rowCount ?? 0;
  }

  async pendingStats(): Promise<{ pending: number; oldestCreatedAt?: number }> {
    const { rows } = await this.db.pool.query<{ pending: string; oldest: string | null }>({
      name: 'outbox.pendingStats',
      text: "SELECT count(*) AS pending, min(created_at) AS oldest FROM outbox WHERE status = 'pending'",
    });
    const row = rows[0];
    // count() and bigint columns come back as strings.
    return { pending: Number(row?.pending ?? 0), ...(row?.oldest == null ? {} : { oldestCreatedAt: Number(row.oldest) }) };
  }

  async prune(before: number): Promise<number> {
    const result = await this.db.pool.query({
      name: 'outbox.deleteFinished',
      text: "DELETE FROM outbox WHERE status <> 'pending' AND updated_at < $1",
      values: [before],
    });
    return result.rowCount ?? 0;
  }

  /** null keeps the stored value. */
  private async finish(
    seq: number,
    status: OutboxStatus,
    activityId: string | null,
    lastError: string | null,
    attempts: number | null,
    throttled: number | null,
  ): Promise<boolean> {
    const result = await this.db.pool.query({
      name: 'outbox.finishIfPending',
      text: `UPDATE outbox SET status = $2, claimed_by = NULL, claimed_until = NULL, activity_id = coalesce($3, activity_id), last_error = coalesce($4, last_error),
          attempts = coalesce($5::integer, attempts), throttled = coalesce($6::integer, throttled), updated_at = $7
        WHERE seq = $1 AND status = 'pending'`,
      values: [seq, status, activityId, lastError, attempts, throttled, this.db.clock.now()],
    });
    return (result.rowCount ?? 0) > 0;
  }

  private insertValues(entry: NewOutboxEntry, kind: OutboxKind, targetKey: string | null): InsertValues {
    return [
      entry.key,
      entry.conversationId,
      entry.tenantId ?? null,
      kind,
      targetKey,
      JSON.stringify(entry.message),
      entry.dropReason !== undefined ? 'dropped' : entry.sentActivityId !== undefined ? 'sent' : 'pending',
      entry.notBefore,
      entry.dropReason ?? null,
      this.db.clock.now(),
      entry.dropReason === undefined ? (entry.sentActivityId ?? null) : null,
    ];
  }
}
