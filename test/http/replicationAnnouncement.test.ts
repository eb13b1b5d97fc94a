import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { DEMO_IDS } from '../../src/emulator';
import { memoryLogger } from '../support/memoryLogger';
import { startCaptureConnector, teamsMessage, type CaptureConnector } from '../support/captureConnector';

/** Simulated time per real time in this demo. */
const TIME_SCALE = 3000;
/**
 * 3 simulated hours, 3.6 real seconds. A version already replicated when the tracker first reads it is only noted,
 * never announced: the replication must outlast the scan that finds it, in real time (40 minutes, 0.8 s, were
 * often too short on a loaded machine).
 */
const REPLICATION_MS = 3 * 3_600_000;

/**
 * End to end over HTTP, in demo mode with simulated time 3000× faster: a version published through the
 * emulator's admin endpoint is discovered by the tracker, its progress card posted and updated in place,
 * and its end announced once — all through the outbox to the (captured) Bot Connector.
 */
describe('a replication from the emulator admin endpoint to the announcement at the connector', () => {
  let app: RunningApp;
  let connector: CaptureConnector;
  let dataDir: string;

  beforeAll(async () => {
    connector = await startCaptureConnector();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-replication-'));
    app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO_TIME_SCALE: String(TIME_SCALE) }), { log: memoryLogger() });
  });

  afterAll(async () => {
    await app.close();
    await connector.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const inChannel = (c: { conversationId: string }) => c.conversationId === 'channel-replication';
  const text = (a: Record<string, unknown>) => (typeof a.text === 'string' ? a.text : String(a.summary ?? ''));

  it('posts the progress card, updates it in place, and announces the end exactly once', async () => {
    // A first message binds the channel to the demo lab plan and stores its reference.
    await fetch(`${app.server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(teamsMessage(connector.url, 'status', { conversationId: 'channel-replication' })),
    });
    await connector.waitFor(1);

    const published = await fetch(`${app.azure.endpoint}/_admin/imageVersions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ galleryId: DEMO_IDS.physicsGalleryId, definition: 'physics-win11', version: '7.0.0', regions: ['westus2', 'eastus', 'westus3'], replicationDurationMs: REPLICATION_MS }),
    });
    expect(published.status).toBe(201);

    // Scans every 300 simulated seconds are a tenth of a real second.
    const deadline = Date.now() + 20_000;
    while (!connector.received.some((c) => inChannel(c) && /is replicated to all 3 regions/.test(text(c.activity))) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Nothing is said twice: two more scans, on simulated time (a fifth of a real second).
    const simulated = app.azure.simulatedClock;
    expect(simulated).toBeDefined();
    await simulated?.sleep(10 * 60_000);

    const inChannelActivities = connector.received.filter(inChannel);
    const posts = inChannelActivities.filter((c) => !c.replyToId || !c.replyToId.startsWith('activity-'));
    const cards = inChannelActivities.filter((c) => text(c.activity).startsWith('Replication of physics-win11 7.0.0'));
    const announcements = inChannelActivities.filter((c) => /physics-win11\*\* 7\.0\.0 is replicated to all 3 regions of United States/.test(text(c.activity)));
    expect(announcements).toHaveLength(1);
    // Demo time runs 3000× real time: a loaded machine may take over an hour of it to notice the end.
    expect(text(announcements[0]!.activity)).toMatch(/East US, West US 2, West US 3\. It took (\d+ h )?\d+ min/);
    // One card posted, then updated in place: PUTs to its activity id.
    const [posted, ...updates] = cards;
    expect(posted).toBeDefined();
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(posts.length).toBeGreaterThan(0);
    const cardId = `activity-${connector.received.indexOf(posted!) + 1}`;
    for (const update of updates) expect(update.replyToId).toBe(cardId);
    expect(JSON.stringify(updates.at(-1)?.activity)).toContain('Replicated to all 3 regions of United States');
  }, 40_000);
});
