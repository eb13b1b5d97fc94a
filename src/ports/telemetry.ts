/**
 * Telemetry: what the bot tells an operator about itself (traces and metrics). Callers describe what happened
 * in a few low-cardinality words — never message text, user names or resource names — and the adapter
 * (src/telemetry) turns that into OpenTelemetry spans and Prometheus metrics. `noTelemetry` costs nothing.
 */

/** What a turn turned out to be; set as the turn goes (later values win). */
export interface TurnAttributes {
  /** How the edge routed a message: command, confirm, continueDialog, refuse; `action` for card actions. */
  route?: string;
  /** The command id, or the card action's verb. */
  command?: string;
  role?: string;
  /** ok (the default), refused, unknown, userError, error. */
  outcome?: string;
}

export interface TurnStart {
  activityType: string;
  correlationId: string;
}

/** An ARM (or Graph) request as the SDK pipeline saw it. `status` 0: no answer (network error, timeout). */
export interface ArmRequestResult {
  status: number;
  /** `x-ms-ratelimit-remaining-subscription-reads` / `-writes`, when ARM sent them. */
  remainingReads?: number;
  remainingWrites?: number;
}

export interface ArmRequestObserver {
  /** `operation`: the request's resource type path and method (`GET Microsoft.Compute/galleries/images`). */
  armRequest(operation: string, method: string): { end(result: ArmRequestResult): void };
}

/** Outbox delivery results: sent, retry, throttled (a 429), dropped, failed. */
export type DeliveryResult = 'sent' | 'retry' | 'throttled' | 'dropped' | 'failed';

/** Where an operation was started from: an opaque handle the adapter links the operation's spans to. */
export interface TelemetryLink {
  readonly linked: true;
}

export interface OperationStart {
  id: string;
  kind: string;
  correlationId: string;
}

export interface Telemetry extends ArmRequestObserver {
  /** Runs one turn inside its span; annotations made during `run` (from any depth) land on it. */
  turn<T>(start: TurnStart, run: () => Promise<T>): Promise<T>;
  annotateTurn(attributes: TurnAttributes): void;
  /** The active trace id, for log lines; undefined when tracing is off. */
  traceId(): string | undefined;
  /** One Bot Connector request (a proactive send or update); `status` 0 when none came back. */
  connectorRequest(kind: 'send' | 'update'): { end(status: number): void };
  outboxDelivery(kind: 'send' | 'update', result: DeliveryResult, status: number): void;
  /** The active turn, for an operation it launches to link back to. */
  currentLink(): TelemetryLink | undefined;
  /** Runs an operation's steps inside its span, linked to the turn that started it (if known). */
  operation<T>(start: OperationStart, link: TelemetryLink | undefined, run: () => Promise<T>): Promise<T>;
  operationStep<T>(step: string, run: () => Promise<T>): Promise<T>;
  /** An operation reached a terminal status (counted once per run that finished it). */
  operationFinished(kind: string, status: string): void;
}

const NO_SPAN = { end: (): void => undefined };

/** Telemetry off: every call is a pass-through. */
export const noTelemetry: Telemetry = {
  turn: (_start, run) => run(),
  annotateTurn: () => undefined,
  traceId: () => undefined,
  armRequest: () => NO_SPAN,
  connectorRequest: () => NO_SPAN,
  outboxDelivery: () => undefined,
  currentLink: () => undefined,
  operation: (_start, _link, run) => run(),
  operationStep: (_step, run) => run(),
  operationFinished: () => undefined,
};
