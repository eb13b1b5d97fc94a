import { startE2eSession, type E2eSession } from './support/e2eSession';

/** Attach and detach answer at once and finish when the (emulated, 60× faster) Azure is done. */
const OPERATION_TIMEOUT_MS = 90_000;

/**
 * Issue 16, walked as a French admin: the Playground and the browser in French, on Paris time. The team channel
 * is first seen in French, so its posts are French; so is the admin's personal chat.
 */
describe('en français, comme administrateur', () => {
  let session: E2eSession;

  beforeAll(async () => {
    session = await startE2eSession(__filename, { as: 'admin', language: { lang: 'fr_FR.UTF-8', timeZone: 'Europe/Paris' } });
    await session.ui.openChannel('General');
  });

  afterEach(async () => {
    await session?.ui.shot('fin');
  });

  afterAll(async () => {
    await session?.close();
  });

  /** No region code, no English month or weekday, no angle brackets, no "(s)" plural. */
  const expectFrench = (text: string) => {
    expect(text).not.toMatch(/\b(westus2?|westus3|eastus2?|francecentral|northeurope|westeurope)\b/);
    expect(text).not.toMatch(/\b(January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/);
    expect(text).not.toMatch(/[<>]|\(s\)/);
  };

  it('bonjour, aide, état et images répondent en français', async () => {
    const { ui } = session;
    const welcome = await ui.postAndWaitForCard('bonjour', 'Bonjour, je suis Lab Gallery Bot');
    await ui.shot('accueil', welcome);
    expectFrench(await welcome.text());

    const help = await ui.postAndWaitForCard('aide', /ommandes/);
    await ui.shot('aide', help);
    expectFrench(await help.text());

    const status = await ui.postAndWaitForCard('état', 'État');
    await ui.shot('état', status);
    const statusText = await status.text();
    expectFrench(statusText);
    expect(statusText).toContain('Ouest des États-Unis 2');
    expect(statusText).toContain('28 juin 2027');

    const images = await ui.postAndWaitForCard('images', 'physics_gallery');
    await ui.shot('images', images);
    expectFrench(await images.text());
  });

  it('détacher (annulé, puis confirmé), attacher depuis la liste, créer avec un nom invalide, audit', async () => {
    const { ui } = session;
    const already = await ui.upcomingText(/déjà la galerie/);
    await ui.post('attacher');
    await ui.shot('attacher alors qu’une galerie est attachée', await already.arrived());

    const proposal = await ui.postAndWaitForCard('détacher', 'Détacher physics_gallery de physics-plan ?');
    await ui.shot('proposition de détacher', proposal);
    await ui.replyInThread('Détacher physics_gallery de physics-plan ?', 'annuler');
    await proposal.waitForText(/Annulé par Alex Wilber/);
    expect(await proposal.button('Confirmer').count()).toBe(0);
    await ui.shot('annulé', proposal);

    const detach = await ui.postAndWaitForCard('détacher', 'Détacher physics_gallery de physics-plan ?');
    await detach.click('Confirmer');
    await detach.waitForText('physics_gallery a été détachée de physics-plan', OPERATION_TIMEOUT_MS);
    await ui.shot('détachée', detach);
    expectFrench(await detach.text());

    // Point 1: a name with a space and a sign is refused with the rule, not cut to « Mauvais ».
    const refused = await ui.upcomingText(/Mauvais/);
    await ui.post('créer Mauvais Nom!');
    const refusal = await refused.arrived();
    await ui.shot('créer refusé', refusal);
    expectFrench((await refusal.textContent()) ?? '');

    const picker = await ui.postAndWaitForCard('attacher', 'Choisissez une galerie à attacher');
    await ui.shot('choix de la galerie', picker);
    expectFrench(await picker.text());
    const attachProposal = await ui.upcomingCard('Attacher physics_gallery à physics-plan ?');
    await picker.buttonOf('physics_gallery', 'Attacher').click();
    const confirm = await attachProposal.arrived();
    await picker.waitForText(/Choisi par Alex Wilber/);
    expect(await picker.button('Attacher').count()).toBe(0);
    await ui.shot('proposition d’attacher', confirm);
    await confirm.click('Confirmer');
    await confirm.waitForText('physics_gallery est maintenant attachée à physics-plan', OPERATION_TIMEOUT_MS);
    await ui.shot('attachée', confirm);
    expectFrench(await confirm.text());

    const audit = await ui.postAndWaitForCard('audit', /Alex Wilber/);
    await ui.shot('audit', audit);
    const auditText = await audit.text();
    expectFrench(auditText);
    expect(auditText).toMatch(/Alex Wilber a détaché/);
    expect(auditText).toMatch(/Alex Wilber a attaché/);
  });
});
