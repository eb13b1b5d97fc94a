import { ACCOUNT_ID, ADMIN, createBotHarness, PLAN_ID, TEACHER, visibleText, type BotHarness } from '../support/botHarness';

describe('enable and disable (TestAdapter, msteams)', () => {
  let h: BotHarness;

  const bind = (hostId = PLAN_ID) => h.services.bindings.put({ conversationId: 'conversation-1', hostId, boundBy: ADMIN, boundAt: 0 });
  const states = () => Object.fromEntries(h.azure.emulator.state.labPlans.images(PLAN_ID).map((i) => [i.name, i.enabledState]));
  const writes = () => h.azure.emulator.requestLog.filter((e) => e.method !== 'GET');
  const say = async (text: string, as: { aadObjectId?: string; locale?: string } = { aadObjectId: ADMIN }) => {
    const replies = await h.say(text, as);
    expect(replies).toHaveLength(1);
    return replies[0]?.text ?? '';
  };

  beforeEach(async () => {
    h = await createBotHarness();
  });
  afterEach(() => h.close());

  it.each([
    ['en-US', 'enable optics-sim QUANTUM-GPU', 'Enabled (2): **optics-sim**, **quantum-gpu**.'],
    ['fr-FR', 'enable optics-sim QUANTUM-GPU', 'Activées (2) : **optics-sim**, **quantum-gpu**.'],
    ['fr-FR', 'activer optics-sim,quantum-gpu', 'Activées (2) : **optics-sim**, **quantum-gpu**.'],
  ])('lets an admin enable images by name, case-insensitively, audited once (%s: %s)', async (locale, text, expected) => {
    await bind();
    expect(await say(text, { aadObjectId: ADMIN, locale })).toBe(expected);
    expect(states()).toEqual({ 'physics-win11': 'Enabled', 'physics-ubuntu': 'Enabled', 'optics-sim': 'Enabled', 'quantum-gpu': 'Enabled' });
    const audit = await h.services.audit.recent(10);
    expect(audit.map((a) => [a.command, a.outcome, a.userId, a.target, a.detail])).toEqual([['enable', 'succeeded', ADMIN, PLAN_ID, 'changed=2 unchanged=0 failed=0 images=optics-sim,quantum-gpu']]);
  });

  it.each([
    ['en-US', 'Disabled (1): **physics-win11**.\n\nAlready disabled (1): **optics-sim**.'],
    ['fr-FR', 'Désactivées (1) : **physics-win11**.\n\nDéjà désactivées (1) : **optics-sim**.'],
  ])('says what changed and what already was so (%s)', async (locale, expected) => {
    await bind();
    expect(await say('desactiver physics-win11, Optics-Sim', { aadObjectId: ADMIN, locale })).toBe(expected);
    expect(writes()).toHaveLength(1);
    expect(states()['physics-win11']).toBe('Disabled');
  });

  it.each([
    ['en-US', /^No image named nope in the attached gallery \(1 unknown\)\. Nothing was changed/],
    ['fr-FR', /^Aucune image nommée nope dans la galerie attachée \(1 inconnue\)\. Rien n'a été modifié/],
  ])('changes nothing when a name is unknown, and says which (%s)', async (locale, expected) => {
    await bind();
    h.azure.emulator.clearRequestLog();
    expect(await say('disable nope physics-win11', { aadObjectId: ADMIN, locale })).toMatch(expected);
    expect(writes()).toHaveLength(0);
    expect(states()['physics-win11']).toBe('Enabled');
    // A typo is not an audited change (issue 16, point 13).
    expect(await h.services.audit.recent(10)).toEqual([]);
  });

  it('tells which image Azure refused, in the user words, and changes the others', async () => {
    await bind();
    h.azure.emulator.faults.add({ method: 'PATCH', path: /images\/optics-sim$/i, status: 409, code: 'Conflict' });
    const text = await say('enable optics-sim quantum-gpu');
    expect(text).toBe(
      'Enabled (1): **quantum-gpu**.\n\nNot changed: **optics-sim**. Azure reported a conflict on optics-sim: someone else may be changing it. Try again shortly.',
    );
    expect(text).not.toMatch(/Injected fault|Conflict\b/);
    expect(states()).toMatchObject({ 'optics-sim': 'Disabled', 'quantum-gpu': 'Enabled' });
    expect((await h.services.audit.recent(1))[0]?.detail).toBe('changed=1 unchanged=0 failed=1 images=quantum-gpu');
  });

  it('refuses a teacher, audits the refusal and changes nothing', async () => {
    await bind();
    expect(await say('enable optics-sim', { aadObjectId: TEACHER })).toBe('Only a lab admin can run **enable**. Your role here is teacher.');
    expect(states()['optics-sim']).toBe('Disabled');
    expect(writes()).toHaveLength(0);
    expect((await h.services.audit.recent(10)).map((a) => [a.command, a.outcome, a.detail])).toEqual([['enable', 'refused', 'role=teacher']]);
  });

  it.each([
    ['en-US', 'enable', 'Say which images to enable: `enable ‹image› [image…]`, names separated by spaces or commas.'],
    ['en-US', 'disable , ,', 'Say which images to disable: `disable ‹image› [image…]`, names separated by spaces or commas.'],
    ['fr-FR', 'activer', 'Indiquez les images à activer : `activer ‹image› [image…]`, noms séparés par des espaces ou des virgules.'],
  ])('shows the usage when no name is given (%s: %p)', async (locale, text, expected) => {
    await bind();
    expect(await say(text, { aadObjectId: ADMIN, locale })).toBe(expected);
    expect(writes()).toHaveLength(0);
    expect(await h.services.audit.recent(10)).toEqual([]);
  });

  it('says so when the lab host has no gallery attached', async () => {
    await bind(ACCOUNT_ID);
    expect(await say('enable rhel-9')).toBe(
      '**chemistry-account** has no gallery attached, so it has no images to enable or disable. An admin can attach one with **attach**.',
    );
    expect(writes()).toHaveLength(0);
  });

  it('asks for a binding first', async () => {
    await h.close();
    h = await createBotHarness({ access: { adminIds: [ADMIN] } });
    expect(await say('enable optics-sim')).toMatch(/not linked to a lab plan or lab account yet/);
    expect(writes()).toHaveLength(0);
  });

  it('lists both commands in help for an admin only', async () => {
    await bind();
    const admin = visibleText((await h.say('help', { aadObjectId: ADMIN }))[0]!);
    expect(admin).toContain('enable ‹image› [image…]');
    expect(admin).toContain('disable ‹image› [image…]');
    const teacher = visibleText((await h.say('help', { aadObjectId: TEACHER }))[0]!);
    expect(teacher).not.toContain('enable ‹image›');
  });
});
