import { ADMIN, createBotHarness, MEMBER, PLAN_ID, ACCOUNT_ID, type BotHarness } from '../support/botHarness';

describe('doctor (TestAdapter, msteams, emulator)', () => {
  let h: BotHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function ask(hostId: string, locale = 'en-US'): Promise<string> {
    if (!h) throw new Error('no harness');
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId, boundBy: ADMIN, boundAt: 0 });
    const replies = await h.say('doctor', { aadObjectId: ADMIN, locale });
    expect(replies).toHaveLength(1);
    return replies[0]?.text ?? '';
  }

  it('all good: every feature works, read with two ARM permission reads', async () => {
    h = await createBotHarness();
    h.azure.emulator.clearRequestLog();
    const text = await ask(PLAN_ID);
    expect(text).toContain("**The bot's Azure permissions on physics-plan**");
    expect(text).toContain('Gallery checked: physics_gallery.');
    for (const feature of ['Attach a gallery', 'Detach the gallery', 'Enable or disable images', 'Replicate image versions', 'Create labs']) expect(text).toContain(`✅ ${feature}`);
    expect(text).not.toContain('❌');
    expect(text).toContain('Everything the bot does here is allowed.');
    expect(h.azure.emulator.requestLog.filter((e) => e.operation === 'permissions.listForScope')).toHaveLength(2);
  });

  it.each([
    ['en-US', '❌ Attach a gallery: missing Microsoft.Authorization/roleAssignments/write on the gallery (fix: User Access Administrator)', '1 of 5 features lacks a permission.'],
    ['fr-FR', '❌ Attacher une galerie : il manque Microsoft.Authorization/roleAssignments/write sur la galerie (solution : User Access Administrator)', 'Il manque une permission à 1 fonction sur 5.'],
  ])('one missing permission (%s): names the feature, the action, where, and the role that fixes it', async (locale, line, footer) => {
    h = await createBotHarness({ emulator: { caller: { missingActions: ['Microsoft.Authorization/roleAssignments/write'] } } });
    const text = await ask(PLAN_ID, locale);
    expect(text).toContain(line);
    expect(text).toContain(footer);
    expect(text.match(/❌/g)).toHaveLength(1);
  });

  it('a lab account without a gallery: gallery permissions are read on its resource group', async () => {
    h = await createBotHarness({ emulator: { caller: { missingActions: ['Microsoft.LabServices/labAccounts/sharedImages/write'] } } });
    const text = await ask(ACCOUNT_ID);
    expect(text).toContain('No gallery is attached: the gallery permissions were checked on the resource group');
    expect(text).toContain('❌ Enable or disable images: missing Microsoft.LabServices/labAccounts/sharedImages/write on the lab plan or lab account (fix: Lab Services Contributor)');
    expect(text).toContain('✅ Attach a gallery');
  });

  it('is for admins only, and the French alias works', async () => {
    h = await createBotHarness();
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
    const [refused] = await h.say('doctor', { aadObjectId: MEMBER });
    expect(refused?.text).toMatch(/Only a lab admin can run \*\*doctor\*\*/);
    const [french] = await h.say('docteur', { aadObjectId: ADMIN, locale: 'fr-FR' });
    expect(french?.text).toContain('**Les permissions Azure du bot sur physics-plan**');
  });
});
