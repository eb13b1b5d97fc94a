import type { ArmRequestObserver, ArmRequestResult } from '../ports/telemetry';

/**
 * Consecutive failed ARM requests, for readiness: no answer, 5xx and 401 count; any other answer (a 429
 * aside: Azure is up, the budget is not) ends the streak. Always on, whatever telemetry is configured.
 */
export class FailureStreak implements ArmRequestObserver {
  private count = 0;
  private readonly span = { end: (result: ArmRequestResult): void => this.record(result.status) };

  get current(): number {
    return this.count;
  }

  armRequest(): { end(result: ArmRequestResult): void } {
    return this.span;
  }

  record(status: number): void {
    if (status === 0 || status >= 500 || status === 401) this.count++;
    else if (status !== 429) this.count = 0;
  }
}
