import type { Clock, ManualClock } from '../../src/ports/clock';

/**
 * The manual clock with sleeps that return at once and move no time: what the bot-level harnesses run the
 * bot on, so a throttled or busy operation step retries without anyone advancing the clock. Timers (the
 * invoke deadline, drain timeouts) stay on the manual clock and fire only when a test advances it.
 * Each sleep's length is pushed to `sleeps`.
 */
export function instantSleeps(clock: ManualClock, sleeps: number[] = []): Clock {
  return {
    now: () => clock.now(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
  };
}

/**
 * Resolves once `clock` has at least `count` pending timers (e.g. the code under test armed its deadline),
 * polling on real time for at most `timeoutMs`. Then a test advances the clock past that deadline.
 */
export async function timerArmed(clock: ManualClock, count = 1, timeoutMs = 10_000): Promise<void> {
  for (const started = Date.now(); clock.pendingTimers < count; ) {
    if (Date.now() - started > timeoutMs) throw new Error(`no timer armed on the manual clock within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Polls `condition` on real time (every 5 ms, at most `timeoutMs`): for what a test cannot await directly. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  for (const started = Date.now(); !(await condition()); ) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
