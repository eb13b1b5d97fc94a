import type { EmulatorRequest } from './request';

export interface Page<T> {
  value: T[];
  nextLink?: string;
}

/**
 * One page of a list: `$top` (or the emulator's page size) items from `$skipToken`. The nextLink is
 * absolute on the facade origin and carries the whole query, api-version included, as ARM's do.
 */
export function pageOf<T>(items: readonly T[], req: EmulatorRequest, facadeOrigin: string, defaultPageSize: number): Page<T> {
  const top = Number(req.query.get('$top'));
  const size = Number.isInteger(top) && top > 0 ? top : defaultPageSize;
  const skipRaw = Number(req.query.get('$skipToken'));
  const skip = Number.isInteger(skipRaw) && skipRaw > 0 ? skipRaw : 0;
  const value = items.slice(skip, skip + size);
  if (skip + size >= items.length) return { value };
  const kept = req.query.entries.filter(([key]) => key.toLowerCase() !== '$skiptoken').map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return { value, nextLink: `${facadeOrigin}${req.path}?${[...kept, `$skipToken=${skip + size}`].join('&')}` };
}
