import type { Clock } from '../ports/clock';

/** Simulated time that runs `scale` times faster than its base clock, starting from the base's now. */
export class ScaledClock implements Clock {
  private readonly origin: number;

  constructor(
    private readonly base: Clock,
    private readonly scale: number,
  ) {
    if (!(scale > 0)) throw new RangeError(`timeScale must be > 0, got ${scale}`);
    this.origin = base.now();
  }

  now(): number {
    return Math.floor(this.origin + (this.base.now() - this.origin) * this.scale);
  }
}
