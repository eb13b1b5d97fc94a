import { waitForRoom, type OutboxRateLimiter, type RateDecision, type RateLease, type RateLimits } from '../../ports/outbox';
import { inTransaction, type PostgresDatabase } from './postgresDatabase';

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
    const decision = await inTransaction(this.db.pool, async (client) => {
      await client.query({ name: 'outboxRate.lock', text: 'SELECT pg_advisory_xact_lock($1, hashtext($2))', values: [RATE_LOCK_SPACE, tenantKey] });
      const { rows } = await client.query<CountedRow>({
        name: 'outboxRate.counted',
        // In flight: counts as now, or as its open_until once that passed.
        text: `SELECT 'tenant' AS scope, at FROM outbox_requests WHERE tenant_key = $1 AND open_until IS NULL AND at > $3::bigint - $4::bigint
          UNION ALL
          SELECT 'tenant', least($3::bigint, open_until) FROM outbox_requests WHERE tenant_key = $1 AND open_until IS NOT NULL
          UNION ALL
          SELECT 'conversation', CASE WHEN open_until IS NULL THEN at ELSE least($3::bigint, open_until) END
            FROM outbox_requests WHERE conversation_id = $2 AND (at > $3::bigint - $5::bigint OR open_until IS NOT NULL)
          UNION ALL
          SELECT 'hold', until FROM outbox_tenant_holds WHERE tenant_key = $1 AND until > $3::bigint`,
        values: [tenantKey, conversationId, now, this.keepTenantMs, this.keepConversationMs],
      });
      const times = (scope: CountedRow['scope']) => rows.filter((r) => r.scope === scope).map((r) => Number(r.at));
      const held = Math.max(0, ...times('hold').map((until) => until - now));
      const tenant = Math.max(held, waitForRoom(times('tenant'), this.limits.perTenant, now));
      const delayMs = Math.max(tenant, waitForRoom(times('conversation'), this.limits.perConversation, now));
      if (delayMs > 0) return { kind: 'wait' as const, delayMs, tenant: tenant > 0 };
      const inserted = await client.query<{ id: number }>({
        name: 'outboxRate.begin',
        text: 'INSERT INTO outbox_requests (tenant_key, conversation_id, at, open_until) VALUES ($1, $2, $3, $4) RETURNING id',
        values: [tenantKey, conversationId, now, now + OPEN_REQUEST_MAX_MS],
      });
      return { kind: 'go' as const, id: Number(inserted.rows[0]?.id) };
    });
    if (decision.kind === 'wait') {
      if (decision.tenant) this.tenantWaits.set(tenantKey, now + decision.delayMs);
      return decision;
    }
    return { kind: 'go', lease: this.lease(decision.id) };
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
