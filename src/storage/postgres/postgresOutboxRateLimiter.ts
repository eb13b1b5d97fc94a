import { waitForRoom, type OutboxRateLimiter, type RateDecision, type RateLease, type RateLimits, type RateRequest } from '../../ports/outbox';
import type { QueryResult } from 'pg';
import { onConnection, type PostgresDatabase } from './postgresDatabase';

/** A request in flight stops counting as "now" after this long: its instance died before settling it. */
const OPEN_REQUEST_MAX_MS = 60_000;

/** Any constant: the namespace of the per-tenant advisory locks (the key is the tenant's hash). */
const RATE_LOCK_SPACE = 0x4c47_4202;

interface CountedRow {
  scope: 'tenant' | 'conversation' | 'hold';
  /** The tenant's key or the conversation's id. */
  key: string;
  at: number;
}

type Counted = { kind: 'wait'; delayMs: number; tenant: boolean } | { kind: 'go'; id: number; startAt?: number };

/**
 * A place that opens within this long is taken now, for a request that starts then: when a tenant's window is full,
 * its requests start as soon as it has room rather than a claim and a reservation (three round trips) later.
 */
const LOOKAHEAD_MS = 200;

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
    const [decision] = await this.tryBeginMany([{ conversationId, tenantKey }], now);
    if (!decision) throw new Error('the rate limiter decided nothing');
    return decision;
  }

  async tryBeginMany(requests: readonly RateRequest[], now: number): Promise<RateDecision[]> {
    if (requests.length === 0) return [];
    const decisions = await this.checkAndRecord(requests, now);
    return decisions.map((decision, i) => {
      if (decision.kind === 'go') return { kind: 'go', lease: this.lease(decision.id), ...(decision.startAt === undefined ? {} : { startAt: decision.startAt }) };
      const tenantKey = requests[i]?.tenantKey ?? '';
      // The latest answer is what the database says now (an earlier wait may have been cut short by a cancelled place).
      if (decision.tenant) this.tenantWaits.set(tenantKey, now + decision.delayMs);
      return decision;
    });
  }

  /**
   * Two round trips for a whole batch: the locks and the read, then the insert and the commit, each sent as one
   * simple query (hence the literals, escaped by the driver). Every instance waits on a tenant's lock for every
   * batch of that tenant; tenants are locked in one order (their keys sorted), so that two batches cannot deadlock.
   */
  private checkAndRecord(requests: readonly RateRequest[], now: number): Promise<Counted[]> {
    return onConnection(this.db.pool, async (client) => {
      const literal = (value: string) => client.escapeLiteral(value);
      const array = (values: readonly string[]) => `ARRAY[${values.map(literal).join(', ')}]::text[]`;
      const tenantKeys = [...new Set(requests.map((r) => r.tenantKey))].sort();
      const tenants = array(tenantKeys);
      const conversations = array([...new Set(requests.map((r) => r.conversationId))]);
      const at = Math.floor(now);
      const locks = tenantKeys.map((key) => `SELECT pg_advisory_xact_lock(${RATE_LOCK_SPACE}, hashtext(${literal(key)}));`).join('\n');
      const results = (await client.query(`BEGIN;
        ${locks}
        SELECT 'tenant' AS scope, tenant_key AS key, at FROM outbox_requests WHERE tenant_key = ANY(${tenants}) AND open_until IS NULL AND at > ${at - this.keepTenantMs}
        UNION ALL
        SELECT 'tenant', tenant_key, least(${at}, open_until) FROM outbox_requests WHERE tenant_key = ANY(${tenants}) AND open_until IS NOT NULL
        UNION ALL
        SELECT 'conversation', conversation_id, CASE WHEN open_until IS NULL THEN at ELSE least(${at}, open_until) END
          FROM outbox_requests WHERE conversation_id = ANY(${conversations}) AND (at > ${at - this.keepConversationMs} OR open_until IS NOT NULL)
        UNION ALL
        SELECT 'hold', tenant_key, until FROM outbox_tenant_holds WHERE tenant_key = ANY(${tenants}) AND until > ${at}`)) as unknown as QueryResult<CountedRow>[];
      const rows = results[results.length - 1]?.rows ?? [];
      // In flight: counted as now, or as its open_until once that passed (see the query).
      const counted = new Map<string, number[]>();
      const timesOf = (scope: CountedRow['scope'], key: string) => {
        let times = counted.get(`${scope}:${key}`);
        if (!times) counted.set(`${scope}:${key}`, (times = []));
        return times;
      };
      for (const row of rows) timesOf(row.scope, row.key).push(Number(row.at));
      // In order: a request let through counts, as in flight (now), for the ones after it.
      const decisions: Counted[] = [];
      const admitted: (RateRequest & { startAt: number })[] = [];
      for (const request of requests) {
        const held = Math.max(0, ...timesOf('hold', request.tenantKey).map((until) => until - at));
        const tenantTimes = timesOf('tenant', request.tenantKey);
        const conversationTimes = timesOf('conversation', request.conversationId);
        const tenantWait = Math.max(held, waitForRoom(tenantTimes, this.limits.perTenant, at));
        const delayMs = Math.max(tenantWait, waitForRoom(conversationTimes, this.limits.perConversation, at));
        if (delayMs > LOOKAHEAD_MS) {
          // Asked again once the place is near enough to take ahead.
          decisions.push({ kind: 'wait', delayMs: delayMs - LOOKAHEAD_MS, tenant: tenantWait > LOOKAHEAD_MS });
          continue;
        }
        // Taken now, it counts as in flight (as now) for everybody until settled: in the windows, wherever its
        // request will fall in them.
        tenantTimes.push(at);
        conversationTimes.push(at);
        admitted.push({ ...request, startAt: at + delayMs });
        decisions.push({ kind: 'go', id: -1, ...(delayMs > 0 ? { startAt: at + delayMs } : {}) });
      }
      if (admitted.length === 0) {
        await client.query('COMMIT');
        return decisions;
      }
      const values = admitted.map((r) => `(${literal(r.tenantKey)}, ${literal(r.conversationId)}, ${r.startAt}, ${r.startAt + OPEN_REQUEST_MAX_MS})`).join(', ');
      const inserted = (await client.query(`INSERT INTO outbox_requests (tenant_key, conversation_id, at, open_until)
          VALUES ${values} RETURNING id, conversation_id;
        COMMIT`)) as unknown as QueryResult<{ id: number; conversation_id: string }>[];
      // Matched by conversation (a batch has one request per conversation, but need not).
      const ids = new Map<string, number[]>();
      for (const row of inserted[0]?.rows ?? []) ids.set(row.conversation_id, [...(ids.get(row.conversation_id) ?? []), Number(row.id)]);
      return decisions.map((decision, i) => {
        if (decision.kind === 'wait') return decision;
        const id = ids.get(requests[i]?.conversationId ?? '')?.shift();
        if (id === undefined) throw new Error('a recorded request was not returned');
        return { ...decision, id };
      });
    });
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
