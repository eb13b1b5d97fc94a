import { DEMO_IDS } from '../../src/emulator';
import { ACCOUNT_ID, ADMIN, createBotHarness, PLAN_ID, TEACHER, visibleText, type BotHarness } from '../support/botHarness';
import { submitData } from '../support/dialogHarness';

const MIN = 60_000;
const VERSION_ID = `${DEMO_IDS.physicsGalleryId}/images/physics-ubuntu/versions/1.0.0`;
const US_REGIONS = ['centralus', 'eastus', 'eastus2', 'northcentralus', 'southcentralus', 'westcentralus', 'westus', 'westus2', 'westus3'];

describe('replicate <image> [version] (TestAdapter, emulator)', () => {
  let h: BotHarness;
  const targets = () => (h.azure.emulator.state.galleries.version(VERSION_ID)?.targetRegions ?? []).map((t) => t.region).sort();
  const writes = () => h.azure.emulator.requestLog.filter((e) => e.method !== 'GET').length;

  beforeEach(async () => {
    h = await createBotHarness();
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
  });
  afterEach(() => h.close());

  it('proposes the regions to add and what they cost, then replicates, tracks and announces', async () => {
    expect(targets()).toEqual(['westus2']);
    const [proposal] = await h.say('replicate physics-ubuntu', { aadObjectId: ADMIN });
    const text = visibleText(proposal!);
    expect(text).toContain('Replicate **physics-ubuntu** 1.0.0 across United States?');
    expect(text).toContain('West US 2');
    expect(text).toMatch(/Regions to add[\s\S]*East US[\s\S]*West US 3/);
    expect(text).toContain('9 (9 regions)');
    expect(text).toContain('Every replica is billed');
    expect(writes()).toBe(0);

    const [started] = await h.send({ type: 'message', value: submitData(proposal, 'confirm'), locale: 'en-US', from: { id: 'u', name: 'A', aadObjectId: ADMIN } });
    expect(started?.text).toContain('Replicating **physics-ubuntu** 1.0.0 to 9 regions');
    await h.settle();
    expect(targets()).toEqual(US_REGIONS);
    expect(h.notifier.texts()).toEqual([expect.stringContaining('now targets 9 regions')]);
    expect((await h.services.audit.recent(1))[0]).toMatchObject({ command: 'replicate', outcome: 'succeeded', userId: ADMIN, target: VERSION_ID });

    // The tracker takes it from there: a progress card, then one announcement.
    for (let i = 0; i < 200 && !h.notifier.texts().some((t) => t.includes('is replicated to all')); i++) {
      const next = await h.tracker.tick();
      h.clock.set(Math.max(h.clock.now() + 1, next));
    }
    const card = h.notifier.sent.find((s) => s.key.includes(':card:'));
    expect(card?.conversationId).toBe('conversation-1');
    expect(JSON.stringify(card?.message)).toContain('Replication of physics-ubuntu 1.0.0');
    const announcements = h.notifier.texts().filter((t) => t.includes('is replicated to all 9 regions of United States'));
    expect(announcements).toHaveLength(1);
    expect(h.clock.now()).toBeLessThan(Date.UTC(2026, 10, 27, 9, 0, 0) + 3 * 60 * MIN);
  });

  it('picks a version by name, in French, and says which versions exist when it is wrong', async () => {
    const [reply] = await h.say('replicate physics-ubuntu 9.9.9', { aadObjectId: ADMIN, locale: 'fr-FR' });
    expect(reply?.text).toBe("L'image **physics-ubuntu** n'a pas de version **9.9.9**. Ses versions : 1.0.0.");
    expect(writes()).toBe(0);
  });

  it('refuses what it cannot do, clearly, and changes nothing', async () => {
    expect((await h.say('replicate', { aadObjectId: ADMIN }))[0]?.text).toContain('Which image?');
    expect((await h.say('replicate nope', { aadObjectId: ADMIN }))[0]?.text).toContain('The gallery **physics_gallery** has no image **nope**');
    expect((await h.say('replicate physics-ubuntu', { aadObjectId: TEACHER }))[0]?.text).toMatch(/Only a lab admin can run \*\*replicate\*\*/);
    await h.services.bindings.put({ conversationId: 'conversation-2', hostId: ACCOUNT_ID, boundBy: ADMIN, boundAt: 0 });
    expect((await h.say('replicate physics-ubuntu', { aadObjectId: ADMIN, conversationId: 'conversation-2' }))[0]?.text).toContain('Lab accounts replicate saved images');
    expect(writes()).toBe(0);
  });

  it('says there is nothing to do when every region is already targeted', async () => {
    h.azure.emulator.state.galleries.setTargetRegions(VERSION_ID, US_REGIONS);
    const [reply] = await h.say('replicate physics-ubuntu 1.0.0', { aadObjectId: ADMIN });
    expect(reply?.text).toBe('Version **1.0.0** of **physics-ubuntu** already targets every region of United States (9 regions).');
  });
});
