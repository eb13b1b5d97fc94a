import type { Activity, AdaptiveCardInvokeResponse, InvokeResponse } from 'botbuilder';
import { DEMO_IDS, seedDemo } from '../../src/emulator';
import { ADMIN, createBotHarness, MEMBER, PLAN_ID, TEACHER, visibleText, type BotHarness } from '../support/botHarness';
import { submitData } from '../support/dialogHarness';

const GALLERY = DEMO_IDS.campusGalleryId;
const VERSION_ID = `${GALLERY}/images/ubuntu-campus/versions/1.0.0`;

/**
 * A conversation bound to a gallery alone (issue 17), end to end on the bot as startApp wires it: real SQLite, the
 * real SDK adapters against the demo world with `campus_images`, the tracker ticked on the manual clock. One
 * harness for the file; each test has its own conversation.
 */
describe('a conversation bound to a gallery alone (TestAdapter, emulator)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness({
      emulator: { seed: (state) => void seedDemo(state, { ownerPrincipalIds: [ADMIN], teacherPrincipalIds: [TEACHER], campusGallery: true }) },
    });
  });
  afterAll(() => h.close());

  const say = (conversationId: string, text: string, who = ADMIN, locale = 'en-US') => h.say(text, { aadObjectId: who, conversationId, locale });
  const bindGallery = async (conversationId: string) => {
    const [reply] = await say(conversationId, 'bind gallery campus_images');
    expect(reply?.text).toContain('now bound to the gallery **campus_images** alone');
  };

  it('binds by name or ARM id for an Owner of the gallery; others learn nothing', async () => {
    await bindGallery('19:g-bind');
    expect(await h.services.bindings.get('19:g-bind')).toMatchObject({ hostId: GALLERY, kind: 'gallery' });
    expect((await say('19:g-bind', `bind gallery ${GALLERY}`))[0]?.text).toContain('already bound to the gallery **campus_images**');
    expect((await h.services.audit.recent(1, { conversationId: '19:g-bind' }))[0]).toMatchObject({ command: 'bind', outcome: 'succeeded', target: GALLERY });

    // A Reader of the gallery (the demo's teacher) and someone with no role get the same answer as an unknown name.
    for (const [who, name] of [[TEACHER, 'campus_images'], [MEMBER, 'campus_images'], [ADMIN, 'no_such_gallery']] as const) {
      const [refused] = await say(`19:g-refused-${who}-${name}`, `bind gallery ${name}`, who);
      expect(refused?.text).toBe(`No gallery named "${name}" that you administer was found. Check the name (or give its ARM id), or ask an Owner or Contributor of that gallery to bind it.`);
      expect(await h.services.bindings.get(`19:g-refused-${who}-${name}`)).toBeUndefined();
    }
    expect((await say('19:g-missing', 'bind gallery'))[0]?.text).toContain('Say which gallery to bind');
  });

  it('inventory: a summary of the gallery alone where it was asked (the file goes to the requester)', async () => {
    await bindGallery('19:g-inventory');
    const [summary] = await say('19:g-inventory', 'inventory');
    expect(summary?.summary).toMatch(/Inventory of the gallery campus_images: 3 images/);
    expect((await say('19:g-inventory', 'inventory', TEACHER))[0]?.text).toMatch(/admin/i);
  });

  it('status shows the gallery, its place and its images, and no Lab Services notice', async () => {
    await bindGallery('19:g-status');
    const [card] = await say('19:g-status', 'status');
    const text = visibleText(card!);
    for (const part of ['campus_images', 'the gallery alone (no lab plan or lab account)', 'rg-images', 'France Central', '3 images', 'admin']) expect(text).toContain(part);
    expect(text).not.toMatch(/retires/);
    const [french] = await say('19:g-status', 'etat', ADMIN, 'fr-FR');
    expect(visibleText(french!)).toContain('la galerie seule (ni plan de labo ni compte de labo)');
  });

  it('images: each image with its OS, state, versions, size and regions, read-only', async () => {
    await bindGallery('19:g-images');
    h.azure.emulator.clearRequestLog();
    const [card] = await say('19:g-images', 'images', TEACHER);
    const text = visibleText(card!);
    expect(text).toContain('Images of campus_images');
    expect(text).toContain('win11-campus');
    expect(text).toMatch(/Windows · generalized \(a reusable image\) — 1\.0\.0: 127 GB, France Central/);
    expect(text).toMatch(/cad-workstation[\s\S]*specialized/);
    expect(text).toContain('3 images in the gallery campus_images.');
    expect(JSON.stringify(card)).not.toMatch(/Action\.(Execute|Submit)/);
    // One list of definitions and one list of versions per image: never a read per version.
    const reads = h.azure.emulator.requestLog.filter((e) => e.method === 'GET' && (e.operation ?? '').startsWith('galleryImage'));
    expect(reads.length).toBeLessThanOrEqual(4);
    const [filtered] = await say('19:g-images', 'images ubuntu');
    expect(visibleText(filtered!)).toContain('Filter "ubuntu": 1 match.');
  });

  it('commands that need a lab host say so in one line, and help leaves them out', async () => {
    await bindGallery('19:g-host');
    for (const command of ['attach', 'detach', 'enable win11-campus', 'create g2']) {
      const replies = await say('19:g-host', command);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.text).toBe(`**${command.split(' ')[0]}** needs a lab plan or lab account, and this conversation is bound to the gallery campus_images alone.`);
    }
    const help = visibleText((await say('19:g-host', 'help'))[0]!);
    for (const works of ['status', 'images', 'replicate', 'audit', 'doctor', 'unbind']) expect(help).toContain(works);
    expect(help).not.toMatch(/^(attach|detach|enable|disable|create)\b/m);
    // A card action replayed from elsewhere is refused as well.
    const [action] = await h.send({ type: 'message', value: { verb: 'images.apply', wanted: {} }, conversation: { id: '19:g-host', isGroup: true, conversationType: 'channel', name: 'General' }, from: { id: 'u', name: 'A', aadObjectId: ADMIN }, locale: 'en-US' });
    expect(action?.text ?? '').not.toContain('Saved');
  });

  it('doctor reads the bot permissions on the gallery itself', async () => {
    await bindGallery('19:g-doctor');
    h.azure.emulator.clearRequestLog();
    const [reply] = await say('19:g-doctor', 'doctor');
    expect(reply?.text).toContain("**The bot's Azure permissions on the gallery campus_images**");
    expect(reply?.text).toContain('✅ List images and versions');
    expect(reply?.text).toContain('✅ Replicate image versions');
    expect(h.azure.emulator.requestLog.filter((e) => e.operation === 'permissions.listForScope')).toHaveLength(1);
  });

  it('replicate: the gallery geography, confirmed, then the progress card and one announcement in the gallery conversation', async () => {
    await bindGallery('19:g-replicate');
    const [proposal] = await say('19:g-replicate', 'replicate ubuntu-campus');
    expect(visibleText(proposal!)).toContain('Replicate **ubuntu-campus** 1.0.0 across France?');
    const [started] = await h.send({
      type: 'message',
      value: submitData(proposal, 'confirm'),
      locale: 'en-US',
      conversation: { id: '19:g-replicate', isGroup: true, conversationType: 'channel', name: 'General' },
      from: { id: 'u', name: 'A', aadObjectId: ADMIN },
    });
    expect(visibleText(started!)).toContain('Adding 2 regions to **ubuntu-campus** 1.0.0');
    await h.settle();
    expect((h.azure.emulator.state.galleries.version(VERSION_ID)?.targetRegions ?? []).map((t) => t.region).sort()).toEqual(['francecentral', 'francesouth']);
    expect((await h.services.audit.recent(1, { conversationId: '19:g-replicate' }))[0]).toMatchObject({ command: 'replicate', outcome: 'succeeded', target: VERSION_ID });

    for (let i = 0; i < 200 && !h.notifier.texts().some((t) => t.includes('ubuntu-campus** 1.0.0 is replicated')); i++) {
      const next = await h.tracker.tick();
      h.clock.set(Math.max(h.clock.now() + 1, next));
    }
    // Every conversation bound to the gallery hears of it (the earlier tests' too), each once; no host is involved.
    const audience = (await h.services.bindings.listByGallery(GALLERY)).map((b) => b.conversationId).sort();
    expect(audience).toContain('19:g-replicate');
    // The progress is told on the operation's card where it was asked; the other conversations get no card of their own.
    expect(h.notifier.outcomes().join('\n')).toContain('Replication of ubuntu-campus 1.0.0');
    expect(h.notifier.sent.filter((s) => s.key.includes(':card:') && s.key.includes('ubuntu-campus'))).toEqual([]);
    const announcements = h.notifier.sent.filter((s) => s.message.kind === 'text' && s.message.text.startsWith('✅ **ubuntu-campus** 1.0.0') && !s.message.text.includes('targets'));
    expect(announcements.map((a) => a.conversationId).sort()).toEqual(audience);
    // Each in its channel's language, the first one spoken there: the status test's French `etat` came later.
    const text = (id: string) => announcements.flatMap((a) => (a.conversationId === id && a.message.kind === 'text' ? [a.message.text] : []))[0];
    expect(text('19:g-replicate')).toContain('is replicated to both regions of France');
    expect(text('19:g-status')).toContain('is replicated');
  });

  it('retry of failed regions: the failure announcement\'s button works on a gallery alone, journaled against it', async () => {
    await bindGallery('19:g-retry');
    const galleries = h.azure.emulator.state.galleries;
    galleries.failNextReplications('francesouth');
    const version = galleries.addVersion({
      definitionId: `${GALLERY}/images/ubuntu-campus`,
      name: '2.0.0',
      targetRegions: [{ name: 'francecentral', regionalReplicaCount: 1 }, { name: 'francesouth', regionalReplicaCount: 1 }],
      osDiskSizeGB: 30,
      replicationDurationsMs: 0,
    });
    expect(galleries.replicationStatus(version.id).aggregatedState).toBe('Failed');
    const from = h.notifier.sent.length;
    const replies: Partial<Activity>[] = await h.send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      locale: 'en-US',
      conversation: { id: '19:g-retry', isGroup: true, conversationType: 'channel', name: 'General' },
      from: { id: `user-${ADMIN}`, name: 'Alex Wilber', aadObjectId: ADMIN },
      value: { action: { type: 'Action.Execute', verb: 'replication.retry', data: { image: 'ubuntu-campus', version: '2.0.0' } } },
    });
    const { body } = replies.find((r) => r.type === 'invokeResponse')!.value as InvokeResponse<AdaptiveCardInvokeResponse>;
    expect(String(body?.value)).toMatch(/posted the retry/);
    const proposal = h.notifier.sent.slice(from).find((m) => m.message.kind === 'card');
    const confirmationId = /"confirmationId":"([^"]+)"/.exec(JSON.stringify(proposal?.message))?.[1];
    expect(confirmationId).toBeDefined();
    await h.send({
      type: 'message',
      locale: 'en-US',
      conversation: { id: '19:g-retry', isGroup: true, conversationType: 'channel', name: 'General' },
      from: { id: `user-${ADMIN}`, name: 'Alex Wilber', aadObjectId: ADMIN },
      value: { verb: 'confirm', confirmationId, answer: 'yes' },
    });
    await h.settle();
    expect(galleries.replicationStatus(version.id).summary.find((r) => r.region.replace(/\s/g, '').toLowerCase() === 'francesouth')?.state).not.toBe('Failed');
    expect((await h.services.audit.recent(1, { conversationId: '19:g-retry' }))[0]).toMatchObject({ command: 'retryRegions', outcome: 'succeeded', target: version.id });
  });

  it('unbind removes a gallery binding; a host binding keeps working as before', async () => {
    await bindGallery('19:g-unbind');
    expect((await say('19:g-unbind', 'unbind'))[0]?.text).toBe('This conversation is no longer bound to **campus_images**.');
    expect(await h.services.bindings.get('19:g-unbind')).toBeUndefined();
    expect((await say('19:g-unbind', `bind ${PLAN_ID}`))[0]?.text).toBe('This conversation is now bound to **physics-plan**.');
    expect((await h.services.bindings.get('19:g-unbind'))?.kind).toBeUndefined();
  });
});
