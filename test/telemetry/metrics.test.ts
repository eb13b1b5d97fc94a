import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { BotMetrics } from '../../src/telemetry/botMetrics';
import { startMetricsServer, type MetricsServer } from '../../src/telemetry/metricsServer';
import { OtelTelemetry } from '../../src/telemetry/otelTelemetry';
import { createOutboxHarness, text, type OutboxHarness } from '../outbox/outboxHarness';
import { startCaptureConnector, teamsMessage, type CaptureConnector } from '../support/captureConnector';
import { memoryLogger } from '../support/memoryLogger';
import { promNames, promValue } from '../support/promText';

/** Every family of ours the registry exposes beside the process metrics. */
const BOT_METRIC_NAMES = [
  'labgallery_turns_total',
  'labgallery_turn_duration_seconds',
  'labgallery_arm_requests_total',
  'labgallery_arm_request_duration_seconds',
  'labgallery_arm_ratelimit_remaining',
  'labgallery_azure_consecutive_failures',
  'labgallery_connector_requests_total',
  'labgallery_outbox_deliveries_total',
  'labgallery_outbox_pending',
  'labgallery_outbox_oldest_pending_age_seconds',
  'labgallery_replication_watches',
  'labgallery_replication_reads_total',
  'labgallery_replication_read_budget_per_hour',
  'labgallery_operations_total',
  'labgallery_operation_step_duration_seconds',
];

describe('the metrics listener of a running bot (METRICS_PORT)', () => {
  let app: RunningApp;
  let connector: CaptureConnector;
  let dataDir: string;

  beforeAll(async () => {
    connector = await startCaptureConnector();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-metrics-'));
    app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, METRICS_PORT: '0' }), { log: memoryLogger() });
  });
  afterAll(async () => {
    await app.close();
    await connector.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const scrape = async (): Promise<string> => {
    const url = app.telemetry.metricsServer?.url;
    if (!url) throw new Error('no metrics listener');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  it('listens on loopback only, and answers nothing but GET /metrics', async () => {
    const url = new URL(app.telemetry.metricsServer?.url ?? '');
    expect(url.hostname).toBe('127.0.0.1');
    expect((await fetch(`${url.origin}/`)).status).toBe(404);
  });

  it('exposes the bot’s metrics and the process metrics', async () => {
    const names = promNames(await scrape());
    for (const name of BOT_METRIC_NAMES) expect(names).toContain(name);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) expect(names).toContain(name);
  });

  it('counts a turn by command and outcome, and the ARM requests it made', async () => {
    const before = await scrape();
    const activity = teamsMessage(connector.url, 'status', { conversationId: 'conv-metrics' });
    const response = await fetch(`${app.server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(response.status).toBe(200);
    // readyz reads the regions: an ARM request, whatever the turn needed.
    await fetch(`${app.server.url}/readyz`);
    const after = await scrape();
    const turn = { type: 'message', command: 'status', outcome: 'ok' };
    expect(promValue(after, 'labgallery_turns_total', turn) - promValue(before, 'labgallery_turns_total', turn)).toBe(1);
    expect(promValue(after, 'labgallery_turn_duration_seconds_count', { type: 'message' })).toBeGreaterThan(promValue(before, 'labgallery_turn_duration_seconds_count', { type: 'message' }));
    expect(promValue(after, 'labgallery_arm_requests_total', { throttled: 'false' })).toBeGreaterThan(0);
    expect(promValue(after, 'labgallery_arm_ratelimit_remaining', { kind: 'reads' })).toBeGreaterThan(0);
    expect(after).not.toContain('conv-metrics');
  });
});

describe('outbox metrics', () => {
  let h: OutboxHarness;
  let metrics: BotMetrics;
  let server: MetricsServer;

  beforeAll(async () => {
    metrics = new BotMetrics();
    h = await createOutboxHarness({ telemetry: new OtelTelemetry({ metrics }) });
    metrics.observe({ outbox: () => h.outbox.backlog(), now: Date.now });
    server = await startMetricsServer(metrics.registry, 0, '127.0.0.1', memoryLogger());
  });
  afterAll(async () => {
    await server.close();
    await h.close();
  });

  it('counts sends by result, 429s as throttled, and shows the backlog', async () => {
    await h.addConversation('19:metrics');
    h.connector.fail('19:metrics', { status: 429, times: 1, retryAfterSeconds: 0 });
    await h.outbox.send('19:metrics', text('one'));
    await h.outbox.send('19:metrics', text('two'));
    const queued = await (await fetch(server.url)).text();
    expect(promValue(queued, 'labgallery_outbox_pending')).toBe(2);
    expect(promValue(queued, 'labgallery_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);

    await h.outbox.start();
    await h.settled();
    const sent = await (await fetch(server.url)).text();
    expect(promValue(sent, 'labgallery_outbox_deliveries_total', { kind: 'send', result: 'throttled', status: '429' })).toBe(1);
    expect(promValue(sent, 'labgallery_outbox_deliveries_total', { kind: 'send', result: 'sent' })).toBe(2);
    expect(promValue(sent, 'labgallery_outbox_pending')).toBe(0);
    expect(promValue(sent, 'labgallery_outbox_oldest_pending_age_seconds')).toBe(0);
  });
});
