import { waitForRoom, type OutboxRateLimiter, type RateDecision, type RateLease, type RateLimits } from '../../ports/outbox';
import type { QueryResult } from 'pg';
import type { PostgresDatabase } from './postgresDatabase';

/** A request in flight stops counting as "now" after this long: its instance died before settling it. */
const OPEN_REQUEST_MAX_MS = 60_000;

/** Any constant: the namespace of the per-tenant advisory locks (the key is the tenant's hash). */
const RATE_LOCK_SPACE = 0x4c47_4202;

interface CountedRow {
  scope: 'tenant' | 'conversation' | 'hold';
  at: number;
}

/**
 * Teams' limits for the whole fleet: every instance records its requests in `outbox_requests` and checks the
 * sliding windows over everybody's, under a transaction-scoped advisory lock per tenant, so that two instances
 * cannot both take the last place in a window. Same counting as SlidingWindowLimiter (a request counts from its
 * start while in flight, from its end once settled), on the instances' clocks.
 */
export class PostgresOutboxRateLimiter implements OutboxRateLimiter {
  private readonly keepConversationMs: number;
  private readonly keepTenantMs: number;
  /** What this instance learnt: no point asking the database before then. */
  private readonly tenantWaits = new Map<string, number>();

  constructor(
    private readonly db: PostgresDatabase,
    private readonly limits: RateLimits,
  ) {
    this.keepConversationMs = Math.max(0, ...limits.perConversation.map((w) => w.windowMs));
    this.keepTenantMs = Math.max(0, ...limits.perTenant.map((w) => w.windowMs));
  }

  delayFor(_conversationId: string, tenantKey: string, now: number): number {
    return Math.max(0, (this.tenantWaits.get(tenantKey) ?? 0) - now);
  }

  async tryBegin(conversationId: string, tenantKey: string, now: number): Promise<RateDecision> {
    const decision = await this.checkAndRecord(conversationId, tenantKey, now);
    if (decision.kind === 'wait') {
      if (decision.tenant) this.tenantWaits.set(tenantKey, now + decision.delayMs);
      return decision;
    }
    return { kind: 'go', lease: this.lease(decision.id) };
  }

  /**
   * Two round trips: the lock and the read, then the insert and the commit, each pair sent as one simple query
   * (hence the literals, escaped by the driver): every instance waits on the lock for every request of the tenant.
   */
  private async checkAndRecord(
    conversationId: string,
    tenantKey: string,
    now: number,
  ): Promise<{ kind: 'wait'; delayMs: number; tenant: boolean } | { kind: 'go'; id: number }> {
    const client = await this.db.pool.connect();
    let broken: Error | undefined;
    try {
      const tenant = client.escapeLiteral(tenantKey);
      const conversation = client.escapeLiteral(conversationId);
      const at = Math.floor(now);
      const results = (await client.query(`BEGIN;
        SELECT pg_advisory_xact_lock(${RATE_LOCK_SPACE}, hashtext(${tenant}));
        SELECT 'tenant' AS scope, at FROM outbox_requests WHERE tenant_key = ${tenant} AND open_until IS NULL AND at > ${at - this.keepTenantMs}
        UNION ALL
        SELECT 'tenant', least(${at}, open_until) FROM outbox_requests WHERE tenant_key = ${tenant} AND open_until IS NOT NULL
        UNION ALL
        SELECT 'conversation', CASE WHEN open_until IS NULL THEN at ELSE least(${at}, open_until) END
          FROM outbox_requests WHERE conversation_id = ${conversation} AND (at > ${at - this.keepConversationMs} OR open_until IS NOT NULL)
        UNION ALL
        SELECT 'hold', until FROM outbox_tenant_holds WHERE tenant_key = ${tenant} AND until > ${at}`)) as unknown as QueryResult<CountedRow>[];
      const rows = results[2]?.rows ?? [];
      // In flight: counted as now, or as its open_until once that passed (see the query).
      const times = (scope: CountedRow['scope']) => rows.filter((r) => r.scope === scope).map((r) => Number(r.at));
      const held = Math.max(0, ...times('hold').map((until) => until - at));
      const tenantWait = Math.max(held, waitForRoom(times('tenant'), this.limits.perTenant, at));
      const delayMs = Math.max(tenantWait, waitForRoom(times('conversation'), this.limits.perConversation, at));
      if (delayMs > 0) {
        await client.query('COMMIT');
        return { kind: 'wait', delayMs, tenant: tenantWait > 0 };
      }
      const inserted = (await client.query(`INSERT INTO outbox_requests (tenant_key, conversation_id, at, open_until)
          VALUES (${tenant}, ${conversation}, ${at}, ${at + OPEN_REQUEST_MAX_MS}) RETURNING id;
        COMMIT`)) as unknown as QueryResult<{ id: number }>[];
      return { kind: 'go', id: Number(inserted[0]?.rows[0]?.id) };
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async holdTenant(tenantKey: string, until: number): Promise<void> {
    this.tenantWaits.set(tenantKey, Math.max(until, this.tenantWaits.get(tenantKey) ?? 0));
    await this.db.pool.query({
      name: 'outboxRate.hold',
      text: `INSERT INTO outbox_tenant_holds (tenant_key, until) VALUES ($1, $2)
        ON CONFLICT (tenant_key) DO UPDATE SET until = greatest(outbox_tenant_holds.until, excluded.until)`,
      values: [tenantKey, until],
    });
  }

  async prune(now: number): Promise<void> {
    const keep = Math.max(this.keepConversationMs, this.keepTenantMs);
    await this.db.pool.query({
      name: 'outboxRate.prune',
      text: 'DELETE FROM outbox_requests WHERE coalesce(open_until, at) < $1',
      values: [now - keep],
    });
    await this.db.pool.query({ name: 'outboxRate.pruneHolds', text: 'DELETE FROM outbox_tenant_holds WHERE until < $1', values: [now] });
    for (const [tenant, until] of this.tenantWaits) if (until <= now) this.tenantWaits.delete(tenant);
  }

  private lease(id: number): RateLease {
    const { pool } = this.db;
    return {
      settle: async (at) => {
        await pool.query({
          name: 'outboxRate.settle',
          text: 'UPDATE outbox_requests SET at = greatest(at, $2), open_until = NULL WHERE id = $1',
          values: [id, at],
        });
      },
      cancel: async () => {
        await pool.query({ name: 'outboxRate.cancel', text: 'DELETE FROM outbox_requests WHERE id = $1', values: [id] });
      },
    };
  }
}
