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

  it('in a channel thread: one card, replaced in place from proposal to done, no ✅ before success, one announcement, no personal copy', async () => {
    const CHANNEL = '19:lab-team@thread.tacv2';
    const inThread = `${CHANNEL};messageid=555`;
    await h.services.bindings.put({ conversationId: CHANNEL, hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
    // The admin's personal chat is bound to the same plan: it must not get a copy of what the channel is told.
    await h.say('status', { aadObjectId: ADMIN });
    expect(targets()).toEqual(['westus2']);
    const [proposal] = await h.say('replicate physics-ubuntu', { aadObjectId: ADMIN, conversationId: inThread });
    const text = visibleText(proposal!);
    expect(text).toContain('Replicate **physics-ubuntu** 1.0.0 across United States?');
    expect(text).toContain('West US 2');
    expect(text).toMatch(/Regions to add[\s\S]*East US[\s\S]*West US 3/);
    expect(text).toContain('9 (9 regions)');
    expect(text).toContain('Every replica is billed');
    expect(writes()).toBe(0);

    // Confirm (Teams sends the card's message id as replyToId): the proposal becomes the operation's card, in place.
    const confirmed = await h.send({
      type: 'message',
      value: submitData(proposal, 'confirm'),
      replyToId: proposal?.id,
      locale: 'en-US',
      from: { id: '29:alex', name: 'Alex Wilber', aadObjectId: ADMIN },
      conversation: { id: inThread, isGroup: true, conversationType: 'channel', name: 'General' },
    });
    expect(confirmed).toEqual([]);
    expect(h.updated.map((u) => u.id)).toEqual([proposal?.id]);
    expect(visibleText(h.updated[0]!)).toMatch(/^⏳ Adding 9 regions to \*\*physics-ubuntu\*\* 1\.0\.0…[\s\S]*Confirmed by Alex Wilber · \{\{TIME\(/);
    expect(JSON.stringify(h.updated[0])).not.toContain('Action.Submit');
    await h.settle();
    expect(targets()).toEqual(US_REGIONS);
    expect((await h.services.audit.recent(1))[0]).toMatchObject({ command: 'replicate', outcome: 'succeeded', userId: ADMIN, target: VERSION_ID });
    // The regions are set, nothing is replicated yet: no ✅, and nothing posted besides the card.
    const [adopted] = h.notifier.adopted;
    expect(adopted).toMatchObject({ conversationId: CHANNEL, activityId: proposal?.id });
    expect(h.notifier.sent).toEqual([]);
    const cardText = () => h.notifier.outcomes()[0] ?? '';
    expect(cardText()).toMatch(/^⏳ \*\*physics-ubuntu\*\* 1\.0\.0 is replicating to 9 regions\./);
    expect(cardText()).not.toContain('✅');

    // The tracker updates that same card as regions complete, and the team hears once, at the end.
    for (let i = 0; i < 200 && !h.notifier.texts().some((t) => t.includes('is replicated to all')); i++) {
      const next = await h.tracker.tick();
      h.clock.set(Math.max(h.clock.now() + 1, next));
      if (h.notifier.texts().length === 0) expect(cardText()).not.toMatch(/is replicated to all/);
    }
    expect(h.notifier.updates.every((u) => u.key === adopted?.key && u.conversationId === CHANNEL)).toBe(true);
    expect(cardText()).toContain('Replication of physics-ubuntu 1.0.0');
    expect(h.notifier.sent.map((s) => s.conversationId)).toEqual([CHANNEL]);
    expect(h.notifier.texts()).toEqual([expect.stringContaining('is replicated to all 9 regions of United States')]);
    expect(h.clock.now()).toBeLessThan(Date.UTC(2026, 10, 27, 9, 0, 0) + 3 * 60 * MIN);
  });

  it('with no image named: the gallery’s images as buttons; a click replaces the picker and proposes', async () => {
    const [picker] = await h.say('replicate', { aadObjectId: ADMIN });
    const text = visibleText(picker!);
    expect(text).toContain('Which image should replicate?');
    expect(text).toContain('physics-ubuntu');
    expect(text).not.toMatch(/[<>]|&lt;/);
    const pick = { ...submitData(picker, 'pickGallery'), galleryId: 'physics-ubuntu' };
    const [proposal] = await h.send({ type: 'message', value: pick, replyToId: picker?.id, locale: 'en-US', from: { id: 'u', name: 'Alex Wilber', aadObjectId: ADMIN } });
    expect(visibleText(proposal!)).toContain('Replicate **physics-ubuntu** 1.0.0 across United States?');
    expect(h.updated.map((u) => u.id)).toEqual([picker?.id]);
    expect(visibleText(h.updated[0]!)).toMatch(/^Image \*\*physics-ubuntu\*\* chosen\.\nChosen by Alex Wilber · /);
    expect(writes()).toBe(0);
  });

  it('with no image named, "cancel" at the picker gives up and the picker says so', async () => {
    const [picker] = await h.say('replicate', { aadObjectId: ADMIN });
    const replies = await h.say('cancel', { aadObjectId: ADMIN });
    expect(replies.map((r) => r.text)).toEqual(['Cancelled. Nothing was changed.']);
    expect(h.updated.map((u) => u.id)).toEqual([picker?.id]);
    expect(visibleText(h.updated[0]!)).toMatch(/^Cancelled: nothing was changed\./);
  });

  it('picks a version by name, in French, and says which versions exist when it is wrong', async () => {
    const [reply] = await h.say('replicate physics-ubuntu 9.9.9', { aadObjectId: ADMIN, locale: 'fr-FR' });
    expect(reply?.text).toBe("L'image **physics-ubuntu** n'a pas de version **9.9.9**. Ses versions : 1.0.0.");
    expect(writes()).toBe(0);
  });

  it('refuses what it cannot do, clearly, and changes nothing', async () => {
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
