import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../ports/logger';

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * GET /metrics in Prometheus' text format, on a listener of its own (METRICS_PORT): loopback unless
 * METRICS_HOST says otherwise, so that nothing outside the host reads it unless an operator decides so.
 */
export async function startMetricsServer(registry: Registry, port: number, host: string, log: Logger): Promise<MetricsServer> {
  // No chaining on writeHead: restify, loaded in the same process, patches ServerResponse and returns nothing from it.
  const answer = (res: http.ServerResponse, status: number, contentType: string, body: string): void => {
    res.statusCode = status;
    res.setHeader('content-type', contentType);
    res.end(body);
  };
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      answer(res, 404, 'text/plain', 'not found\n');
      return;
    }
    registry.metrics().then(
      (text) => answer(res, 200, registry.contentType, text),
      (error: unknown) => {
        log.error({ err: error }, 'metrics scrape failed');
        answer(res, 500, 'text/plain', 'scrape failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actual}/metrics`;
  log.info({ url }, 'metrics listening');
  return {
    url,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
