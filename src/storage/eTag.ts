import { randomUUID } from 'node:crypto';

/**
 * A fresh eTag for every write. Random rather than a per-row counter, so that a record deleted and
 * created again never gets back an eTag a stale reader still holds, and so that several connections
 * or processes need no shared sequence.
 */
export function newETag(): string {
  return randomUUID();
}
