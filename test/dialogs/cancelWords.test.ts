import { ACCOUNT_ID, ADMIN, createBotHarness, visibleText, type BotHarness } from '../support/botHarness';

/** Issue 16, point 1: a name is checked whole, and "cancel", "no", "stop", "annuler" end any prompt. */
describe('prompts: whole names and cancel words (TestAdapter, emulator)', () => {
  let h: BotHarness;
  const writes = () => h.azure.emulator.requestLog.filter((e) => e.method !== 'GET');
  beforeEach(async () => {
    h = await createBotHarness();
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId: ACCOUNT_ID, boundBy: ADMIN, boundAt: 0 });
  });
  afterEach(() => h.close());

  it('refuses "create Bad Name!" with the rule instead of proposing a gallery named Bad', async () => {
    const [problem, ask] = await h.say('create Bad Name!', { aadObjectId: ADMIN });
    expect(problem?.text).toMatch(/"Bad Name!" cannot be a gallery name\. Use only letters, digits, underscores \(_\) and periods \(\.\), with no spaces\. This sign is not allowed: "!"/);
    expect(ask?.text).toMatch(/What should the new gallery be called/);
    expect(writes()).toEqual([]);
  });

  it.each([
    ['no', 'en-US', 'Cancelled. Nothing was changed.'],
    ['cancel', 'en-US', 'Cancelled. Nothing was changed.'],
    ['Stop', 'en-US', 'Cancelled. Nothing was changed.'],
    ['annuler', 'fr-FR', "Annulé. Rien n'a été modifié."],
  ])('at the name prompt, "%s" gives up instead of naming a gallery', async (word, locale, said) => {
    await h.say('create', { aadObjectId: ADMIN, locale });
    const replies = await h.say(word, { aadObjectId: ADMIN, locale });
    expect(replies.map((r) => r.text)).toEqual([said]);
    // The dialog is over: the next text is a command again, not a name.
    const [next] = await h.say('chem_gallery', { aadObjectId: ADMIN, locale });
    expect(visibleText(next!)).not.toMatch(/chem_gallery and attach/);
    expect(writes()).toEqual([]);
  });

  it.each([
    ['cancel', 'en-US', /Cancelled|cancelled/],
    ['stop', 'en-US', /Cancelled|cancelled/],
    ['annuler', 'fr-FR', /Annulé|annulé/],
  ])('at a confirmation, "%s" answers no', async (word, locale, said) => {
    const [proposal] = await h.say('attach shared_images', { aadObjectId: ADMIN, locale });
    expect(proposal?.attachments?.length).toBe(1);
    const replies = await h.say(word, { aadObjectId: ADMIN, locale });
    // The proposal card itself is replaced by what became of it.
    expect([...replies, ...h.updated].map((r) => visibleText(r)).join('\n')).toMatch(said);
    await h.settle();
    expect(writes()).toEqual([]);
  });

  it('at the gallery choice, "cancel" gives up', async () => {
    await h.say('attach', { aadObjectId: ADMIN });
    const replies = await h.say('cancel', { aadObjectId: ADMIN });
    expect(replies.map((r) => r.text)).toEqual(['Cancelled. Nothing was changed.']);
  });
});
