import { ManualClock } from '../../src/ports/clock';
import type { Fence, LeaseStore } from '../../src/ports/leases';
import { TRACKER_LEASE, TrackerLease } from '../../src/replication/trackerLease';
import { until } from '../support/fleet';
import { memoryLogger } from '../support/memoryLogger';
import { BACKENDS, useBackendFixture } from '../storage/backendFixture';

const TTL = 15_000;
const RENEW = 5_000;

/** A tracker that only notes when it is started (under which fence) and stopped. */
function fakeTracker() {
  const events: string[] = [];
  let onLost: (() => void) | undefined;
  return {
    events,
    lose: () => onLost?.(),
    start: (lease?: { fence: Fence; onLost: () => void }) => {
      onLost = lease?.onLost;
      events.push(`start ${lease?.fence.token ?? 'unfenced'}`);
    },
    stop: async () => void events.push('stop'),
  };
}

/**
 * Issue 15: the tracker runs on the instance holding its lease. Each instance arms its timers on its own manual
 * clock (an instance that "dies" is one whose clock is no longer advanced); the store reads the fixture's clock.
 */
describe.each(BACKENDS)('%s TrackerLease', (backend) => {
  const fixture = useBackendFixture(backend);

  async function instance(holder: string) {
    const clock = new ManualClock();
    const tracker = fakeTracker();
    const store = (await fixture.open()).leases;
    let steps = 0;
    const counted = <T>(promise: Promise<T>) => promise.finally(() => steps++);
    const leases: LeaseStore = {
      acquire: (...args) => counted(store.acquire(...args)),
      renew: (...args) => counted(store.renew(...args)),
      release: (held) => store.release(held),
      get: (name) => store.get(name),
      isCurrent: (fence) => store.isCurrent(fence),
    };
    const lease = new TrackerLease({ leases, tracker, holder, ttlMs: TTL, renewMs: RENEW, clock, logger: memoryLogger() });
    /** Moves this instance's timers (and the database's time) on, and waits until its step has run and `done` holds. */
    const advance = async (ms: number, done: () => boolean | Promise<boolean> = () => true) => {
      const before = steps;
      fixture.clock.advance(ms);
      await clock.advanceAsync(ms);
      await until('the lease step ran', async () => steps > before && (await done()), 5_000);
      // The step's own continuation (start or stop the tracker, arm the next timer) runs after the store answered.
      await until('the next step is armed', () => clock.pendingTimers > 0, 5_000);
    };
    return { clock, tracker, lease, advance };
  }

  it('runs one tracker; another instance takes over once the holder stops renewing, and the old one stops at its next renewal', async () => {
    const a = await instance('instance-a');
    const b = await instance('instance-b');
    a.lease.start();
    await a.advance(0, () => a.lease.holding);
    expect(a.tracker.events).toEqual(['start 1']);
    b.lease.start();
    await b.advance(0);
    expect(b.lease.holding).toBe(false);

    // a is paused (its clock stands still): b takes over once the lease lapses, with a larger token.
    for (let waited = RENEW; waited < TTL; waited += RENEW) {
      await b.advance(RENEW);
      expect(b.lease.holding).toBe(false);
    }
    await b.advance(RENEW, () => b.lease.holding);
    expect(b.tracker.events).toEqual(['start 2']);

    // a wakes up: its renewal is refused, and its tracker stops.
    await a.advance(RENEW, () => !a.lease.holding);
    expect(a.tracker.events).toEqual(['start 1', 'stop']);

    // b stops gracefully: the lease is free at once.
    await b.lease.stop();
    expect(await (await fixture.open()).leases.get(TRACKER_LEASE)).toEqual({ holder: undefined, token: 2, expiresAt: 0 });
    await a.lease.stop();
  });

  it('forgets the lease when the tracker reports a fenced write refused, and tries to take it again', async () => {
    const a = await instance('instance-a');
    a.lease.start();
    await a.advance(0, () => a.lease.holding);
    a.tracker.lose();
    expect(a.lease.holding).toBe(false);
    // Still its row and not expired: this holder takes it back with a new token.
    await a.advance(RENEW, () => a.lease.holding);
    expect(a.tracker.events).toEqual(['start 1', 'start 2']);
    await a.lease.stop();
  });
});
