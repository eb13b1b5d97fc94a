import { DEMO_IDS } from '../../src/emulator';
import { publishImageVersion } from './support/emulatorAdmin';
import { startE2eSession, type E2eSession } from './support/e2eSession';

/**
 * In the team's channel: a version published through the emulator's admin endpoint (as if a teacher had saved
 * an image) is found by the replication tracker, whose progress card appears and is updated in place until the
 * announcement. Simulated time runs 120× faster: 10 simulated minutes of replication are 5 real seconds.
 */
describe('team channel: a replication', () => {
  let session: E2eSession;

  beforeAll(async () => {
    session = await startE2eSession(__filename, { as: 'admin', env: { DEMO_TIME_SCALE: '120' } });
  });

  afterEach(async () => {
    await session?.ui.shot('end');
  });

  afterAll(async () => {
    await session?.close();
  });

  it('shows a live progress card, then announces the end once', async () => {
    const { ui, bot } = session;
    await ui.openChannel('General');
    // A first message binds the channel to the demo lab plan (new conversations start bound to it).
    await ui.postAndWaitForCard('status', 'Status');

    const progress = await ui.upcomingCard('Replication of physics-win11 9.0.0');
    const announcement = await ui.upcomingText(/physics-win11 9\.0\.0 is replicated to all 3 regions of United States/);
    await publishImageVersion(bot.emulatorUrl, {
      galleryId: DEMO_IDS.physicsGalleryId,
      definition: 'physics-win11',
      version: '9.0.0',
      regions: ['westus2', 'eastus', 'westus3'],
      replicationDurationMs: 10 * 60_000,
    });

    const card = await progress.arrived(60_000);
    await ui.shot('progress card', card);
    expect(await card.text()).toMatch(/West US 2[\s\S]*(Replicating|Queued|Completed)/);

    const said = await announcement.arrived(90_000);
    await card.waitForText('Replicated to all 3 regions of United States', 60_000);
    await ui.shot('replication announcement', said);
    expect(await said.textContent()).toMatch(/East US, West US 2, West US 3\. It took \d+ min/);
    // One announcement, whatever else the channel shows.
    await expect(ui.texts().filter({ hasText: /9\.0\.0 is replicated to all/ }).count()).resolves.toBe(1);
  });
});
