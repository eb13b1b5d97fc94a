/**
 * emulator/lro/: long-running operations in the styles Azure answers them (Lab Services, Compute, silent),
 * with signed poll URLs as ARM writes them.
 */
import { randomUUID } from 'node:crypto';
import { ArmError } from '../armError';
import { idKey } from '../armIds';
import { PollUrlSigner, type SignedQuery } from './pollUrlSigner';

/**
 * `labServices`: as recorded for Microsoft.LabServices (test/fixtures/azure-recordings): a write answers with
 * `Location` = the resource itself, `Azure-AsyncOperation` (signed) and `Operation-Location` (unsigned) to
 * `…/locations/{region}/operationResults/{id}`, polled as 200 `{status}`; a DELETE or POST (an `action`) answers
 * 202 with `Location` = the same URL plus `monitor=true`.
 * `compute`: `Azure-AsyncOperation` (signed) to `…/locations/{region}/capsOperations/{id}`, polled as 200
 * `{status}`; a DELETE adds `Location` (`?monitor=true&…`).
 * `silent`: no URL (lab accounts' createLab); only reads of the resource move it on.
 */
export type LroStyle = 'labServices' | 'compute' | 'silent';
/** `write`: PUT/PATCH of the resource; `action`: DELETE or POST (saveImage). */
export type LroKind = 'write' | 'action';
export type LroStatus = 'InProgress' | 'Succeeded' | 'Failed';

export interface LroFailure {
  code: string;
  message: string;
}

export interface LroSpec {
  style: LroStyle;
  /** Default `write`. */
  kind?: LroKind;
  /** GETs of this resource count as polls too, so callers that re-read instead of polling still finish. */
  resourceId: string;
  apiVersion: string;
  /** Region in the operation URLs (the resource's). */
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
  private readonly signer = new PollUrlSigner();

  constructor(private readonly options: LroTrackerOptions) {}

  /** Starts an operation and returns the headers of the initial 201/202 answer. */
  start(spec: LroSpec): { operation: Operation; headers: Record<string, string> } {
    this.assertIdle(spec.resourceId);
    const operation: Operation = { id: randomUUID(), spec, status: 'InProgress', startTime: this.options.now(), pollsLeft: this.options.pollsBeforeDone };
    this.operations.set(operation.id, operation);
    if (operation.pollsLeft <= 0) this.finish(operation);
    return { operation, headers: this.headersOf(operation) };
  }

  /**
   * One poll of an operation URL: answers in progress `pollsBeforeDone` times, then finishes. The URL must carry
   * the signature it was given with (400 otherwise), so that a client that rebuilds poll URLs fails.
   */
  poll(id: string, query: SignedQuery): Operation | undefined {
    const operation = this.operations.get(id.toLowerCase());
    if (!operation) return undefined;
    if (operation.spec.style !== 'silent' && !this.signer.verify(operation.id, query)) {
      throw new ArmError(
        400,
        'InvalidOperationSignature',
        'The polling URL is not signed as issued: poll the Azure-AsyncOperation or Location URL exactly as the service returned it.',
      );
    }
    this.advance(operation);
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

  /** The operation's ARM id (no origin, no query), as Lab Services writes it in operation-result bodies. */
  idOf(operation: Operation): string {
    const { subscriptionId } = this.options;
    const region = operation.spec.location ?? 'westus';
    return operation.spec.style === 'compute'
      ? `/subscriptions/${subscriptionId}/providers/Microsoft.Compute/locations/${region}/capsOperations/${operation.id}`
      : `/subscriptions/${subscriptionId}/providers/Microsoft.LabServices/locations/${region}/operationResults/${operation.id}`;
  }

  /** Absolute URL on the facade origin, as the real service writes in its headers; `signed` adds t, c, s, h. */
  urlOf(operation: Operation, variant: { monitor?: boolean; signed?: boolean } = {}): string {
    const version = `api-version=${encodeURIComponent(operation.spec.apiVersion)}`;
    // Recorded orders: Compute puts monitor first, Lab Services after the api-version.
    const query =
      variant.monitor === true ? (operation.spec.style === 'compute' ? `monitor=true&${version}` : `${version}&monitor=true`) : version;
    const signature = variant.signed === false ? '' : `&${this.signer.sign(operation.id)}`;
    return `${this.options.facadeOrigin}${this.idOf(operation)}?${query}${signature}`;
  }

  headersOf(operation: Operation): Record<string, string> {
    const { spec } = operation;
    const retryAfter: Record<string, string> = this.options.retryAfterSeconds > 0 ? { 'Retry-After': String(this.options.retryAfterSeconds) } : {};
    const action = spec.kind === 'action';
    if (spec.style === 'labServices') {
      const resourceUrl = `${this.options.facadeOrigin}${spec.resourceId}?api-version=${encodeURIComponent(spec.apiVersion)}`;
      return {
        Location: action ? this.urlOf(operation, { monitor: true }) : resourceUrl,
        'Azure-AsyncOperation': this.urlOf(operation),
        'Operation-Location': this.urlOf(operation, { signed: false }),
        ...retryAfter,
      };
    }
    if (spec.style === 'compute') {
      return { 'Azure-AsyncOperation': this.urlOf(operation), ...(action ? { Location: this.urlOf(operation, { monitor: true }) } : {}), ...retryAfter };
    }
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
