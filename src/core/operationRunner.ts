import { type AuditEntry, type AuditLog, ETagConflictError } from '../ports/stores';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { noTelemetry, type Telemetry, type TelemetryLink } from '../ports/telemetry';
import type { FailureDetail, OperationRecord, OperationStore, OperationUpdate } from '../ports/operations';
import { AzureError, isBusy, UserError, type UserMessage } from '../kernel';
import type { SecretVault } from './secretVault';
import { kindOf, runStep, stepsOf } from '../operations/kinds';
import type { StepGateways, StepName } from '../operations/operationKind';

export interface OperationRunnerOptions {
  operations: OperationStore;
  gateways: StepGateways;
  /** Passwords of createLab operations, kept in memory by LabCreationService; without it, they fail with `lab.passwordLost`. */
  secrets?: SecretVault;
  audit: AuditLog;
  /** Reads the time and does every wait: throttle and busy retries, the drain timeout. */
  clock: Clock;
  logger: Logger;
  /** Tells the requester the outcome (the bot renders and sends it). May throw: the operation then stays unreported. */
  report: (op: OperationRecord) => Promise<void>;
  /** Tells the requester something while a step waits (once per key and operation: the bot keys the outbox with it). */
  notice?: (op: OperationRecord, noticeKey: string, message: UserMessage) => Promise<void>;
  /** Retries of a throttled step before the operation fails. Default 3. */
  throttleRetries?: number;
  /** Wait when Azure throttles without Retry-After, doubled per retry. Default 5 s. */
  throttleBackoffMs?: number;
  /** A longer Retry-After than this fails the operation at once rather than holding it. Default 2 min. */
  maxRetryAfterMs?: number;
  /** How often a resource busy with another change is looked at again. Default 2 s. */
  busyPollMs?: number;
  /** How long a busy resource is waited for before the operation fails. Default 30 min (Lab Services LROs are slow). */
  busyWindowMs?: number;
  /**
   * Several instances on one store: each run first claims its operation for `owner` (a live claim of another
   * instance makes it leave the operation to that one); `keepClaims` renews them and picks up the operations of
   * instances that died. Without it the runner assumes it is alone.
   */
  claims?: { owner: string; ttlMs: number };
  /** A span per run (linked to the turn that launched it) and per step; counts by kind and status. Default none. */
  telemetry?: Pick<Telemetry, 'currentLink' | 'operation' | 'operationStep' | 'operationFinished'>;
}

/**
 * Executes journaled operations step by step. Every step is persisted (eTag-conditional) as it completes;
 * a conditional write that loses means another runner owns the operation, and this one stops. Terminal
 * operations are audited once and reported once (`progress.auditedAt`, `reportedAt`).
 */
export class OperationRunner {
  private readonly inFlight = new Map<string, Promise<void>>();
  private draining = false;
  private claimTimer: { cancel(): void } | undefined;
  private readonly throttleRetries: number;
  private readonly throttleBackoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly busyPollMs: number;
  private readonly busyRetries: number;
  private readonly telemetry: NonNullable<OperationRunnerOptions['telemetry']>;

  constructor(private readonly options: OperationRunnerOptions) {
    this.telemetry = options.telemetry ?? noTelemetry;
    this.throttleRetries = options.throttleRetries ?? 3;
    this.throttleBackoffMs = options.throttleBackoffMs ?? 5_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.busyPollMs = options.busyPollMs ?? 2_000;
    this.busyRetries = Math.ceil((options.busyWindowMs ?? 30 * 60_000) / this.busyPollMs);
  }

