import { AsyncLocalStorage } from 'node:async_hooks';
import { context, createContextKey, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Link, type Span, type SpanContext, type Tracer } from '@opentelemetry/api';
import type {
  ArmRequestResult,
  DeliveryResult,
  OperationStart,
  Telemetry,
  TelemetryLink,
  TurnAttributes,
  TurnStart,
} from '../ports/telemetry';
import type { BotMetrics } from './botMetrics';

/** Span attribute names: OpenTelemetry's semantic conventions where one fits, `app.*` for ours. */
export const ATTR = {
  correlationId: 'app.correlation_id',
  activityType: 'app.turn.activity_type',
  route: 'app.turn.route',
  command: 'app.turn.command',
  role: 'app.turn.role',
  outcome: 'app.outcome',
  armOperation: 'app.arm.operation',
  throttled: 'app.arm.throttled',
  remainingReads: 'app.arm.ratelimit_remaining_reads',
  remainingWrites: 'app.arm.ratelimit_remaining_writes',
  httpMethod: 'http.request.method',
  httpStatus: 'http.response.status_code',
  operationId: 'app.operation.id',
  operationKind: 'app.operation.kind',
  step: 'app.operation.step',
} as const;

interface TurnState {
  start: TurnStart;
  attributes: TurnAttributes;
  span?: Span;
}

/** Where the turn's state rides in OpenTelemetry's context when tracing is on: one AsyncLocalStorage, not two. */
const TURN_KEY = createContextKey('lab-gallery-bot turn');

class SpanLink implements TelemetryLink {
  readonly linked = true as const;
  constructor(readonly spanContext: SpanContext) {}
}

/** Milliseconds from a high-resolution start, in seconds. */
function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * Telemetry over OpenTelemetry (spans, when a tracer is given) and prom-client (metrics, when given). The
 * turn being handled rides in OpenTelemetry's context (or, with metrics only, an AsyncLocalStorage of its
 * own), so annotations reach it from any depth and the metrics get its labels even when tracing is off.
 */
export class OtelTelemetry implements Telemetry {
  private readonly turns = new AsyncLocalStorage<TurnState>();

  constructor(private readonly parts: { tracer?: Tracer; metrics?: BotMetrics }) {}

  async turn<T>(start: TurnStart, run: () => Promise<T>): Promise<T> {
    const { tracer, metrics } = this.parts;
    const state: TurnState = { start, attributes: {} };
    const began = process.hrtime.bigint();
    let failed = false;
    try {
      if (!tracer) return await this.turns.run(state, run);
      state.span = tracer.startSpan(`turn ${start.activityType}`, {
        kind: SpanKind.SERVER,
        attributes: { [ATTR.correlationId]: start.correlationId, [ATTR.activityType]: start.activityType },
      });
      return await context.with(trace.setSpan(context.active(), state.span).setValue(TURN_KEY, state), run);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      const a = state.attributes;
      const outcome = a.outcome ?? (failed ? 'error' : 'ok');
      if (state.span) {
        state.span.setAttributes({
          [ATTR.outcome]: outcome,
          ...(a.route ? { [ATTR.route]: a.route } : {}),
          ...(a.command ? { [ATTR.command]: a.command } : {}),
          ...(a.role ? { [ATTR.role]: a.role } : {}),
        });
        if (outcome === 'error') state.span.setStatus({ code: SpanStatusCode.ERROR });
        state.span.updateName(`turn ${a.command ?? a.route ?? start.activityType}`);
        state.span.end();
      }
      if (metrics) {
        metrics.turns.inc({ type: start.activityType, route: a.route ?? '', command: a.command ?? '', outcome });
        metrics.turnDuration.observe({ type: start.activityType }, secondsSince(began));
      }
    }
  }

  annotateTurn(attributes: TurnAttributes): void {
    const state = this.turnState();
    if (state) Object.assign(state.attributes, attributes);
  }

  private turnState(): TurnState | undefined {
    return this.parts.tracer ? (context.active().getValue(TURN_KEY) as TurnState | undefined) : this.turns.getStore();
  }

