import * as http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Sample {
  activityId: string;
  status: number;
  latencyMs: number;
}

export interface LoadResult {
  samples: Sample[];
  /** Wall-clock time from the first request sent to the last response read. */
  wallMs: number;
}

export interface LoadTarget {
  /** Base URL of the bot, e.g. http://127.0.0.1:1234 */
  url: string;
  /** A fresh activity for each request; its `id` identifies the reply at the capture server. */
  nextActivity(): { id: string; body: Record<string, unknown> };
}

/** Fails a request that has not answered by then, so that a stuck bot cannot hang the benchmark. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Sends `count` POST /api/messages with at most `concurrency` in flight. A request's latency runs from the
 * moment it is written until its response body has been read: CloudAdapter answers only after the turn
 * (and so the reply to the connector) has finished.
 */
export async function runLoad(target: LoadTarget, count: number, concurrency: number, agent: http.Agent): Promise<LoadResult> {
  const endpoint = new URL('/api/messages', target.url);
  const samples: Sample[] = [];
  let started = 0;

  const worker = async (): Promise<void> => {
    while (started < count) {
      started++;
      const { id, body } = target.nextActivity();
      const payload = JSON.stringify(body);
      const t0 = performance.now();
      const status = await post(endpoint, payload, agent);
      samples.push({ activityId: id, status, latencyMs: performance.now() - t0 });
    }
  };

  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { samples, wallMs: performance.now() - t0 };
}

function post(url: URL, payload: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no response from ${url.href} within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}
