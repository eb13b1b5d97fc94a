import type { Clock } from '../ports/clock';

export interface ReadBudgetOptions {
  /** Reads per hour this budget allows on average (the tracker's share of the subscription's). */
  readsPerHour: number;
  /** How many seconds of reads may be spent at once after a quiet spell. Default 60. */
  burstSeconds?: number;
}

/**
 * A token bucket over the clock: the tracker's slice of the subscription's ARM read budget. A 429 from
 * ARM pauses it until Retry-After has passed, whatever tokens are left: ARM's bucket is the one that counts.
 */
export class ReadBudget {
  private readonly perMs: number;
  private readonly capacity: number;
  private tokens: number;
  private updatedAt: number;
  private pausedUntilMs = 0;
  /** Reads taken since the start, for the benchmark and the logs. */
  spent = 0;

  constructor(
    private readonly clock: Clock,
    options: ReadBudgetOptions,
  ) {
    this.perMs = options.readsPerHour / 3_600_000;
    this.capacity = Math.max(1, this.perMs * (options.burstSeconds ?? 60) * 1000);
    this.tokens = this.capacity;
    this.updatedAt = clock.now();
  }

  /** Takes one read if one is available now. */
  tryTake(): boolean {
    const now = this.clock.now();
    if (now < this.pausedUntilMs) return false;
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    this.spent++;
    return true;
  }

  /**
   * Takes one read whatever is left: the bucket may go into debt, which later reads repay. For work that must
   * not be cut half way (a scan), so its reads still count against the share.
   */
  spend(): void {
    this.refill(this.clock.now());
    this.tokens -= 1;
    this.spent++;
  }

  /** The allowance, for the metrics. */
  get readsPerHour(): number {
    return this.perMs * 3_600_000;
  }

  /** When the next read will be available. */
  nextAvailableAt(): number {
    const now = this.clock.now();
    this.refill(now);
    const refilled = this.tokens >= 1 ? now : now + Math.ceil((1 - this.tokens) / this.perMs);
    return Math.max(refilled, this.pausedUntilMs);
  }

  /** ARM said 429: nothing until `until`. */
  pauseUntil(until: number): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, until);
  }

  get pausedUntil(): number {
    return this.pausedUntilMs;
  }

  private refill(now: number): void {
    if (now > this.updatedAt) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.perMs);
      this.updatedAt = now;
    }
  }
}
