/**
 * The one way to read time and to wait. Everything that reads the time, sleeps or arms a timer takes a
 * Clock, so tests drive time by hand (ManualClock) and the demo runs on scaled time (ScaledClock).
 */
export interface Clock {
  /** Milliseconds since the epoch, in this clock's time. */
  now(): number;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
  /** Calls `callback` once after `ms` of this clock's time, unless the returned timer is cancelled first. */
  setTimeout(callback: () => void, ms: number): Timer;
  /** How many times faster than real time this clock runs (the demo's simulated time); absent means real time. */
  readonly timeScale?: number;
}

export interface Timer {
  /** Idempotent; a timer that already fired ignores it. */
  cancel(): void;
}

/** Real time. `unref`'d timers are not used: a pending timer is work the process still has to do. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, Math.max(0, ms));
    return { cancel: () => clearTimeout(handle) };
  },
};

interface PendingTimer {
  due: number;
  seq: number;
  callback: () => void;
}

/**
 * A clock that moves only when told to, for tests: `advance` moves the time and fires, in due order, every
 * timer (and sleep) that falls due, each at its own due time. Callbacks run synchronously inside `advance`;
 * use `advanceAsync` when the code under test awaits between timers.
 */
export class ManualClock implements Clock {
  private readonly pending: PendingTimer[] = [];
  private seq = 0;

  constructor(private current = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  setTimeout(callback: () => void, ms: number): Timer {
    const timer: PendingTimer = { due: this.current + Math.max(0, ms), seq: this.seq++, callback };
    this.pending.push(timer);
    return {
      cancel: () => {
        const at = this.pending.indexOf(timer);
        if (at >= 0) this.pending.splice(at, 1);
      },
    };
  }

  /** How many timers and sleeps are waiting. */
  get pendingTimers(): number {
    return this.pending.length;
  }

  advance(ms: number): void {
    const target = this.current + ms;
    for (let next = this.nextDue(target); next; next = this.nextDue(target)) {
      this.pending.splice(this.pending.indexOf(next), 1);
      this.current = Math.max(this.current, next.due);
      next.callback();
    }
    this.current = target;
  }

  /** Like `advance`, but lets promise callbacks run after each timer fires, so awaited chains make progress. */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.current + ms;
    await flushPromises();
    for (let next = this.nextDue(target); next; next = this.nextDue(target)) {
      this.pending.splice(this.pending.indexOf(next), 1);
      this.current = Math.max(this.current, next.due);
      next.callback();
      await flushPromises();
    }
    this.current = target;
  }

  /** Sets the time without firing anything (a clock jump). */
  set(ms: number): void {
    this.current = ms;
  }

  private nextDue(limit: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.pending) {
      if (timer.due > limit) continue;
      if (!best || timer.due < best.due || (timer.due === best.due && timer.seq < best.seq)) best = timer;
    }
    return best;
  }
}

async function flushPromises(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Simulated time that runs `scale` times faster than its base clock, starting from the base's now: the demo's
 * clock. Waits are the base's waits, shortened by the scale.
 */
export class ScaledClock implements Clock {
  private readonly origin: number;

  constructor(
    private readonly base: Clock,
    private readonly scale: number,
  ) {
    this.timeScale = scale;
    if (!(scale > 0)) throw new RangeError(`timeScale must be > 0, got ${scale}`);
    this.origin = base.now();
  }

  readonly timeScale: number;

  now(): number {
    return Math.floor(this.origin + (this.base.now() - this.origin) * this.scale);
  }

  sleep(ms: number): Promise<void> {
    return this.base.sleep(ms / this.scale);
  }

  setTimeout(callback: () => void, ms: number): Timer {
    return this.base.setTimeout(callback, ms / this.scale);
  }
}
