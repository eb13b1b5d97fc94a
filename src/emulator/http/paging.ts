import type { EmulatorRequest } from './request';

export interface Page<T> {
  value: T[];
  nextLink?: string;
}

/** What a page is cut from: an array, or a list that builds only the items asked for. */
export interface Sliceable<T> {
  readonly length: number;
  slice(start: number, end: number): T[];
}

export interface PageOptions {
  /**
   * Write the origin's port even when it is the default (`https://host:443/…`), as Lab Services' image list
   * does (labplan-images-list.json).
   */
  explicitPort?: boolean;
}

/**
 * One page of a list: `$top` (or the emulator's page size) items from `$skipToken`. The nextLink is
 * absolute on the facade origin and carries the whole query, api-version included, as ARM's do.
 */
export function pageOf<T>(items: Sliceable<T>, req: EmulatorRequest, facadeOrigin: string, defaultPageSize: number, options: PageOptions = {}): Page<T> {
  const top = Number(req.query.get('$top'));
  const size = Number.isInteger(top) && top > 0 ? top : defaultPageSize;
  const skipRaw = Number(req.query.get('$skipToken'));
  const skip = Number.isInteger(skipRaw) && skipRaw > 0 ? skipRaw : 0;
  const value = items.slice(skip, skip + size);
  if (skip + size >= items.length) return { value };
  const kept = req.query.entries.filter(([key]) => key.toLowerCase() !== '$skiptoken').map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  const origin = options.explicitPort ? withExplicitPort(facadeOrigin) : facadeOrigin;
  return { value, nextLink: `${origin}${req.path}?${[...kept, `$skipToken=${skip + size}`].join('&')}` };
}

function withExplicitPort(origin: string): string {
  const url = new URL(origin);
  if (url.port) return origin;
  return `${url.protocol}//${url.hostname}:${url.protocol === 'https:' ? 443 : 80}`;
}
