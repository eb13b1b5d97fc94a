import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { memoryLogger } from '../support/memoryLogger';
import { startCaptureConnector, teamsMessage, type CaptureConnector } from '../support/captureConnector';

describe('HTTP server', () => {
  let app: RunningApp;
  let connector: CaptureConnector;
  let dataDir: string;

  beforeAll(async () => {
    connector = await startCaptureConnector();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-http-'));
    app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }), { log: memoryLogger() });
  });

  afterAll(async () => {
    await app.close();
    await connector.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (activity: Record<string, unknown>) =>
    fetch(`${app.server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });

  it.each([
    ['en-US', 'Commands you can run here'],
    ['fr-FR', 'Commandes disponibles ici'],
  ])('answers help (%s) at the serviceUrl of the activity', async (locale, expected) => {
    const before = connector.received.length;
    const activity = teamsMessage(connector.url, 'help', { locale, conversationId: `conv-${locale}` });
    const response = await post(activity);
    expect(response.status).toBe(200);
    const [reply] = (await connector.waitFor(before + 1)).slice(before);
    expect(reply?.conversationId).toBe(`conv-${locale}`);
    expect(reply?.replyToId).toBe(activity.id);
    expect(JSON.stringify(reply?.activity)).toContain(expected);
  });

  it('reports health and readiness', async () => {
    const health = await fetch(`${app.server.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${app.server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { storage: true, azure: true, outbox: true } });
  });

  it('rejects a malformed activity without a turn', async () => {
    const response = await post({ nonsense: true });
    expect(response.status).toBeGreaterThanOrEqual(400);
  });
});

describe('graceful shutdown', () => {
  it('finishes the turn in flight, then stops accepting and closes storage', async () => {
    // The connector answers slowly, so the turn is still in flight when shutdown starts.
    const connector = await startCaptureConnector({ delayMs: 300 });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-stop-'));
    const app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }), { log: memoryLogger() });
    const inFlight = fetch(`${app.server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(teamsMessage(connector.url, 'help')),
    });
    await connector.waitFor(1);
    const closing = app.close();
    const refused = await fetch(`${app.server.url}/api/messages`, { method: 'POST', body: '{}' }).catch(() => undefined);
    expect(refused === undefined || refused.status === 503).toBe(true);
    expect((await inFlight).status).toBe(200);
    await closing;
    await expect(fetch(`${app.server.url}/healthz`)).rejects.toThrow();
    await connector.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
