import type { IncomingHttpHeaders } from 'node:http';
import { invalidRequestContent } from '../armError';

/** Query parameters, looked up case-insensitively (`$expand` = `$Expand`), already percent-decoded. */
export class QueryParams {
  constructor(readonly entries: readonly [string, string][]) {}

  get(name: string): string | undefined {
    const wanted = name.toLowerCase();
    return this.entries.find(([key]) => key.toLowerCase() === wanted)?.[1];
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries(this.entries);
  }
}

/** A request as handlers see it: path normalised (`//subscriptions` tolerated), query decoded, JSON body parsed. */
export interface EmulatorRequest {
  method: string;
  /** Doubled slashes collapsed, no trailing slash, still percent-encoded. */
  path: string;
  /** Percent-decoded path segments. */
  segments: string[];
  query: QueryParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  remoteAddress: string | undefined;
  /** Who is calling, for per-principal throttling: the bearer token as sent. */
  principal: string;
}

export interface RawRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  remoteAddress: string | undefined;
}

/** Splits path and query by hand: `new URL('//subscriptions/…', base)` would read a host from it. */
export function parseTarget(url: string): { path: string; segments: string[]; query: QueryParams } {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const path = `/${rawPath.split('/').filter((s) => s.length > 0).join('/')}`;
  const segments = path.split('/').slice(1).filter((s) => s.length > 0).map(decodeSegment);
  const query = new QueryParams([...new URLSearchParams(q < 0 ? '' : url.slice(q + 1)).entries()]);
  return { path, segments, query };
}

export function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidRequestContent('The request content was invalid and could not be deserialized as JSON.');
  }
}

export function bearerPrincipal(headers: IncomingHttpHeaders): string {
  const auth = headers.authorization;
  return typeof auth === 'string' && auth.trim() !== '' ? auth.trim() : 'anonymous';
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
