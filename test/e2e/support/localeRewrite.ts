import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocaleRewrite {
  /** Give this to the Playground as the bot's endpoint. */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Between the Playground and the bot: stamps `locale` (on the activity and its clientInfo entity) on every
 * activity. The Playground 0.2.28 hard-codes "en-US" whatever its process's or its browser's language; Teams
 * sends the person's own. Everything else (bodies, headers, answers) passes through unchanged.
 */
export async function startLocaleRewrite(botEndpoint: string, locale: string): Promise<LocaleRewrite> {
  const target = new URL(botEndpoint);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      try {
        const activity = JSON.parse(body.toString('utf8')) as { locale?: string; entities?: { type?: string; locale?: string }[] };
        activity.locale = locale;
        for (const entity of activity.entities ?? []) if (entity.type === 'clientInfo') entity.locale = locale;
        body = Buffer.from(JSON.stringify(activity));
      } catch {
        // Not JSON: pass it on as it came.
      }
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      const forwarded = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forwarded.on('error', () => res.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}${target.pathname}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
