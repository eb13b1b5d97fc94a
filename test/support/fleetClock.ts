import { systemClock, type Clock } from '../../src/ports/clock';

/**
 * Simulated time `scale` times faster than real time from a fixed `origin`: the emulator of a fleet test and
 * every bot process read the same simulated now (a ScaledClock would start from each process's own start).
 */
export function fleetClock(origin: number, scale: number): Clock {
  return {
    now: () => Math.floor(origin + (systemClock.now() - origin) * scale),
    sleep: (ms) => systemClock.sleep(ms / scale),
    setTimeout: (callback, ms) => systemClock.setTimeout(callback, ms / scale),
  };
}
