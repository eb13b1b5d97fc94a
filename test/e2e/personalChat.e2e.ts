import { DEMO_IDS } from '../../src/emulator';
import { startE2eSession, type E2eSession } from './support/e2eSession';

/** Long operations answer at once and post their outcome when the (emulated, 60× faster) Azure is done. */
const OPERATION_TIMEOUT_MS = 90_000;

describe('personal chat, as the admin', () => {
  let session: E2eSession;

  beforeAll(async () => {
    session = await startE2eSession(__filename, { as: 'admin' });
    await session.ui.openPersonalChat();
  });

  afterEach(async () => {
    await session?.ui.shot('end');
  });

  afterAll(async () => {
    await session?.close();
  });

  const hostImages = async () =>
    Object.fromEntries((await session.bot.app.azure.gateways.labHosts.listImages(DEMO_IDS.labPlanId)).map((i) => [i.name, i.enabled]));

  it('help lists the commands an admin may run, and the role', async () => {
    const { ui } = session;
    const help = await ui.sayAndWaitForCard('help', 'Commands you can run here');
    await ui.shot('help card', help);
    const text = await help.text();
    for (const command of ['status', 'images', 'attach', 'detach', 'enable', 'disable', 'bind', 'unbind', 'audit']) expect(text).toContain(command);
    expect(text).toContain('Your role here: admin');
    // Arguments survive the client's HTML sanitising.
    expect(text).toContain('create ‹name› [in ‹resource group›] [at ‹region›]');
    expect(text).toContain('replicate ‹image› [version]');
  });

  it('greets a newcomer with buttons, offers the command a typo meant, and takes "cancel" at a confirmation', async () => {
    const { ui, bot } = session;
    const welcome = await ui.sayAndWaitForCard('hi', "Hi, I'm Lab Gallery Bot");
    await ui.shot('welcome card', welcome);
    const status = await ui.upcomingCard('Status');
    await welcome.click('Status');
    await status.arrived();

    const typo = await ui.sayAndWaitForCard('imgaes', 'Did you mean');
    await ui.shot('did you mean', typo);
    const images = await ui.upcomingCard('Images of physics_gallery');
    await typo.click('images');
    await ui.shot('images from the suggestion', await images.arrived());

    const proposal = await ui.sayAndWaitForCard('detach', 'Detach physics_gallery from physics-plan?');
    await ui.say('cancel');
    // The answered card becomes its outcome: no live buttons left behind.
    await proposal.waitForText(/Cancelled by Alex Wilber/);
    expect(await proposal.button('Confirm').count()).toBe(0);
    await ui.shot('cancelled at the confirmation', proposal);
    expect((await bot.app.azure.gateways.labHosts.getHost(DEMO_IDS.labPlanId)).sharedGalleryId).toBe(DEMO_IDS.physicsGalleryId);
  });

  it('status shows the lab plan, its gallery and the image counts', async () => {
    const { ui } = session;
    const status = await ui.sayAndWaitForCard('status', 'Status');
    await ui.shot('status card', status);
    const text = await status.text();
    expect(text).toMatch(/Lab plan\s+physics-plan/);
    expect(text).toMatch(/Attached gallery\s+physics_gallery/);
    expect(text).toMatch(/Images\s+2 enabled, 2 disabled/);
    expect(text).toMatch(/Your role\s+admin/);
  });

  it('images: toggles and Apply update the card in place and the lab plan in Azure', async () => {
    const { ui } = session;
    const card = await ui.sayAndWaitForCard('images', 'Images of physics_gallery');
    await ui.shot('images card', card);
    expect(await card.toggleOf('physics-win11').isChecked()).toBe(true);
    expect(await card.toggleOf('physics-ubuntu').isChecked()).toBe(true);
    expect(await card.toggleOf('optics-sim').isChecked()).toBe(false);

    await card.toggleOf('optics-sim').check();
    await card.toggleOf('physics-ubuntu').uncheck();
    await ui.shot('toggled', card);
    const cardsBefore = await ui.cards().count();
    await card.click('Apply');
    await card.waitForText('Saved: 1 enabled, 1 disabled.');
    await ui.shot('applied', card);

    expect(await ui.cards().count()).toBe(cardsBefore);
    expect(await card.text()).toContain('physics-plan (West US 2) · 2 of 4 enabled');
    expect(await card.toggleOf('optics-sim').isChecked()).toBe(true);
    expect(await card.toggleOf('physics-ubuntu').isChecked()).toBe(false);
    expect(await hostImages()).toMatchObject({ 'physics-win11': true, 'physics-ubuntu': false, 'optics-sim': true, 'quantum-gpu': false });
  });

  it('detach asks first; attach picks the gallery again on the choice card', async () => {
    const { ui, bot } = session;
    const host = () => bot.app.azure.gateways.labHosts.getHost(DEMO_IDS.labPlanId);

    const proposal = await ui.sayAndWaitForCard('detach', 'Detach physics_gallery from physics-plan?');
    await ui.shot('detach proposal', proposal);
    // One card for the whole operation: the proposal becomes its progress, then its outcome, in place.
    const cardsBefore = await ui.cards().count();
    await proposal.click('Confirm');
    await proposal.waitForText(/(Confirmed|Detached) by Alex Wilber/);
    await ui.shot('detaching', proposal);
    await proposal.waitForText('physics_gallery was detached from physics-plan', OPERATION_TIMEOUT_MS);
    await ui.shot('detached', proposal);
    expect(await ui.cards().count()).toBe(cardsBefore);
    expect((await host()).sharedGalleryId).toBeUndefined();

    const choice = await ui.sayAndWaitForCard('attach', 'Choose a gallery to attach');
    await ui.shot('gallery choice', choice);
    expect(await choice.text()).toContain('shared_images');
    const attachProposal = await ui.upcomingCard('Attach physics_gallery to physics-plan?');
    await choice.buttonOf('physics_gallery', 'Attach').click();
    const confirm = await attachProposal.arrived();
    await ui.shot('attach proposal', confirm);
    await confirm.click('Confirm');
    await confirm.waitForText('physics_gallery is now attached to physics-plan', OPERATION_TIMEOUT_MS);
    await ui.shot('attached', confirm);
    expect((await host()).sharedGalleryId).toBe(DEMO_IDS.physicsGalleryId);
  });
});