  /**
   * Runs what is left of an operation, then audits and reports it. Resolves with the record as this runner
   * last wrote it, or undefined when the operation is unknown or another runner took it over.
   * Rejects only when the store itself fails (the operation then stays where the journal says).
   */
  async run(operationId: string, link?: TelemetryLink): Promise<OperationRecord | undefined> {
    const found = await this.options.operations.get(operationId);
    const log = this.options.logger.child({ operationId, ...(found ? { kind: found.kind, hostId: found.hostId, correlationId: found.correlationId } : {}) });
    if (!found) {
      log.warn('operation not found; nothing to run');
      return undefined;
    }
    if (found.status !== 'running' && found.reportedAt !== undefined) return found;
    const claimed = await this.claim(found, log);
    if (!claimed) return undefined;
    return this.telemetry.operation({ id: claimed.id, kind: claimed.kind, correlationId: claimed.correlationId }, link, async () => {
      try {
        let op = await this.options.operations.update(claimed.id, claimed.eTag, { attempts: claimed.attempts + 1 });
        if (op.status === 'running') {
          op = await this.execute(op, log);
          this.telemetry.operationFinished(op.kind, op.status);
        }
        return await this.finish(op, log);
      } catch (error) {
        if (error instanceof ETagConflictError) {
          log.info('operation written by another runner; leaving it to that one');
          return undefined;
        }
        throw error;
      }
    });
  }

  /** The operation as stored once this instance holds it; undefined when another instance's live claim has it. */
  private async claim(found: OperationRecord, log: Logger): Promise<OperationRecord | undefined> {
    const { claims, operations } = this.options;
    if (!claims || !operations.claim) return found;
    if (!(await operations.claim(found.id, claims.owner, claims.ttlMs))) {
      log.debug('operation claimed by another instance; leaving it to that one');
      return undefined;
    }
    // Read again: the previous owner may have moved it on before its claim lapsed.
    const current = await operations.get(found.id);
    return current && (current.status === 'running' || current.reportedAt === undefined) ? current : undefined;
  }

  /**
   * With `claims`: renews this instance's claims every third of their period, and launches (each period) the
   * unfinished operations nobody holds any more (an instance that died). Stopped by `drain`.
   */
  keepClaims(): void {
    const { claims, operations, clock, logger } = this.options;
    if (!claims || !operations.renewClaims || this.claimTimer || this.draining) return;
    const everyMs = Math.max(1, Math.floor(claims.ttlMs / 3));
    let beats = 0;
    const beat = () => {
      this.claimTimer = clock.setTimeout(() => {
        const sweep = ++beats % 3 === 0;
        void (async () => {
          try {
            await operations.renewClaims?.(claims.owner, claims.ttlMs);
            if (sweep && !this.draining) for (const op of await operations.listUnfinished()) this.launch(op.id);
          } catch (error) {
            logger.warn({ err: error }, 'operation claims not renewed');
          }
          if (!this.draining) beat();
        })();
      }, everyMs);
    };
    beat();
  }

  /** Starts `run` in the background; never rejects (failures are logged). Ignored while draining. */
  launch(operationId: string): void {
    if (this.draining) {
      this.options.logger.warn({ operationId }, 'shutting down: operation left for the next start');
      return;
    }
    if (this.inFlight.has(operationId)) return;
    const running = this.run(operationId, this.telemetry.currentLink()).then(
      () => undefined,
      (error: unknown) => this.options.logger.error({ err: error, operationId }, 'operation run failed; it resumes on the next start'),
    );
    this.inFlight.set(operationId, running);
    void running.finally(() => this.inFlight.delete(operationId));
  }

  /** At shutdown: stops launching and waits for in-flight runs. Resolves false when some are still running at the timeout. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    this.claimTimer?.cancel();
    this.claimTimer = undefined;
    const pending = [...this.inFlight.values()];
    if (pending.length === 0) return this.releaseClaims();
    let expire: (value: boolean) => void = () => undefined;
    const timedOut = new Promise<boolean>((resolve) => (expire = resolve));
    const timer = this.options.clock.setTimeout(() => expire(false), timeoutMs);
    try {
      return await Promise.race([Promise.all(pending).then(() => true), timedOut]);
    } finally {
      timer.cancel();
      await this.releaseClaims();
    }
  }

  /** Hands this instance's claims back, so that another resumes what it leaves at once rather than after their period. */
  private async releaseClaims(): Promise<true> {
    const { claims, operations, logger } = this.options;
    if (claims) await operations.releaseClaims?.(claims.owner).catch((error: unknown) => logger.warn({ err: error }, 'operation claims not released'));
    return true;
  }