  traceId(): string | undefined {
    const id = trace.getSpan(context.active())?.spanContext().traceId;
    return id && id !== '00000000000000000000000000000000' ? id : undefined;
  }

  armRequest(operation: string, method: string): { end(result: ArmRequestResult): void } {
    const { tracer, metrics } = this.parts;
    const span = tracer?.startSpan(`ARM ${operation}`, { kind: SpanKind.CLIENT, attributes: { [ATTR.armOperation]: operation, [ATTR.httpMethod]: method } });
    const began = process.hrtime.bigint();
    return {
      end: (result) => {
        const throttled = result.status === 429;
        if (span) {
          span.setAttributes({
            [ATTR.httpStatus]: result.status,
            [ATTR.throttled]: throttled,
            ...(result.remainingReads === undefined ? {} : { [ATTR.remainingReads]: result.remainingReads }),
            ...(result.remainingWrites === undefined ? {} : { [ATTR.remainingWrites]: result.remainingWrites }),
          });
          if (result.status === 0 || result.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
        if (metrics) {
          metrics.armRequests.inc({ operation, status: String(result.status), throttled: String(throttled) });
          metrics.armDuration.observe({ method }, secondsSince(began));
          if (result.remainingReads !== undefined) metrics.armRemaining.set({ kind: 'reads' }, result.remainingReads);
          if (result.remainingWrites !== undefined) metrics.armRemaining.set({ kind: 'writes' }, result.remainingWrites);
        }
      },
    };
  }

  connectorRequest(kind: 'send' | 'update'): { end(status: number): void } {
    const { tracer, metrics } = this.parts;
    const span = tracer?.startSpan(`Bot Connector ${kind}`, { kind: SpanKind.CLIENT });
    return {
      end: (status) => {
        if (span) {
          span.setAttribute(ATTR.httpStatus, status);
          if (status === 0 || status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
        metrics?.connectorRequests.inc({ kind, status: String(status) });
      },
    };
  }

  outboxDelivery(kind: 'send' | 'update', result: DeliveryResult, status: number): void {
    this.parts.metrics?.outboxDeliveries.inc({ kind, result, status: String(status) });
  }

  currentLink(): TelemetryLink | undefined {
    const spanContext = this.turnState()?.span?.spanContext();
    return spanContext ? new SpanLink(spanContext) : undefined;
  }

  async operation<T>(start: OperationStart, link: TelemetryLink | undefined, run: () => Promise<T>): Promise<T> {
    const { tracer } = this.parts;
    if (!tracer) return run();
    const links: Link[] = link instanceof SpanLink ? [{ context: link.spanContext }] : [];
    // A root of its own: an operation outlives the turn that started it, and may resume in another process.
    const span = tracer.startSpan(
      `operation ${start.kind}`,
      { root: true, links, attributes: { [ATTR.operationId]: start.id, [ATTR.operationKind]: start.kind, [ATTR.correlationId]: start.correlationId } },
      ROOT_CONTEXT,
    );
    try {
      return await context.with(trace.setSpan(ROOT_CONTEXT, span), run);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }

  async operationStep<T>(step: string, run: () => Promise<T>): Promise<T> {
    const { tracer, metrics } = this.parts;
    const span = tracer?.startSpan(`step ${step}`, { attributes: { [ATTR.step]: step } });
    const began = process.hrtime.bigint();
    let outcome = 'ok';
    try {
      return span ? await context.with(trace.setSpan(context.active(), span), run) : await run();
    } catch (error) {
      outcome = 'error';
      span?.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span?.setAttribute(ATTR.outcome, outcome);
      span?.end();
      metrics?.operationSteps.observe({ step, outcome }, secondsSince(began));
    }
  }

  operationFinished(kind: string, status: string): void {
    this.parts.metrics?.operations.inc({ kind, status });
    trace.getSpan(context.active())?.setAttribute(ATTR.outcome, status);
  }
}
