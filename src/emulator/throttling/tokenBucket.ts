export interface BucketOptions {
  burst: number;
  refillPerSecond: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When refused: seconds until a token is back (integer ≥ 1). */
  retryAfterSeconds?: number;
}

/** A token bucket refilled from simulated time, so that a manual clock drives it in tests. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly options: BucketOptions,
    now: number,
  ) {
    this.tokens = options.burst;
    this.updatedAt = now;
  }

  take(now: number): TakeResult {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true, remaining: Math.floor(this.tokens) };
    }
    const wait = this.options.refillPerSecond > 0 ? (1 - this.tokens) / this.options.refillPerSecond : Number.POSITIVE_INFINITY;
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(Number.isFinite(wait) ? wait : 3600)) };
  }

  peek(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  private refill(now: number): void {
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.options.burst, this.tokens + elapsedSeconds * this.options.refillPerSecond);
    this.updatedAt = Math.max(this.updatedAt, now);
  }
}
