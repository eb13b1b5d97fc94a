import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRateWindow {
  limit: number;
  windowMs: number;
}

export interface FakeConnectorLimits {
  perConversation: readonly FakeRateWindow[];
  perTenant: readonly FakeRateWindow[];
}

/** Teams' limits for one bot, written out here on purpose rather than imported from the outbox under test. */
export const TEAMS_LIMITS: FakeConnectorLimits = {
  perConversation: [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1_800, windowMs: 3_600_000 },
  ],
  perTenant: [{ limit: 50, windowMs: 1_000 }],
};

/** The next `times` requests to a conversation are answered so; 'reset' closes the socket without an answer. */
export type Fault =
  | { status: 403 | 404 | 412 | 500 | 502 | 503 | 504; times: number }
  | { status: 429; times: number; retryAfterSeconds?: number }
  | { status: 'reset'; times: number };

export interface AcceptedActivity {
  method: 'POST' | 'PUT';
  conversationId: string;
  tenantId?: string;
  /** The id the connector gave (POST) or the one replaced (PUT). */
  activityId: string;
  activity: Record<string, unknown>;
  arrivedAt: number;
}

export interface AnsweredRequest {
  method: string;
  conversationId: string;
  tenantId?: string;
  status: number | 'reset';
  arrivedAt: number;
  /** Why the fake refused: 'limit' (its own rate limits), 'fault' (scripted), 'removed' (403 forever). */
  refusal?: 'limit' | 'fault' | 'removed' | 'unknown activity';
}

export interface FakeBotConnector {
  /** serviceUrl for the conversation references. */
  url: string;
  /** Accepted POSTs and PUTs, in arrival order. */
  accepted: AcceptedActivity[];
  /** Every request, in arrival order, with its answer. */
  requests: AnsweredRequest[];
  /** 429s answered, scripted or enforced. */
  throttled(): number;
  /** 429s the fake's own rate limits answered. */
  limited(): number;
  /** Queues a fault for the next requests to that conversation (faults queue up in order). */
  fail(conversationId: string, fault: Fault): void;
  /** From now on every request to the conversation is answered 403, as after the bot was removed. */
  removeBot(conversationId: string): void;
  /** Texts (or card summaries) of the accepted POSTs to a conversation, in order. */
  textsOf(conversationId: string): string[];
  /** What the activity shows now (its last accepted POST or PUT). */
  current(activityId: string): Record<string, unknown> | undefined;
  /** Resolves once the predicate holds after some request; rejects with `what` after the timeout. */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  waitForAccepted(count: number, timeoutMs?: number): Promise<AcceptedActivity[]>;
  close(): Promise<void>;
}

export interface FakeBotConnectorOptions {
  limits?: FakeConnectorLimits;
  /** Delay before each answer. */
  delayMs?: number;
  now?: () => number;
}

/**
 * A stand-in for the Teams Bot Connector: POST /v3/conversations/{id}/activities[/{replyToId}] and
 * PUT /v3/conversations/{id}/activities/{activityId}, with Teams' rate limits enforced on the accepted
 * requests' arrival times (429 + Retry-After in whole seconds) and scripted faults per conversation.
 */
