/**
 * emulator/throttling/: ARM's request budgets as token buckets (429 + Retry-After).
 */
import { TokenBucket, type BucketOptions, type TakeResult } from './tokenBucket';

export type RequestCategory = 'reads' | 'writes' | 'deletes';

/** ARM's per-subscription, per-principal buckets; each one defaults to Azure's published numbers. */
export interface ThrottleOptions {
  reads?: BucketOptions;
  writes?: BucketOptions;
  deletes?: BucketOptions;
}

const AZURE_THROTTLE_DEFAULTS: Readonly<Required<ThrottleOptions>> = {
  reads: { burst: 250, refillPerSecond: 25 },
  writes: { burst: 200, refillPerSecond: 10 },
  deletes: { burst: 200, refillPerSecond: 10 },
};

export function categoryOf(method: string): RequestCategory {
  if (method === 'DELETE') return 'deletes';
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'reads' : 'writes';
}

export class Throttler {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly limits: Required<ThrottleOptions>;

  /** `false` disables throttling; the remaining-count headers then report full buckets. */
  constructor(
    private readonly options: ThrottleOptions | false,
    private readonly now: () => number,
  ) {
    this.limits = { ...AZURE_THROTTLE_DEFAULTS, ...(options || {}) };
  }

  take(key: string, category: RequestCategory): TakeResult {
    if (this.options === false) return { allowed: true, remaining: this.limits[category].burst - 1 };
    return this.bucket(key, category).take(this.now());
  }

  remaining(key: string, category: RequestCategory): number {
    if (this.options === false) return this.limits[category].burst;
    return this.bucket(key, category).peek(this.now());
  }

  private bucket(key: string, category: RequestCategory): TokenBucket {
    const id = `${category}|${key}`;
    let bucket = this.buckets.get(id);
    if (!bucket) {
      bucket = new TokenBucket(this.limits[category], this.now());
      this.buckets.set(id, bucket);
    }
    return bucket;
  }
}
