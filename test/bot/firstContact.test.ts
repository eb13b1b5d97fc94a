import type { Activity } from 'botbuilder';
import { createBotHarness, MEMBER, PLAN_ID, ADMIN, visibleText, type BotHarness } from '../support/botHarness';

/** Buttons of a reply's card that send a command as if typed: [title, text sent]. */
function commandButtons(reply: Partial<Activity>): [string, string][] {
  const card = reply.attachments?.[0]?.content as { actions?: { title: string; data?: { verb?: string; command?: string } }[] } | undefined;
  return (card?.actions ?? []).map((a) => {
    expect(a.data?.verb).toBe('command');
    return [a.title, a.data?.command ?? ''];
  });
}

describe('first contact: greetings, typos, accents (issue 16, point 11)', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await createBotHarness();
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
  });
  afterEach(() => h.close());

  it.each([
    ['hi', 'en-US', "Hi, I'm Lab Gallery Bot", ['Status', 'Images', 'All commands']],
    ['Bonjour', 'fr-FR', 'Bonjour, je suis Lab Gallery Bot', ['État', 'Images', 'Toutes les commandes']],
  ])('answers the greeting "%s" with the welcome card and three first steps', async (greeting, locale, title, buttons) => {
    const [reply, ...rest] = await h.say(greeting, { aadObjectId: MEMBER, locale });
    expect(rest).toEqual([]);
    expect(visibleText(reply!)).toContain(title);
    expect(commandButtons(reply!)).toEqual([
      [buttons[0], 'status'],
      [buttons[1], 'images'],
      [buttons[2], 'help'],
    ]);
  });

  it.each([
    ['en-US', "Hi, I'm Lab Gallery Bot"],
    ['fr-FR', 'Bonjour, je suis Lab Gallery Bot'],
  ])('welcomes once when the app is installed (%s), and says nothing when it is removed', async (locale, title) => {
    const conversation = { id: 'chat-9', isGroup: false, name: '', conversationType: 'personal' };
    const [welcome, ...rest] = await h.send({ type: 'installationUpdate', action: 'add', locale, conversation });
    expect(rest).toEqual([]);
    expect(visibleText(welcome!)).toContain(title);
    expect(commandButtons(welcome!).map(([, command]) => command)).toEqual(['status', 'images', 'help']);
    expect(await h.send({ type: 'installationUpdate', action: 'remove', locale, conversation })).toEqual([]);
  });

  it('answers a command button as if its command had been typed, in any client', async () => {
    const [typed] = await h.say('status', { aadObjectId: ADMIN });
    const [pressed, ...rest] = await h.send({
      type: 'message',
      text: '',
      value: { verb: 'command', command: 'status' },
      locale: 'en-US',
      from: { id: `user-${ADMIN}`, name: 'User', aadObjectId: ADMIN },
    });
    expect(rest).toEqual([]);
    expect(visibleText(pressed!)).toBe(visibleText(typed!));
  });

  it('keeps greetings out of help', async () => {
    const [reply] = await h.say('help', { aadObjectId: ADMIN });
    expect(visibleText(reply!)).not.toMatch(/hello|bonjour/i);
  });

  it.each([
    ['/help', /Lab Gallery Bot/],
    ['État', /physics-plan|Lab host|Hôte/i],
    ['ETAT', /physics-plan|Lab host|Hôte/i],
  ])('accepts "%s" (slash, accents, case)', async (text, expected) => {
    const [reply] = await h.say(text, { aadObjectId: MEMBER, locale: 'fr-FR' });
    expect(visibleText(reply!)).not.toMatch(/Je ne connais pas/);
    expect(visibleText(reply!)).toMatch(expected);
  });

  it.each([
    ['imgaes', 'en-US', 'images', /I don't know "imgaes"\. Did you mean \*\*images\*\*\?/],
    ['detatch', 'en-US', 'detach', /Did you mean \*\*detach\*\*/],
    ['enabel physics-ubuntu', 'en-US', 'enable physics-ubuntu', /Did you mean \*\*enable\*\*/],
    ['détacher', 'fr-FR', null, null],
    ['repliqeur', 'fr-FR', 'répliquer', /Vouliez-vous dire \*\*répliquer\*\* \?/],
  ])('offers the close command for the typo "%s", as a button that runs nothing by itself', async (typo, locale, button, text) => {
    const replies = await h.say(typo, { aadObjectId: ADMIN, locale });
    if (button === null) {
      // An accent is not a typo: the French alias runs (here, detach asks for confirmation first).
      expect(visibleText(replies[0]!)).not.toMatch(/Je ne connais pas/);
      return;
    }
    expect(replies).toHaveLength(1);
    expect(visibleText(replies[0]!)).toMatch(text!);
    expect(commandButtons(replies[0]!)).toEqual([[button, button]]);
    expect(await h.services.audit.recent(10)).toEqual([]);
  });

  it('suggests nothing for a word far from every command', async () => {
    const [reply] = await h.say('please', { aadObjectId: ADMIN });
    expect(reply?.text).toMatch(/I don't know "please"\. Type \*\*help\*\*/);
    expect(reply?.attachments ?? []).toEqual([]);
  });
});