export async function startFakeBotConnector(options: FakeBotConnectorOptions = {}): Promise<FakeBotConnector> {
  const limits = options.limits ?? TEAMS_LIMITS;
  const now = options.now ?? Date.now;
  const accepted: AcceptedActivity[] = [];
  const requests: AnsweredRequest[] = [];
  const faults = new Map<string, Fault[]>();
  const removed = new Set<string>();
  const activities = new Map<string, { conversationId: string; activity: Record<string, unknown> }>();
  const arrivals = { conversation: new Map<string, number[]>(), tenant: new Map<string, number[]>() };
  const waiters = new Set<() => void>();
  const delayed = new Set<ReturnType<typeof setTimeout>>();
  const keepMs = Math.max(...[...limits.perConversation, ...limits.perTenant].map((w) => w.windowMs));
  let nextId = 1;

  const notify = () => {
    for (const check of [...waiters]) check();
  };

  /** Ms until each window has room, 0 when it has now. */
  const waitMs = (times: readonly number[] | undefined, windows: readonly FakeRateWindow[], at: number): number => {
    let longest = 0;
    for (const { limit, windowMs } of windows) {
      const inWindow = (times ?? []).filter((t) => t > at - windowMs);
      if (inWindow.length >= limit) longest = Math.max(longest, (inWindow[inWindow.length - limit] ?? at) + windowMs - at);
    }
    return longest;
  };

  const nextFault = (conversationId: string): Fault | undefined => {
    const queue = faults.get(conversationId);
    const fault = queue?.[0];
    if (!queue || !fault) return undefined;
    if (--fault.times <= 0) queue.shift();
    return fault;
  };

  const answer = (res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    const send = () => {
      // No chaining: restify, loaded in the same process, patches ServerResponse.writeHead to return nothing.
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (!options.delayMs) return send();
    const timer = setTimeout(() => {
      delayed.delete(timer);
      send();
    }, options.delayMs);
    delayed.add(timer);
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, raw: string) => {
    const arrivedAt = now();
    const m = /^\/v3\/conversations\/([^/?]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    const method = req.method ?? '';
    if (!m || (method !== 'POST' && method !== 'PUT') || (method === 'PUT' && !m[2])) {
      answer(res, 404, { error: { code: 'NotFound', message: 'no such route' } });
      return;
    }
    const conversationId = decodeURIComponent(m[1] ?? '');
    const pathId = m[2] ? decodeURIComponent(m[2]) : undefined;
    const activity = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    const conversation = activity.conversation as { tenantId?: string } | undefined;
    const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
    const tenantId = conversation?.tenantId ?? channelData?.tenant?.id;
    const record = (status: number | 'reset', refusal?: AnsweredRequest['refusal']) =>
      requests.push({ method, conversationId, ...(tenantId ? { tenantId } : {}), status, arrivedAt, ...(refusal ? { refusal } : {}) });

    if (removed.has(conversationId)) {
      record(403, 'removed');
      answer(res, 403, { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } });
      return;
    }
    const fault = nextFault(conversationId);
    if (fault?.status === 'reset') {
      record('reset', 'fault');
      req.socket.destroy();
      return;
    }
    if (fault) {
      record(fault.status, 'fault');
      const retryAfter: Record<string, string> =
        fault.status === 429 && fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      answer(res, fault.status, { error: { code: 'Scripted', message: `scripted ${fault.status}` } }, retryAfter);
      return;
    }
    const tenantKey = tenantId ?? '';
    const wait = Math.max(
      waitMs(arrivals.conversation.get(conversationId), limits.perConversation, arrivedAt),
      waitMs(arrivals.tenant.get(tenantKey), limits.perTenant, arrivedAt),
    );
    if (wait > 0) {
      record(429, 'limit');
      answer(res, 429, { error: { code: 'Throttled', message: 'Too many requests' } }, { 'retry-after': String(Math.ceil(wait / 1000)) });
      return;
    }
    if (method === 'PUT' && (!pathId || activities.get(pathId)?.conversationId !== conversationId)) {
      record(404, 'unknown activity');
      answer(res, 404, { error: { code: 'ActivityNotFound', message: 'Unknown activity' } });
      return;
    }
    for (const [map, key] of [
      [arrivals.conversation, conversationId],
      [arrivals.tenant, tenantKey],
    ] as const) {
      map.set(key, [...(map.get(key) ?? []).filter((t) => t > arrivedAt - keepMs), arrivedAt]);
    }
    const activityId = method === 'PUT' && pathId ? pathId : `activity-${nextId++}`;
    activities.set(activityId, { conversationId, activity });
    accepted.push({ method: method as 'POST' | 'PUT', conversationId, ...(tenantId ? { tenantId } : {}), activityId, activity, arrivedAt });
    record(200);
    answer(res, 200, { id: activityId });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        answer(res, 500, { error: { code: 'FakeConnectorError', message: String(error) } });
      }
      notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const waitFor = (predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> => {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`fake Bot Connector: ${what} did not happen within ${timeoutMs} ms (${accepted.length} accepted, ${requests.length} requests)`));
      }, timeoutMs);
      waiters.add(check);
    });
  };

  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    requests,
    throttled: () => requests.filter((r) => r.status === 429).length,
    limited: () => requests.filter((r) => r.refusal === 'limit').length,
    fail(conversationId, fault) {
      faults.set(conversationId, [...(faults.get(conversationId) ?? []), { ...fault }]);
    },
    removeBot(conversationId) {
      removed.add(conversationId);
    },
    textsOf(conversationId) {
      return accepted.filter((a) => a.conversationId === conversationId && a.method === 'POST').map((a) => textOf(a.activity));
    },
    current(activityId) {
      return activities.get(activityId)?.activity;
    },
    waitFor,
    async waitForAccepted(count, timeoutMs) {
      await waitFor(() => accepted.length >= count, `${count} accepted activities`, timeoutMs);
      return accepted.slice();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const check of waiters) waiters.delete(check);
        for (const timer of delayed) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An activity's text, or its card summary. */
export function textOf(activity: Record<string, unknown>): string {
  if (typeof activity.text === 'string') return activity.text;
  return typeof activity.summary === 'string' ? activity.summary : '';
}
