import { ACCOUNT_ID, ADMIN, createBotHarness, MEMBER, PLAN_ID, TEACHER, visibleText, type BotHarness } from '../support/botHarness';

describe('bot commands (TestAdapter, msteams)', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await createBotHarness();
  });
  afterEach(() => h.close());

  describe.each([
    ['en-US', 'Lab Gallery Bot', 'Your role here: admin', 'Your role here: member', ['help', 'status', 'bind ‹', 'unbind']],
    // French readers see the French command words, which the router takes with or without accents.
    ['fr-FR', 'Lab Gallery Bot', 'Votre rôle ici : administrateur', 'Votre rôle ici : membre', ['aide', 'état', 'lier ‹', 'délier']],
  ])('help in %s', (locale, title, adminRole, memberRole, usages) => {
    it('shows an admin every command as a card', async () => {
      await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
      const [reply, ...rest] = await h.say('help', { aadObjectId: ADMIN, locale });
      expect(rest).toEqual([]);
      expect(reply?.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
      const text = visibleText(reply!);
      expect(text).toContain(title);
      expect(text).toContain(adminRole);
      for (const usage of usages) expect(text).toContain(usage);
    });

    it('hides admin commands from a member', async () => {
      await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
      const [reply] = await h.say('help', { aadObjectId: MEMBER, locale });
      const text = visibleText(reply!);
      expect(text).toContain(memberRole);
      expect(text).not.toMatch(/\bbind\b/);
      expect(text).not.toMatch(/unbind/);
    });
  });

  it('shows help for a bare mention', async () => {
    const [reply] = await h.send({
      type: 'message',
      text: '<at>Lab Gallery</at>',
      entities: [{ type: 'mention', mentioned: { id: 'bot-1', name: 'Lab Gallery' }, text: '<at>Lab Gallery</at>' }],
      from: { id: 'u', name: 'U', aadObjectId: MEMBER },
    });
    expect(visibleText(reply!)).toContain('help');
  });

  it('strips the mention before routing', async () => {
    const [reply] = await h.send({
      type: 'message',
      text: '<at>Lab Gallery</at> status',
      entities: [{ type: 'mention', mentioned: { id: 'bot-1', name: 'Lab Gallery' }, text: '<at>Lab Gallery</at>' }],
      from: { id: 'u', name: 'U', aadObjectId: MEMBER },
    });
    expect(reply?.text).toMatch(/not linked/);
  });

  it.each([
    ['en-US', /I don't know "please"\. Type \*\*help\*\*/],
    ['fr-FR', /Je ne connais pas « please »\. Tapez \*\*aide\*\*/],
  ])('answers an unknown word in one line and runs nothing (%s)', async (locale, expected) => {
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
    const replies = await h.say('please unbind', { aadObjectId: ADMIN, locale });
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toMatch(expected);
    expect(await h.services.bindings.get('conversation-1')).toBeDefined();
    expect(await h.services.audit.recent(10)).toEqual([]);
  });

  describe('status', () => {
    it.each([
      ['en-US', /not linked to a lab plan or lab account/],
      ['fr-FR', /n'est liée à aucun plan de labo ni compte de labo/],
    ])('says when the conversation is unbound (%s)', async (locale, expected) => {
      const [reply] = await h.say('status', { aadObjectId: MEMBER, locale });
      expect(reply?.text).toMatch(expected);
    });

    it.each([
      ['en-US', ['Lab plan', 'physics-plan', 'West US 2', 'physics_gallery', '2 enabled, 2 disabled', 'Your role', 'teacher']],
      ['fr-FR', ['Plan de labo', 'physics-plan', 'Ouest des États-Unis 2', 'physics_gallery', '2 activées, 2 désactivées', 'Votre rôle', 'enseignant']],
    ])('shows the lab host as Azure has it, and the caller role from RBAC (%s)', async (locale, expected) => {
      await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
      const [reply] = await h.say('STATUS', { aadObjectId: TEACHER, locale });
      const text = visibleText(reply!);
      for (const e of expected) expect(text).toContain(e);
    });

    it('shows a lab account with no gallery attached', async () => {
      await h.services.bindings.put({ conversationId: 'conversation-1', hostId: ACCOUNT_ID, boundBy: ADMIN, boundAt: 0 });
      const text = visibleText((await h.say('status', { aadObjectId: ADMIN }))[0]!);
      for (const e of ['chemistry-account', 'Lab account', 'West Europe', 'Attached gallery', 'none', 'admin']) expect(text).toContain(e);
      expect(text).not.toContain('Images');
    });

    it('says what went wrong when Azure cannot be read, without Azure text', async () => {
      await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
      h.azure.emulator.faults.add({ path: /labPlans\/physics-plan$/i, status: 403, code: 'AuthorizationFailed' });
      const text = visibleText((await h.say('status', { aadObjectId: ADMIN }))[0]!);
      expect(text).toContain('not authorized');
      expect(text).not.toMatch(/AuthorizationFailed|does not have authorization/);
    });
  });

  describe('bind and unbind', () => {
    it.each([
      ['en-US', 'This conversation is now bound to **physics-plan**.', 'This conversation is no longer bound to **physics-plan**.'],
      ['fr-FR', 'Cette conversation est maintenant liée à **physics-plan**.', "Cette conversation n'est plus liée à **physics-plan**."],
    ])('lets an admin bind and unbind, audited (%s)', async (locale, bound, unbound) => {
      const [r1] = await h.say(`bind ${PLAN_ID}`, { aadObjectId: ADMIN, locale });
      expect(r1?.text).toBe(bound);
      expect((await h.services.bindings.get('conversation-1'))?.hostId).toBe(PLAN_ID);

      const [r2] = await h.say('unbind', { aadObjectId: ADMIN, locale });
      expect(r2?.text).toBe(unbound);
      expect(await h.services.bindings.get('conversation-1')).toBeUndefined();

      const audit = await h.services.audit.recent(10);
      expect(audit.map((a) => [a.command, a.outcome, a.userId, a.target])).toEqual([
        ['unbind', 'succeeded', ADMIN, PLAN_ID],
        ['bind', 'succeeded', ADMIN, PLAN_ID],
      ]);
      expect(audit.every((a) => a.correlationId.length > 0)).toBe(true);
    });

    it.each([
      ['chemistry-account', ACCOUNT_ID],
      ['PHYSICS-PLAN', PLAN_ID],
    ])('binds by name (%s)', async (name, id) => {
      const [reply] = await h.say(`bind ${name}`, { aadObjectId: ADMIN });
      expect(reply?.text).toMatch(/now bound to \*\*/);
      expect((await h.services.bindings.get('conversation-1'))?.hostId.toLowerCase()).toBe(id.toLowerCase());
    });

    it.each([
      ['bind biology-plan', /^No lab plan or lab account named "biology-plan" that you administer was found\./],
      [`bind ${PLAN_ID.replace('physics-plan', 'biology-plan')}`, /^No lab plan or lab account named "\/subscriptions\/.*\/biology-plan" that you administer was found\./],
    ])('explains an unknown host (%p), changes nothing, and audits the refusal', async (text, expected) => {
      const [reply] = await h.say(text, { aadObjectId: ADMIN });
      expect(reply?.text).toMatch(expected);
      expect(await h.services.bindings.get('conversation-1')).toBeUndefined();
      expect((await h.services.audit.recent(10)).map((a) => [a.command, a.outcome, a.userId, a.detail])).toEqual([['bind', 'refused', ADMIN, 'notFound']]);
    });

    it('says so when the host is already bound, and changes nothing', async () => {
      await h.say(`bind ${PLAN_ID}`, { aadObjectId: ADMIN });
      const [reply] = await h.say(`bind ${PLAN_ID.toLowerCase()}`, { aadObjectId: ADMIN });
      expect(reply?.text).toMatch(/already bound/);
      expect(await h.services.audit.recent(10)).toHaveLength(1);
    });

    it('rebinds to another host', async () => {
      await h.say(`bind ${PLAN_ID}`, { aadObjectId: ADMIN });
      await h.say(`bind ${ACCOUNT_ID}`, { aadObjectId: ADMIN });
      expect((await h.services.bindings.get('conversation-1'))?.hostId).toBe(ACCOUNT_ID);
    });

    it.each([
      ['en-US', /Only a lab admin can run \*\*bind\*\*\. Your role here is member\./],
      ['fr-FR', /Seul un administrateur du lab peut exécuter \*\*lier\*\*\. Votre rôle ici : membre\./],
    ])('refuses a member with a clear message, audited, nothing changed (%s)', async (locale, expected) => {
      await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
      const [reply] = await h.say(`bind ${ACCOUNT_ID}`, { aadObjectId: MEMBER, locale });
      expect(reply?.text).toMatch(expected);
      expect((await h.services.bindings.get('conversation-1'))?.hostId).toBe(PLAN_ID);
      expect((await h.services.audit.recent(10)).map((a) => [a.command, a.outcome, a.userId])).toEqual([['bind', 'refused', MEMBER]]);
    });

    it('refuses a member in an unbound conversation too, audited', async () => {
      const [reply] = await h.say(`bind ${PLAN_ID}`, { aadObjectId: MEMBER });
      expect(reply?.text).toMatch(/^No lab plan or lab account named ".*physics-plan" that you administer was found\./);
      expect(await h.services.bindings.get('conversation-1')).toBeUndefined();
      expect((await h.services.audit.recent(10)).map((a) => [a.command, a.outcome, a.userId, a.target, a.detail])).toEqual([['bind', 'refused', MEMBER, PLAN_ID, 'notAdmin']]);
    });

    it.each(['en-US', 'fr-FR'])('answers "not found" and "not yours" with one text, so bind reveals no host name (%s)', async (locale) => {
      const [notYours] = await h.say('bind physics-plan', { aadObjectId: MEMBER, locale });
      const [notFound] = await h.say('bind biology-plan', { aadObjectId: MEMBER, locale });
      expect(notYours?.text).toBeDefined();
      expect(notYours?.text?.replace('physics-plan', 'X')).toBe(notFound?.text?.replace('biology-plan', 'X'));
      expect((await h.services.audit.recent(10)).map((a) => [a.outcome, a.detail])).toEqual([['refused', 'notFound'], ['refused', 'notAdmin']]);
    });

    it('refuses a user without aadObjectId (fails closed)', async () => {
      await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
      const [reply] = await h.say('unbind', {});
      expect(reply?.text).toMatch(/^I can't tell who you are/);
      expect(await h.services.bindings.get('conversation-1')).toBeDefined();
    });

    it.each([
      ['bind', /Say which lab plan or lab account to link/],
      ['bind not/an/id', /"not\/an\/id" is not the ARM id of a lab plan or lab account/],
      [`bind ${PLAN_ID}/images/x`, /is not the ARM id of a lab plan or lab account/],
    ])('explains bad input for %p and changes nothing', async (text, expected) => {
      const [reply] = await h.say(text, { aadObjectId: ADMIN });
      expect(reply?.text).toMatch(expected);
      expect(await h.services.bindings.get('conversation-1')).toBeUndefined();
    });

    it('says there is nothing to unbind (to an admin from configuration: RBAC needs a host)', async () => {
      await h.close();
      h = await createBotHarness({ access: { adminIds: [MEMBER] } });
      const [reply] = await h.say('unbind', { aadObjectId: MEMBER, locale: 'fr-FR' });
      expect(reply?.text).toBe("Cette conversation n'est liée à aucun plan de labo ni compte de labo ; rien à faire.");
    });
  });
});
