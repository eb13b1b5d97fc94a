import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedActivity {
  /** POST: a new activity (replyToId: what it answers); PUT: an update of the activity `replyToId`. */
  method: 'POST' | 'PUT';
  conversationId: string;
  replyToId?: string;
  activity: Record<string, unknown>;
}

export interface CaptureConnector {
  /** serviceUrl to put in activities sent to the bot. */
  url: string;
  received: CapturedActivity[];
  /** Resolves when `count` activities have arrived in total (before they are answered). */
  waitFor(count: number, timeoutMs?: number): Promise<CapturedActivity[]>;
  close(): Promise<void>;
}

/** A stand-in for the Bot Connector service: records every activity the bot sends and answers with an id. */
export async function startCaptureConnector(options: { delayMs?: number } = {}): Promise<CaptureConnector> {
  const received: CapturedActivity[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let nextId = 1;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
      if (!m || (req.method !== 'POST' && req.method !== 'PUT')) {
        res.writeHead(404);
        res.end();
        return;
      }
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      received.push({
        method: req.method,
        conversationId: decodeURIComponent(m[1] ?? ''),
        ...(m[2] ? { replyToId: decodeURIComponent(m[2]) } : {}),
        activity: body,
      });
      for (const w of waiters.filter((w) => received.length >= w.count)) w.resolve();
      const id = `activity-${nextId++}`;
      const answer = () => {
        // No chaining: restify, loaded in the same process, patches ServerResponse.writeHead to return nothing.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id }));
      };
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    waitFor(count, timeoutMs = 5000) {
      if (received.length >= count) return Promise.resolve(received.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} activities, got ${received.length}`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received.slice());
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let sequence = 0;

/** A Teams-shaped message activity as the Bot Connector would POST it to /api/messages. */
export function teamsMessage(
  serviceUrl: string,
  text: string,
  options: { locale?: string; aadObjectId?: string; conversationId?: string; userId?: string } = {},
): Record<string, unknown> {
  sequence++;
  return {
    type: 'message',
    id: `incoming-${sequence}`,
    channelId: 'msteams',
    serviceUrl,
    text,
    locale: options.locale ?? 'en-US',
    timestamp: new Date(0).toISOString(),
    from: { id: options.userId ?? 'user-1', name: 'Test User', aadObjectId: options.aadObjectId ?? '00000000-0000-0000-0000-0000000000aa' },
    recipient: { id: 'bot-1', name: 'Lab Gallery' },
    conversation: { id: options.conversationId ?? 'conversation-1', conversationType: 'personal', tenantId: 'tenant-1' },
    channelData: { tenant: { id: 'tenant-1' } },
  };
}
