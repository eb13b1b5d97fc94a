import { createCommandRegistry, helpOrder } from '../../src/commands';
import { DEMO_IDS } from '../../src/emulator';
import { createTranslator } from '../../src/i18n/catalog';
import { cardActions, helpCardCommands, cardInputs, cardTexts, type CardJson } from '../support/cardReader';
import { startPlayground, type Playground } from '../support/playground';

const listedCommands = helpCardCommands;
const t = createTranslator('en-US');

describe('Playground: a member (Adele Vance, no role on the demo hosts)', () => {
  let pg: Playground;

  beforeAll(async () => {
    pg = await startPlayground();
  });

  afterAll(async () => {
    await pg?.close();
  });

  const enabledImages = async () =>
    (await pg.app.azure.gateways.labHosts.listImages(DEMO_IDS.labPlanId))
      .filter((i) => i.enabled)
      .map((i) => i.name)
      .sort();

  it('gets only the commands a member may run from help', async () => {
    const reply = await pg.replyTo(await pg.say(pg.conversations.group, 'help', pg.users.member));

    const card = reply.card as CardJson;
    expect(listedCommands(card)).toEqual(helpOrder(createCommandRegistry().visibleTo('member', true)).map((c) => t(c.usage).split(' ')[0]));
    expect(listedCommands(card)).toEqual(expect.arrayContaining(['help', 'status', 'images']));
    for (const adminOnly of ['attach', 'create', 'detach', 'enable', 'disable', 'bind', 'unbind', 'audit']) expect(listedCommands(card)).not.toContain(adminOnly);
    expect(cardTexts(card)).toContain('Your role here: member');
  });

  it('gets the image list without toggles or template buttons', async () => {
    const reply = await pg.replyTo(await pg.say(pg.conversations.group, 'images', pg.users.member));

    const card = reply.card as CardJson;
    expect(cardTexts(card)).toEqual(expect.arrayContaining(['physics-win11', 'physics-ubuntu', 'optics-sim', 'quantum-gpu']));
    expect(cardInputs(card)).toEqual({});
    // A group chat's card is shared; "My options" gives a member their own view, which has nothing more.
    expect(cardActions(card).map((a) => a.verb)).toEqual(['images.refresh', 'images.mine']);
  });

  it('is refused a typed change, with a clear message, and nothing changes', async () => {
    const before = await enabledImages();

    const reply = await pg.replyTo(await pg.say(pg.conversations.group, 'disable physics-win11', pg.users.member));

    expect(reply.text).toBe('Only a lab admin can run **disable**. Your role here is member.');
    expect(await enabledImages()).toEqual(before);
    const [audited] = await pg.app.services.audit.recent(1, { conversationId: pg.conversations.group });
    expect(audited).toMatchObject({ command: 'disable', outcome: 'refused', userId: pg.users.member.aadObjectId });
  });

  it("is refused Apply on an admin's image card, and nothing changes", async () => {
    const before = await enabledImages();
    const list = await pg.replyTo(await pg.say(pg.conversations.group, 'images'));
    const adminView = await pg.execute(list, { verb: 'images.mine' });

    const answer = await pg.execute(list, { verb: 'images.apply' }, { as: pg.users.member, inputs: { 'image:physics-win11': 'false', 'image:optics-sim': 'true' } });

    expect(answer.text).toBe('Only a lab admin can do that. Your role here is member. Nothing was changed.');
    expect(answer.card).toBeUndefined();
    expect(pg.currentCard(list.messageId)).toBe(adminView.card);
    expect(await enabledImages()).toEqual(before);
  });
});
