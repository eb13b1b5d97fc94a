import { createCommandRegistry, helpOrder } from '../../src/commands';
import { DEMO_IDS } from '../../src/emulator';
import { createTranslator } from '../../src/i18n/catalog';
import type { Role } from '../../src/ports/accessPolicy';
import { helpCardCommands, cardFacts, cardInputs, cardTexts, type CardJson } from '../support/cardReader';
import { startPlayground, type Playground } from '../support/playground';

/** The first word of each command the help card lists. */
const listedCommands = helpCardCommands;
const t = createTranslator('en-US');
const commandsFor = (role: Role) => helpOrder(createCommandRegistry().visibleTo(role, true)).map((c) => t(c.usage).split(' ')[0]);
const sameId = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

describe('Playground: an admin (the current user, Owner of the demo hosts)', () => {
  let pg: Playground;

  beforeAll(async () => {
    pg = await startPlayground();
  });

  afterAll(async () => {
    await pg?.close();
  });

  it('gets every command an admin may run from help in the personal chat', async () => {
    const reply = await pg.replyTo(await pg.say(pg.conversations.personal, 'help'));

    expect(reply.card).toBeDefined();
    const card = reply.card as CardJson;
    expect(listedCommands(card)).toEqual(commandsFor('admin'));
    expect(listedCommands(card)).toEqual(expect.arrayContaining(['attach', 'create', 'detach', 'enable', 'disable', 'bind', 'unbind', 'audit']));
    expect(cardTexts(card)).toContain('Your role here: admin');
  });

  it('gets the status of the lab plan the personal chat starts bound to', async () => {
    const reply = await pg.replyTo(await pg.say(pg.conversations.personal, 'status'));

    expect(cardFacts(reply.card as CardJson)).toMatchObject({
      'Lab plan': 'physics-plan',
      Region: 'West US 2',
      'Attached gallery': 'physics_gallery',
      Images: '2 enabled, 2 disabled',
      'Your role': 'admin',
    });
  });

  it('toggles images and applies them: the card is replaced in place and a fresh list shows the change', async () => {
    const { personal } = pg.conversations;
    const list = await pg.replyTo(await pg.say(personal, 'images'));
    expect(cardInputs(list.card as CardJson)).toEqual({
      'image:physics-win11': 'true',
      'image:physics-ubuntu': 'true',
      'image:optics-sim': 'false',
      'image:quantum-gpu': 'false',
    });

    const answer = await pg.execute(list, { verb: 'images.apply' }, { inputs: { 'image:physics-ubuntu': 'false', 'image:optics-sim': 'true' } });

    expect(answer.card).toBeDefined();
    const updated = answer.card as CardJson;
    expect(cardTexts(updated)).toContain('Saved: 1 enabled, 1 disabled.');
    expect(cardInputs(updated)).toMatchObject({ 'image:physics-ubuntu': 'false', 'image:optics-sim': 'true' });
    // In place: the clicked message now shows the answer, and no new message was posted for it.
    expect(pg.currentCard(list.messageId)).toBe(updated);
    expect(pg.activities.slice(answer.since).filter((a) => a.conversationId === personal)).toEqual([]);

    const images = await pg.app.azure.gateways.labHosts.listImages(DEMO_IDS.labPlanId);
    const enabled = images.filter((i) => i.enabled).map((i) => i.name).sort();
    expect(enabled).toEqual(['optics-sim', 'physics-win11']);

    const fresh = await pg.replyTo(await pg.say(personal, 'images'));
    expect(cardInputs(fresh.card as CardJson)).toEqual({
      'image:physics-win11': 'true',
      'image:physics-ubuntu': 'false',
      'image:optics-sim': 'true',
      'image:quantum-gpu': 'false',
    });
    expect(cardTexts(fresh.card as CardJson)).toContain('physics-plan (West US 2) · 2 of 4 enabled');
  });

  it('detaches the gallery once confirmed (by the admin who asked, not by a teacher), then attaches it again from the choice card', async () => {
    const { group } = pg.conversations;
    const labHosts = pg.app.azure.gateways.labHosts;

    const proposal = await pg.replyTo(await pg.say(group, 'detach'));
    const proposalCard = proposal.card as CardJson;
    expect(cardTexts(proposalCard)).toContain('Detach physics_gallery from physics-plan?');
    expect(cardFacts(proposalCard)).toMatchObject({ Gallery: 'physics_gallery', 'Labs built from its images': 'Mechanics 101, Optics 201' });

    const foreign = await pg.submit(proposal, { title: 'Confirm' }, { as: pg.users.teacher });
    expect((await pg.replyTo(foreign)).text).toBe('Only the admin who asked can answer this. Nothing was changed.');
    expect(sameId((await labHosts.getHost(DEMO_IDS.labPlanId)).sharedGalleryId, DEMO_IDS.physicsGalleryId)).toBe(true);

    // The proposal card itself becomes the operation's card, then its outcome: one message, updated in place.
    const confirmed = await pg.submit(proposal, { title: 'Confirm' });
    const headline = (a: { card?: CardJson }) => (a.card ? cardTexts(a.card)[0] : undefined) ?? '';
    const updateOf = (message: { messageId: string }, since: number, starts: string) =>
      pg.waitForActivity((a) => a.action === 'update' && a.messageId === message.messageId && headline(a).startsWith(starts), { since, timeoutMs: 20_000 });
    expect(headline(await updateOf(proposal, confirmed.since, '⏳'))).toBe('⏳ Detaching **physics_gallery** from **physics-plan**…');
    expect(headline(await updateOf(proposal, confirmed.since, '✅'))).toBe('✅ **physics_gallery** was detached from **physics-plan**.');
    expect((await labHosts.getHost(DEMO_IDS.labPlanId)).sharedGalleryId).toBeUndefined();

    const choice = await pg.replyTo(await pg.say(group, 'attach'));
    const choiceCard = choice.card as CardJson;
    expect(cardTexts(choiceCard)).toEqual(expect.arrayContaining(['Choose a gallery to attach', 'physics_gallery', 'shared_images']));

    const picked = await pg.submit(choice, { title: 'Attach', where: (a) => sameId(String(a.data?.galleryId), DEMO_IDS.physicsGalleryId) });
    const attachProposal = await pg.replyTo(picked);
    expect(cardTexts(attachProposal.card as CardJson)).toContain('Attach physics_gallery to physics-plan?');

    // The answered choice card says what was chosen, with no button left.
    expect(headline(await updateOf(choice, picked.since, 'Gallery'))).toBe('Gallery **physics_gallery** chosen.');
    const yes = await pg.submit(attachProposal, { title: 'Confirm' });
    expect(headline(await updateOf(attachProposal, yes.since, '⏳'))).toBe('⏳ Attaching **physics_gallery** to **physics-plan**…');
    expect(headline(await updateOf(attachProposal, yes.since, '✅'))).toContain('✅ **physics_gallery** is now attached to **physics-plan**.');
    expect(sameId((await labHosts.getHost(DEMO_IDS.labPlanId)).sharedGalleryId, DEMO_IDS.physicsGalleryId)).toBe(true);

    const status = await pg.replyTo(await pg.say(group, 'status'));
    expect(cardFacts(status.card as CardJson)).toMatchObject({ 'Attached gallery': 'physics_gallery' });
  });

  it('answers an @mention in the team channel in the thread of the post', async () => {
    const { channel } = pg.conversations;
    const sent = await pg.say(channel, 'status');

    expect(sent.conversationId.startsWith(`${channel};messageid=`)).toBe(true);
    const reply = await pg.replyTo(sent);
    expect(cardFacts(reply.card as CardJson)).toMatchObject({ 'Lab plan': 'physics-plan', 'Your role': 'admin' });
  });
});