  /** At start-up: runs every unfinished operation from its recorded step and reports finished, unreported ones. Returns their ids. */
  async resumeAll(): Promise<string[]> {
    const unfinished = await this.options.operations.listUnfinished();
    for (const op of unfinished) this.launch(op.id);
    if (unfinished.length > 0) this.options.logger.info({ count: unfinished.length }, 'resuming unfinished operations');
    return unfinished.map((op) => op.id);
  }

  /** Whether a run of this operation is in flight in this process. */
  isRunning(operationId: string): boolean {
    return this.inFlight.has(operationId);
  }

  private async execute(start: OperationRecord, log: Logger): Promise<OperationRecord> {
    let op = start;
    const steps = stepsOf(op);
    const done = op.step === '' ? 0 : steps.indexOf(op.step as StepName) + 1;
    if (done === 0 && op.step !== '') {
      log.error({ step: op.step, steps }, 'recorded step is not a step of this operation');
      return this.fail(op, op.step, new UserError('operation.internal', { operationId: op.id }), log);
    }
    if (done === 0) {
      // Two starts on one host can both pass the busy check; the older operation goes ahead, the younger never touches Azure.
      const first = (await this.options.operations.runningOnHost(op.hostId)) ?? op;
      // Two instances may each see their own operation first; the host claim lets exactly one of them through.
      const holder = first.id !== op.id ? first : await this.options.operations.claimHost?.(op.id);
      if (holder) return this.fail(op, '', new UserError('operation.busy', { kind: holder.kind, operationId: holder.id, requestedBy: holder.requestedBy }), log);
    }
    for (let index = done; index < steps.length; index++) {
      const step = steps[index] as StepName;
      let patch: object;
      try {
        const current = op;
        const notify = (noticeKey: string, message: UserMessage) => this.notify(current, noticeKey, message, log);
        patch = await this.telemetry.operationStep(step, () =>
          this.withThrottleRetries(step, () => runStep(step, current, { gateways: this.options.gateways, secrets: this.options.secrets, clock: this.options.clock, notify }), log),
        );
      } catch (error) {
        return this.fail(op, step, error, log);
      }
      const last = index === steps.length - 1;
      const progress = { ...op.progress, ...patch, ...(last ? { finishedAt: this.options.clock.now() } : {}) };
      op = await this.options.operations.update(op.id, op.eTag, { step, progress, ...(last ? { status: 'succeeded' as const } : {}) });
      log.debug({ step }, 'step done');
    }
    if (steps.length === done && op.status === 'running') {
      // Everything was recorded but the final status was not (a store written by an older runner).
      op = await this.options.operations.update(op.id, op.eTag, { status: 'succeeded', progress: { ...op.progress, finishedAt: this.options.clock.now() } });
    }
    log.info({ status: op.status }, 'operation finished');
    return op;
  }

  /** A notice that fails to queue is logged, never fatal: the step goes on. */
  private async notify(op: OperationRecord, noticeKey: string, message: UserMessage, log: Logger): Promise<void> {
    try {
      await this.options.notice?.(op, noticeKey, message);
    } catch (error) {
      log.warn({ err: error, noticeKey }, 'progress notice not queued');
    }
  }

