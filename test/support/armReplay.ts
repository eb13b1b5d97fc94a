import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { createArmConnection, type ArmConnection } from '../../src/azure/armConnection';

/**
 * Contract tests against real ARM traffic: a server that answers with a recording's responses, in order, and
 * notes every way the adapter's requests differ from the recorded ones (method, path, api-version, other query
 * parameters, request body shape). A test drives an adapter through `connection`, then expects `mismatches()`
 * to be empty and usually `unserved()` too.
 *
 * The recordings (test/fixtures/azure-recordings/, see its README) address https://management.azure.com; the
 * adapters send their requests there and the facade HTTP client carries them to this server, so absolute
 * nextLink / Location / Azure-AsyncOperation URLs from the recording are followed as given.
 */

export interface RecordedExchange {
  method: string;
  url: string;
  requestBody?: unknown;
  status: number;
  responseHeaders?: Record<string, string>;
  responseBody?: unknown;
}

export const RECORDED_ORIGIN = 'https://management.azure.com';
const RECORDINGS_DIR = path.join(__dirname, '..', 'fixtures', 'azure-recordings');

export function loadRecording(fileName: string): RecordedExchange[] {
  return JSON.parse(fs.readFileSync(path.join(RECORDINGS_DIR, fileName), 'utf8')) as RecordedExchange[];
}

export interface ReplayOptions {
  /**
   * Recorded api-version → the one our SDK sends, where they differ. Each entry is a declared deviation (the
   * service advertises both); any other difference is a mismatch. URLs the recording handed out in a `Location`,
   * `Azure-AsyncOperation` or `Operation-Location` header are exempt: a client polls them as given.
   */
  apiVersions?: Record<string, string>;
  /** Request body paths (as printed in mismatches, e.g. `properties.storageProfile`) whose presence is not compared. */
  ignoreBodyPaths?: string[];
}

export interface ArmReplay {
  url: string;
  /** An ArmConnection whose adapters reach this server (static token, short poll intervals, no retries). */
  connection: ArmConnection;
  /** What differed, one line per problem, with the exchange's index. Empty when the adapter matched the recording. */
  mismatches(): string[];
  /** The recorded exchanges not asked for yet. */
  unserved(): RecordedExchange[];
  /** Requests served so far (matched or not). */
  served(): number;
  close(): Promise<void>;
}

const LRO_HEADERS = new Set(['location', 'azure-asyncoperation', 'operation-location']);

/** Signed poll-URL parameters: opaque to clients, compared only for presence. */
const SIGNATURE_PARAMS = new Set(['t', 'c', 's', 'h']);

