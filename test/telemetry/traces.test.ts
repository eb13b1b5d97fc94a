import { randomUUID } from 'node:crypto';
import { armTelemetryPolicy } from '../../src/azure/armTelemetryPolicy';
import { SqliteOperationStore } from '../../src/storage/sqlite';
import { BotMetrics } from '../../src/telemetry/botMetrics';
import { ATTR, OtelTelemetry } from '../../src/telemetry/otelTelemetry';
import { ADMIN, createBotHarness, PLAN_ID, type BotHarness } from '../support/botHarness';
import { inMemoryTracing, type InMemoryTracing } from '../support/inMemoryTracing';

describe('traces (in-memory exporter)', () => {
  let h: BotHarness;
  let tracing: InMemoryTracing;
  let telemetry: OtelTelemetry;

  beforeAll(async () => {
    tracing = inMemoryTracing();
    telemetry = new OtelTelemetry({ tracer: tracing.tracer, metrics: new BotMetrics() });
    h = await createBotHarness({ telemetry, armPolicies: [armTelemetryPolicy([telemetry])] });
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
  });
  afterAll(() => h.close());
  beforeEach(() => tracing.exporter.reset());

  const SECRET = 'zz-private-words-zz';
  const NAME = 'Ada Privatename';

  it('gives a turn one span with its command, role and outcome, and its ARM requests as child spans', async () => {
    await h.send({ type: 'message', text: `images ${SECRET}`, locale: 'en-US', from: { id: 'u-ada', name: NAME, aadObjectId: ADMIN } });
    const spans = tracing.spans();
    const turns = spans.filter((s) => s.name.startsWith('turn '));
    expect(turns).toHaveLength(1);
    const turn = turns[0]!;
    expect(turn.name).toBe('turn images');
    expect(turn.attributes).toMatchObject({
      [ATTR.activityType]: 'message',
      [ATTR.route]: 'command',
      [ATTR.command]: 'images',
      [ATTR.role]: 'admin',
      [ATTR.outcome]: 'ok',
    });
    expect(turn.attributes[ATTR.correlationId]).toMatch(/^[0-9a-f-]{36}$/);

    const arm = spans.filter((s) => s.name.startsWith('ARM '));
    expect(arm.length).toBeGreaterThan(0);
    for (const span of arm) {
      expect(span.spanContext().traceId).toBe(turn.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(turn.spanContext().spanId);
      expect(span.attributes).toMatchObject({ [ATTR.throttled]: false, [ATTR.httpStatus]: 200 });
      expect(String(span.attributes[ATTR.armOperation])).toMatch(/^GET [A-Za-z.]+(\/[A-Za-z]+)*$/);
    }
    expect(arm.map((s) => s.attributes[ATTR.armOperation])).toContain('GET Microsoft.LabServices/labPlans/images');

    // Neither the message text nor the user's name reaches any span.
    const everything = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events]));
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('Privatename');
  });

  it('puts the trace id in the turn’s log lines beside the correlation id of its span', async () => {
    h.log.lines.length = 0;
    await h.say('nonsense-word', { aadObjectId: ADMIN });
    const [turn] = tracing.spans().filter((s) => s.name.startsWith('turn '));
    expect(turn?.attributes).toMatchObject({ [ATTR.command]: 'unknown', [ATTR.outcome]: 'unknown' });
    const logged = h.log.lines.filter((l) => l.correlationId === turn?.attributes[ATTR.correlationId]);
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) expect(line.traceId).toBe(turn?.spanContext().traceId);
  });

  it('records journal steps as spans of an operation linked to the turn that launched it', async () => {
    const operations = new SqliteOperationStore(h.db);
    const id = `op-${randomUUID()}`;
    await operations.create({
      id,
      kind: 'detach',
      hostId: PLAN_ID,
      target: '',
      requestedBy: ADMIN,
      conversationId: 'conversation-1',
      locale: 'en-US',
      correlationId: 'corr-op-1',
      params: {},
    });
    await telemetry.turn({ activityType: 'message', correlationId: 'corr-op-1' }, async () => h.runner.launch(id));
    await h.settle();
    await h.runner.drain(5_000);
    const spans = tracing.spans();
    const turn = spans.find((s) => s.name.startsWith('turn '));
    const operation = spans.find((s) => s.name === 'operation detach');
    expect(turn).toBeDefined();
    expect(operation?.attributes).toMatchObject({ [ATTR.operationId]: id, [ATTR.operationKind]: 'detach', [ATTR.correlationId]: 'corr-op-1' });
    expect(operation?.links.map((l) => l.context.spanId)).toEqual([turn?.spanContext().spanId]);
    // Its own trace: the operation outlives the turn.
    expect(operation?.spanContext().traceId).not.toBe(turn?.spanContext().traceId);
    const steps = spans.filter((s) => s.name.startsWith('step '));
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect(step.parentSpanContext?.spanId).toBe(operation?.spanContext().spanId);
  });
});
