import type { Clock, Timer } from '../ports/clock';
import type { Lease, LeaseStore } from '../ports/leases';
import type { Logger } from '../ports/logger';
import type { ReplicationTracker } from './replicationTracker';

/** The lease the replication tracker runs under: one tracker across the instances sharing the database. */
export const TRACKER_LEASE = 'replication-tracker';

export interface TrackerLeaseOptions {
  leases: LeaseStore;
  tracker: Pick<ReplicationTracker, 'start' | 'stop'>;
  /** This instance's name in the lease table (unique per process). */
  holder: string;
  /** How long the lease lasts unless renewed: an instance that dies is taken over at most this long after its last renewal, plus `renewMs`. */
  ttlMs: number;
  /** How often the holder renews, and the others try to take it. A third of `ttlMs` leaves two renewals of margin. */
  renewMs: number;
  /** Real time, whatever the tracker's own clock (the demo's is simulated): the other instances count in it. */
  clock: Clock;
  logger: Logger;
}

/**
 * Runs the tracker on this instance only while it holds the lease: tries to take it every `renewMs`, renews it
 * as often while held, stops the tracker the moment it is lost (a renewal refused, or a fenced write refused),
 * and hands it back on `stop` so that another instance takes over at its next try rather than after expiry.
 */
export class TrackerLease {
  private held: Lease | undefined;
  private timer: Timer | undefined;
  private stopped = true;
  private turn: Promise<void> | undefined;

  constructor(private readonly options: TrackerLeaseOptions) {}

  /** Whether this instance runs the tracker now. */
  get holding(): boolean {
    return this.held !== undefined;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops the tracker (waiting for its tick) and releases the lease. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.turn;
    await this.options.tracker.stop();
    const held = this.held;
    this.held = undefined;
    if (held) {
      await this.options.leases.release(held).catch((error: unknown) => this.options.logger.warn({ err: error }, 'replication lease not released; it expires on its own'));
      this.options.logger.info({ lease: held.name, fencingToken: held.token }, 'replication lease released');
    }
  }

  private schedule(delayMs: number): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.turn = this.step().finally(() => {
        this.turn = undefined;
        if (!this.stopped) this.schedule(this.options.renewMs);
      });
    }, delayMs);
  }

  private async step(): Promise<void> {
    const { leases, tracker, holder, ttlMs, logger } = this.options;
    try {
      if (this.held) {
        const renewed = await leases.renew(this.held, ttlMs);
        if (renewed) {
          this.held = renewed;
          return;
        }
        logger.warn({ lease: this.held.name, fencingToken: this.held.token }, 'replication lease lost; tracker stopped');
        this.held = undefined;
        await tracker.stop();
        return;
      }
      const acquired = await leases.acquire(TRACKER_LEASE, holder, ttlMs);
      if (!acquired || this.stopped) {
        if (acquired) await leases.release(acquired);
        return;
      }
      this.held = acquired;
      logger.info({ lease: acquired.name, fencingToken: acquired.token }, 'replication lease taken; tracker running');
      tracker.start({
        fence: { lease: acquired.name, token: acquired.token },
        onLost: () => {
          if (this.held?.token === acquired.token) this.held = undefined;
        },
      });
    } catch (error) {
      // The database unreachable: a held lease is kept until a renewal is refused (its fenced writes fail meanwhile).
      logger.warn({ err: error }, 'replication lease not renewed or taken');
    }
  }
}
