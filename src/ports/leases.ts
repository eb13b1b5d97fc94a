/**
 * Leases coordinate the instances that share one database: one holder at a time per name, until `expiresAt`
 * unless renewed. Each new holder gets a larger `token` (fencing): a write made under an older token is refused
 * by the store, so an instance that lost its lease without knowing it (a long pause) cannot overwrite its successor.
 */
export interface Lease {
  name: string;
  holder: string;
  token: number;
  expiresAt: number;
}

/** What a fenced write carries: the lease it is made under, and the token it held. */
export interface Fence {
  lease: string;
  token: number;
}

/** A fenced write refused: a newer holder took the lease (the writer should stop at once). */
export class StaleFenceError extends Error {
  constructor(readonly fence: Fence) {
    super(`lease "${fence.lease}" token ${fence.token} is stale: another instance holds it now`);
    this.name = 'StaleFenceError';
  }
}

export interface LeaseStore {
  /**
   * Takes the lease when it is free, released or expired (or already this holder's), with a token larger than
   * every one before. Undefined while someone else holds it.
   */
  acquire(name: string, holder: string, ttlMs: number): Promise<Lease | undefined>;
  /** Extends a lease still held under that token; undefined when it was lost (a newer holder, or released). */
  renew(lease: Lease, ttlMs: number): Promise<Lease | undefined>;
  /** Hands the lease back at once, if still held under that token; the token is kept, so the next one is larger. */
  release(lease: Lease): Promise<void>;
  /** The row as stored: held, released (no holder) or never taken (undefined). */
  get(name: string): Promise<{ holder: string | undefined; token: number; expiresAt: number } | undefined>;
  /** Whether the fence still names the lease's current token. */
  isCurrent(fence: Fence): Promise<boolean>;
}
