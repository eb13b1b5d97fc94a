import { isRestError, type PipelinePolicy } from '@azure/core-rest-pipeline';
import { AzureError } from '../kernel';
import { systemClock, type Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { armCall } from './armErrors';

export type AdapterLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export type StateClass = 'succeeded' | 'failed' | 'pending';

/** No provisioningState means nothing is in flight (e.g. lab account child resources that omit it). */
export function classifyState(state: string | undefined): StateClass {
  const s = state?.toLowerCase();
  if (s === undefined || s === 'succeeded') return 'succeeded';
  if (s === 'failed' || s === 'canceled' || s === 'cancelled') return 'failed';
  return 'pending';
}

interface Poller {
  pollUntilDone(): Promise<unknown>;
}

export interface OperationSpec<T> {
  /** Resource name for messages. */
  target: string;
  /** Sends the request; returns the SDK poller for an LRO, or nothing for a plain request. */
  start: () => Promise<Poller | unknown>;
  reread: () => Promise<T>;
  stateOf: (resource: T) => string | undefined;
  /** Re-reads of a resource not settled yet; `clock` (default real time) runs them and `waitAtMostMs`. */
  settle: { intervalMs: number; attempts: number; clock?: Clock };
  /**
   * Stop waiting for the LRO after this long and decide from the resource as it is (an LRO that lasts as long
   * as its side effect, e.g. a replication, is then followed by other means). A failure seen before still throws.
   */
  waitAtMostMs?: number;
  logger?: AdapterLogger;
}

/**
 * Runs a write and decides from the re-read resource, never from what the SDK's poller handed back:
 * arm-labservices' poller treats `200 {"status":"InProgress"}` or `200 {"status":"Failed"}` from an
 * operation-result URL as done. A resource still in a non-final state is re-read until it settles or
 * the settle window runs out (then it is returned as is).
 */
export async function runOperation<T>(spec: OperationSpec<T>): Promise<T> {
  const { target, settle, logger } = spec;
  const clock = settle.clock ?? systemClock;
  let lroFailure: unknown;
  let pollError: unknown;
  let gaveUp = false;
  let started: unknown;
  try {
    started = await armCall(target, spec.start);
  } catch (error) {
    // The classic clients poll once before handing the poller over: an operation can fail right there.
    if (!isOperationFailure(error)) throw error;
    lroFailure = error;
  }
  if (isPoller(started)) {
    try {
      const done = started.pollUntilDone().then(failedOperationResult);
      if (spec.waitAtMostMs === undefined) await done;
      else {
        done.catch(() => undefined);
        let expire: (value: 'gaveUp') => void = () => undefined;
        const limit = new Promise<'gaveUp'>((resolve) => (expire = resolve));
        const timer = clock.setTimeout(() => expire('gaveUp'), spec.waitAtMostMs);
        gaveUp = (await Promise.race([done, limit]).finally(() => timer.cancel())) === 'gaveUp';
      }
    } catch (error) {
      // An HTTP error while polling says nothing about the operation; anything else is the poller's "failed".
      if (isRestError(error)) pollError = error;
      else lroFailure = error;
    }
  }
  let resource = await armCall(target, spec.reread);
  let state = classifyState(spec.stateOf(resource));
  for (let attempt = 1; state === 'pending' && !lroFailure && !gaveUp && attempt < settle.attempts; attempt++) {
    await clock.sleep(settle.intervalMs);
    resource = await armCall(target, spec.reread);
    state = classifyState(spec.stateOf(resource));
  }
  if (state === 'failed' || lroFailure) {
    const reported = lroFailure === undefined ? undefined : operationErrorOf(lroFailure);
    throw new AzureError(
      'operationFailed',
      { target, ...(reported ?? { armMessage: `provisioningState ${spec.stateOf(resource)}` }) },
      { cause: lroFailure ?? pollError },
    );
  }
  if (pollError) logger?.warn({ target, err: pollError }, 'polling failed, but the resource reports success');
  if (state === 'pending') logger?.[gaveUp ? 'info' : 'warn']({ target, state: spec.stateOf(resource) }, gaveUp ? 'operation still running; not waited for' : 'operation not settled yet');
  return resource;
}

/** Fails the operation when the re-read resource does not show its effect. */
export function assertEffect(ok: boolean, target: string, what: string): void {
  if (!ok) throw new AzureError('operationFailed', { target, armMessage: what });
}

/**
 * For the modular arm-compute client, whose pollers are thenables: waits for the initial request only and
 * hands back something that is not awaitable by accident.
 */
export async function submitted(poller: Poller & { submitted(): Promise<void> }): Promise<Poller> {
  await poller.submitted();
  return { pollUntilDone: () => poller.pollUntilDone() };
}

/**
 * A poller in Location mode (the spec's 202 + bare `Location` variant) ends on any 200 and hands back the
 * operation result as if it were the resource: a `{status:"Failed", error}` there is the operation failing.
 */
function failedOperationResult(result: unknown): unknown {
  const body = result as { status?: unknown; error?: { code?: unknown; message?: unknown } } | null | undefined;
  const status = typeof body?.status === 'string' ? body.status.toLowerCase() : undefined;
  if (status !== 'failed' && status !== 'canceled') return result;
  const code = typeof body?.error?.code === 'string' ? body.error.code : status === 'canceled' ? 'Canceled' : 'Failed';
  const message = typeof body?.error?.message === 'string' ? body.error.message : `The operation ended ${String(body?.status)}.`;
  throw new Error(`The long-running operation has failed. ${code}. ${message}`);
}

/**
 * Azure's code and message of a failed operation (`{status:"Failed", error:{code,message}}`), out of the error
 * core-lro throws for it: "The long-running operation has failed. <code>. <message>" (both core-lro 2 and 3).
 */
export function operationErrorOf(error: unknown): { armCode?: string; armMessage: string } {
  const text = error instanceof Error ? error.message : String(error);
  const match = /^The long-running operation has failed\. ([^\s.]+)\. ([\s\S]*)$/.exec(text);
  return match ? { armCode: match[1], armMessage: match[2] ?? '' } : { armMessage: text };
}

/**
 * Lab Services answers an LRO with a signed `Azure-AsyncOperation` and the same URL unsigned in
 * `Operation-Location` (recordings); core-lro would poll the latter. Dropping it makes the SDK poll the signed
 * URL as given, as Azure PowerShell does in the recordings. Whether the unsigned one is honoured is unconfirmed.
 */
export function preferSignedPollUrlPolicy(): PipelinePolicy {
  return {
    name: 'preferSignedPollUrl',
    sendRequest: async (request, next) => {
      const response = await next(request);
      if (response.headers.has('azure-asyncoperation') && response.headers.has('operation-location')) response.headers.delete('operation-location');
      return response;
    },
  };
}

function isOperationFailure(error: unknown): boolean {
  return error instanceof Error && !(error instanceof AzureError) && /^The long-running operation has failed/.test(error.message);
}

function isPoller(value: unknown): value is Poller {
  return typeof (value as Partial<Poller> | null)?.pollUntilDone === 'function';
}