  private async withThrottleRetries<T>(step: StepName, action: () => Promise<T>, log: Logger): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await action();
      } catch (error) {
        // A resource busy with another change (e.g. our own LRO still running after a restart) is waited
        // out for up to the busy window; throttling is retried a few times with Retry-After.
        if (isBusy(error) && retry < this.busyRetries) {
          log.info({ step, retry: retry + 1, waitMs: this.busyPollMs }, 'resource busy with another change; waiting for it to settle');
          await this.options.clock.sleep(this.busyPollMs);
          continue;
        }
        if (!(error instanceof AzureError) || error.kind !== 'throttled' || retry >= this.throttleRetries) throw error;
        const seconds = error.detail.retryAfterSeconds;
        const waitMs = seconds !== undefined ? seconds * 1000 : this.throttleBackoffMs * 2 ** retry;
        if (waitMs > this.maxRetryAfterMs) throw error;
        log.warn({ step, retry: retry + 1, waitMs }, 'Azure throttled the step; retrying it');
        await this.options.clock.sleep(waitMs);
      }
    }
  }

  private async fail(op: OperationRecord, step: string, error: unknown, log: Logger): Promise<OperationRecord> {
    const failure = failureOf(step, error);
    if (failure.key === 'operation.internal') log.error({ err: error, step }, 'operation step failed unexpectedly');
    else log.warn({ step, key: failure.key, armCode: failure.armCode, armCorrelationId: failure.armCorrelationId }, 'operation step failed');
    const code = failure.armCode ?? (error instanceof AzureError ? error.kind : failure.key);
    const told = kindOf(op).failedError?.(op, step, failure.key);
    const userError = told ? { ...told, code } : { key: failure.key, params: failure.params, code };
    return this.options.operations.update(op.id, op.eTag, {
      status: 'failed',
      error: userError,
      progress: { ...op.progress, failure: { ...failure }, finishedAt: this.options.clock.now() },
    });
  }

  /** Audits (once) and reports (once) a terminal operation. */
  private async finish(start: OperationRecord, log: Logger): Promise<OperationRecord> {
    let op = start;
    // An ended operation needs its secret no more, whatever the outcome.
    if (op.status !== 'running') this.options.secrets?.delete(op.id);
    const update: OperationUpdate = {};
    if (op.progress.auditedAt === undefined) {
      try {
        await this.options.audit.append(auditEntry(op, this.options.clock.now()));
        // Recorded before the report is sent: a crash while sending must not audit the operation twice.
        op = await this.options.operations.update(op.id, op.eTag, { progress: { ...op.progress, auditedAt: this.options.clock.now() } });
      } catch (error) {
        log.error({ err: error }, 'audit entry not written');
      }
    }
    try {
      await this.options.report(op);
      update.reportedAt = this.options.clock.now();
    } catch (error) {
      log.error({ err: error }, 'reporting the outcome failed; it is retried on the next start');
    }
    if (update.progress || update.reportedAt !== undefined) op = await this.options.operations.update(op.id, op.eTag, update);
    return op;
  }
}

function failureOf(step: string, error: unknown): FailureDetail {
  if (error instanceof AzureError) {
    return {
      step,
      key: error.key,
      params: { ...error.params },
      ...(error.detail.armCode ? { armCode: error.detail.armCode } : {}),
      ...(error.detail.correlationId ? { armCorrelationId: error.detail.correlationId } : {}),
    };
  }
  if (error instanceof UserError) return { step, key: error.key, params: { ...error.params } };
  return { step, key: 'operation.internal', params: {} };
}

/** Same detail convention as `audited`: an error code and the ARM correlation id, never a message. */
function auditEntry(op: OperationRecord, now: number): AuditEntry {
  const finishedAt = op.progress.finishedAt ?? now;
  return {
    time: now,
    userId: op.requestedBy,
    // Journaled with the operation (v009); older records have none, and the audit view then finds their latest name.
    ...(op.requestedByName ? { userName: op.requestedByName } : {}),
    conversationId: op.conversationId,
    command: op.kind,
    target: op.target,
    outcome: op.status === 'succeeded' ? 'succeeded' : 'failed',
    correlationId: op.correlationId,
    durationMs: Math.max(0, finishedAt - op.createdAt),
    ...(auditDetail(op) !== undefined ? { detail: auditDetail(op) } : {}),
  };
}

function auditDetail(op: OperationRecord): string | undefined {
  if (op.status === 'succeeded') return kindOf(op).auditDetail(op);
  const failure = op.progress.failure;
  const code = op.error?.code ?? failure?.key ?? 'unknown';
  return failure?.armCorrelationId ? `${code} arm-correlation=${failure.armCorrelationId}` : code;
}