export async function startArmReplay(exchanges: readonly RecordedExchange[], options: ReplayOptions = {}): Promise<ArmReplay> {
  const problems: string[] = [];
  /** URLs the replay handed out in LRO headers: polled as given, so their api-version is never mapped. */
  const handedOut = new Set<string>();
  /** Paths the client has written to (lowercase, no query): resources, whose reads use the client's api-version. */
  const written = new Set<string>();
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const index = next;
      const expected = exchanges[index];
      const actual = { method: req.method ?? 'GET', url: req.url ?? '/', body: Buffer.concat(chunks).toString('utf8') };
      if (!expected) {
        problems.push(`#${index}: unexpected ${actual.method} ${actual.url} after the recording ended`);
        // Not chained: restify, loaded by other test files in the same worker, patches writeHead to return nothing.
        res.writeHead(599, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"ReplayEnded","message":"no more recorded exchanges"}}');
        return;
      }
      next++;
      // A PUT's `Location` may be the resource itself, which the client reads with its own api-version.
      const asGiven = handedOut.has(expected.url.toLowerCase()) && !written.has(pathOf(expected.url));
      if (expected.method.toUpperCase() !== 'GET') written.add(pathOf(expected.url));
      problems.push(...compareRequest(index, expected, actual, asGiven ? { ...options, apiVersions: {} } : options));
      for (const [name, value] of Object.entries(expected.responseHeaders ?? {})) {
        if (LRO_HEADERS.has(name.toLowerCase())) handedOut.add(value.toLowerCase());
      }
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      for (const [name, value] of Object.entries(expected.responseHeaders ?? {})) {
        // The recorded Retry-After would make the SDK's poller wait in real time for nothing.
        headers[name.toLowerCase()] = name.toLowerCase() === 'retry-after' ? '0' : value;
      }
      const body = expected.responseBody === undefined || expected.responseBody === null ? '' : JSON.stringify(expected.responseBody);
      res.writeHead(expected.status, headers);
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const connection = createArmConnection(
    { mode: 'emulator', subscriptionId: '00000000-0000-0000-0000-00000000000a', emulatorUrl: url, facadeOrigin: RECORDED_ORIGIN },
    { pollIntervalMs: 1, settleTimeoutMs: 50, retryOptions: { maxRetries: 0 } },
  );
  return {
    url,
    connection,
    mismatches: () => [...problems],
    unserved: () => exchanges.slice(next),
    served: () => next,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function compareRequest(
  index: number,
  expected: RecordedExchange,
  actual: { method: string; url: string; body: string },
  options: ReplayOptions,
): string[] {
  const out: string[] = [];
  const label = `#${index} ${expected.method} ${shortPath(expected.url)}`;
  if (actual.method.toUpperCase() !== expected.method.toUpperCase()) out.push(`${label}: method ${actual.method}`);
  const want = new URL(expected.url.replace(/^https:\/\/management\.azure\.com(:443)?/i, 'http://replay'));
  const got = new URL(`http://replay${actual.url}`);
  if (decodeURIComponent(got.pathname).toLowerCase() !== decodeURIComponent(want.pathname).toLowerCase()) {
    out.push(`${label}: path ${got.pathname}`);
  }
  const recordedVersion = want.searchParams.get('api-version') ?? '';
  const wantVersion = options.apiVersions?.[recordedVersion] ?? recordedVersion;
  if ((got.searchParams.get('api-version') ?? '') !== wantVersion) {
    out.push(`${label}: api-version ${got.searchParams.get('api-version')} (recorded ${recordedVersion}${wantVersion !== recordedVersion ? `, declared ${wantVersion}` : ''})`);
  }
  const otherParams = (u: URL): string[] =>
    [...u.searchParams.entries()]
      .filter(([k]) => k !== 'api-version')
      .map(([k, v]) => (SIGNATURE_PARAMS.has(k) ? `${k}=…` : `${k}=${v}`))
      .sort();
  const [gotParams, wantParams] = [otherParams(got), otherParams(want)];
  if (gotParams.join('&') !== wantParams.join('&')) out.push(`${label}: query ${gotParams.join('&') || '(none)'} (recorded ${wantParams.join('&') || '(none)'})`);
  const hasRecordedBody = expected.requestBody !== undefined && expected.requestBody !== null && expected.requestBody !== '';
  if (hasRecordedBody || actual.body.length > 0) {
    let parsed: unknown;
    try {
      parsed = actual.body.length > 0 ? JSON.parse(actual.body) : undefined;
    } catch {
      out.push(`${label}: body is not JSON`);
      return out;
    }
    const ignore = options.ignoreBodyPaths ?? [];
    const keep = (p: string): boolean => !ignore.some((i) => p === i || p.startsWith(`${i}.`) || p.startsWith(`${i}[]`) || p.startsWith(`${i}:`));
    const wantShape = new Set(bodyShape(expected.requestBody).filter(keep));
    const gotShape = new Set(bodyShape(parsed).filter(keep));
    const missing = [...wantShape].filter((p) => !gotShape.has(p));
    const extra = [...gotShape].filter((p) => !wantShape.has(p));
    if (missing.length > 0) out.push(`${label}: body lacks ${missing.join(', ')}`);
    if (extra.length > 0) out.push(`${label}: body has unrecorded ${extra.join(', ')}`);
  }
  return out;
}

/** Every key path of a JSON value with its type (`properties.regions[]:string`); values themselves are ignored. */
export function bodyShape(value: unknown, prefix = ''): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) {
    const inner = [...new Set(value.flatMap((v) => bodyShape(v, `${prefix}[]`)))];
    return inner.length > 0 ? inner : [`${prefix}[]`];
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [`${prefix || '$'}:{}`];
    return entries.flatMap(([k, v]) => bodyShape(v, prefix ? `${prefix}.${k}` : k));
  }
  return [`${prefix || '$'}:${value === null ? 'null' : typeof value}`];
}

function pathOf(url: string): string {
  return (url.replace(/^https:\/\/[^/]+/, '').split('?')[0] ?? url).toLowerCase();
}

function shortPath(url: string): string {
  const p = url.replace(/^https:\/\/[^/]+/, '').split('?')[0] ?? url;
  return p.length > 90 ? `…${p.slice(-90)}` : p;
}
