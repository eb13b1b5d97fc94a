import { DEMO_IDS } from '../../src/emulator';
import { cardTexts, type CardJson } from '../support/cardReader';
import { startPlayground, type BotActivity, type Playground } from '../support/playground';

/**
 * The team's channel hears about a replication: simulated time runs 3000× faster (3 simulated hours are
 * 3.6 real seconds), the tracker finds the version the emulator's admin endpoint published, posts a progress card
 * in the channel, updates it in place, and announces the end once.
 */
/**
 * A version already replicated when the tracker first reads it is only noted, never announced; the replication
 * must outlast the scan that finds it, in real time. 40 simulated minutes (0.8 s) were too short on a loaded machine.
 */
const REPLICATION_MS = 3 * 3_600_000;
describe('Playground: a replication announced in the team channel', () => {
  let pg: Playground;

  beforeAll(async () => {
    pg = await startPlayground({ env: { DEMO_TIME_SCALE: '3000' } });
  });

  afterAll(async () => {
    await pg?.close();
  });

  const inChannel = (a: BotActivity) => a.postedIn === pg.conversations.channel || a.conversationId.startsWith(pg.conversations.channel);

  it('posts the progress card, updates it in place, then announces completion once', async () => {
    // Installing the app in the team stores the channel's reference and binds it to the demo lab plan.
    await pg.install(pg.conversations.channel);
    const since = pg.mark();
    const published = await fetch(`${pg.app.azure.endpoint}/_admin/imageVersions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ galleryId: DEMO_IDS.physicsGalleryId, definition: 'physics-win11', version: '8.0.0', regions: ['westus2', 'eastus', 'centralus'], replicationDurationMs: REPLICATION_MS }),
    });
    expect(published.status).toBe(201);

    const card = await pg.waitForActivity((a) => inChannel(a) && a.action === 'create' && !!a.card && cardTexts(a.card).includes('Replication of physics-win11 8.0.0'), { since, timeoutMs: 20_000 });
    expect(cardTexts(card.card as CardJson)).toEqual(expect.arrayContaining(['West US 2', 'East US', 'Central US']));

    const announcement = await pg.waitForActivity((a) => inChannel(a) && /physics-win11\*\* 8\.0\.0 is replicated to all 3 regions of United States/.test(a.text ?? ''), { since, timeoutMs: 30_000 });
    expect(announcement.action).toBe('create');

    const updated = await pg.waitForActivity((a) => a.action === 'update' && a.messageId === card.messageId && !!a.card && cardTexts(a.card).some((t) => t.includes('Replicated to all 3 regions')), { since, timeoutMs: 10_000 });
    expect(updated.messageId).toBe(card.messageId);

    // Nothing is said twice: wait a few more simulated minutes (two more scans, a fifth of a real second).
    const simulated = pg.app.azure.simulatedClock;
    expect(simulated).toBeDefined();
    await simulated?.sleep(10 * 60_000);
    const announcements = pg.activities.filter((a) => a.seq >= since && /8\.0\.0 is replicated to all/.test(a.text ?? ''));
    expect(announcements).toHaveLength(1);
  }, 60_000);
});
