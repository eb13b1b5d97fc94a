/**
 * emulator/lro/: long-running operations in the styles Azure answers them (Location, Azure-AsyncOperation, silent).
 */
import { randomUUID } from 'node:crypto';
import { ArmError } from '../armError';
import { idKey } from '../armIds';

/**
 * `location`: Lab Services style, 202 + Location to an operationresults URL answering 202 then 200.
 * `azureAsyncOperation`: Compute style, Azure-AsyncOperation URL answering {status}.
 * `silent`: no URL (lab accounts' createLab); only reads of the resource move it on.
 */
export type LroStyle = 'location' | 'azureAsyncOperation' | 'silent';
export type LroStatus = 'InProgress' | 'Succeeded' | 'Failed';

export interface LroFailure {
  code: string;
  message: string;
}

export interface LroSpec {
  style: LroStyle;
  /** GETs of this resource count as polls too, so callers that re-read instead of polling still finish. */
  resourceId: string;
  apiVersion: string;
  /** Region in Compute operation URLs. */
  location?: string;
  /** Applies the operation's effect; an ArmError thrown here makes the operation Failed. */
  complete(): void;
  /** Records the failure on the resource (provisioningState Failed). */
  fail(error: LroFailure): void;
  /** Injected by a fault rule: the operation ends Failed with this error. */
  injectedFailure?: LroFailure;
}

export interface Operation {
  id: string;
  spec: LroSpec;
  status: LroStatus;
  error?: LroFailure;
  startTime: number;
  endTime?: number;
  /** In-progress answers still to give before the operation finishes. */
  pollsLeft: number;
}

export interface LroTrackerOptions {
  pollsBeforeDone: number;
  retryAfterSeconds: number;
  facadeOrigin: string;
  subscriptionId: string;
  now: () => number;
}

/** Long-running operations: counted polls rather than time, so that tests are deterministic. */
export class LroTracker {
  private readonly operations = new Map<string, Operation>();

  constructor(private readonly options: LroTrackerOptions) {}

  /** Starts an operation and returns the headers of the initial 201/202 answer. */
  start(spec: LroSpec): { operation: Operation; headers: Record<string, string> } {
    this.assertIdle(spec.resourceId);
    const operation: Operation = { id: randomUUID(), spec, status: 'InProgress', startTime: this.options.now(), pollsLeft: this.options.pollsBeforeDone };
    this.operations.set(operation.id, operation);
    if (operation.pollsLeft <= 0) this.finish(operation);
    return { operation, headers: this.headersOf(operation) };
  }

  /** One poll of the operation URL: answers in progress `pollsBeforeDone` times, then finishes. */
  poll(id: string): Operation | undefined {
    const operation = this.operations.get(id.toLowerCase());
    if (operation) this.advance(operation);
    return operation;
  }

  /** A read of a resource counts as a poll of its pending operation. */
  touch(resourceId: string): void {
    const operation = this.pending(resourceId);
    if (operation) this.advance(operation);
  }

  /** 409 while another operation on the resource is running, as ARM answers. */
  assertIdle(resourceId: string): void {
    if (this.pending(resourceId)) throw new ArmError(409, 'AnotherOperationInProgress', 'Another operation is in progress on the resource; try again when it completes.');
  }

  pending(resourceId: string): Operation | undefined {
    const key = idKey(resourceId);
    return [...this.operations.values()].find((o) => o.status === 'InProgress' && idKey(o.spec.resourceId) === key);
  }

  /** Absolute URL on the facade origin, as the real service writes in its headers. */
  urlOf(operation: Operation): string {
    const { facadeOrigin, subscriptionId } = this.options;
    const query = `api-version=${encodeURIComponent(operation.spec.apiVersion)}`;
    if (operation.spec.style === 'azureAsyncOperation') {
      return `${facadeOrigin}/subscriptions/${subscriptionId}/providers/Microsoft.Compute/locations/${operation.spec.location ?? 'westus'}/operations/${operation.id}?${query}`;
    }
    return `${facadeOrigin}/subscriptions/${subscriptionId}/providers/Microsoft.LabServices/operationresults/${operation.id}?${query}`;
  }

  headersOf(operation: Operation): Record<string, string> {
    const retryAfter = { 'Retry-After': String(this.options.retryAfterSeconds) };
    if (operation.spec.style === 'location') return { Location: this.urlOf(operation), ...retryAfter };
    if (operation.spec.style === 'azureAsyncOperation') return { 'Azure-AsyncOperation': this.urlOf(operation), ...retryAfter };
    return {};
  }

  private advance(operation: Operation): void {
    if (operation.status !== 'InProgress') return;
    if (operation.pollsLeft > 0) operation.pollsLeft -= 1;
    else this.finish(operation);
  }

  private finish(operation: Operation): void {
    const { spec } = operation;
    operation.endTime = this.options.now();
    const failure = spec.injectedFailure ?? this.tryComplete(spec);
    if (failure) {
      operation.status = 'Failed';
      operation.error = failure;
      spec.fail(failure);
    } else {
      operation.status = 'Succeeded';
    }
  }

  private tryComplete(spec: LroSpec): LroFailure | undefined {
    try {
      spec.complete();
      return undefined;
    } catch (error) {
      if (error instanceof ArmError) return { code: error.code, message: error.message };
      throw error;
    }
  }
}
