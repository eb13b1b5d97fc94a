import { DEMO_IDS } from '../../src/emulator';
import { startE2eSession, type E2eSession } from './support/e2eSession';

/** Lab creation answers at once and posts when the (emulated, 60× faster) Azure is done. */
const OPERATION_TIMEOUT_MS = 90_000;

describe('team channel', () => {
  let session: E2eSession;

  beforeAll(async () => {
    session = await startE2eSession(__filename, { as: 'admin' });
  });

  afterEach(async () => {
    await session?.ui.shot('end');
  });

  afterAll(async () => {
    await session?.close();
  });

  it('status answers an @mention in a new post, and help a reply in its thread', async () => {
    const { ui } = session;
    await ui.openChannel('General');
    const status = await ui.postAndWaitForCard('status', 'Status');
    await ui.shot('status in a post', status);
    const text = await status.text();
    expect(text).toMatch(/Lab plan\s+physics-plan/);
    expect(text).toMatch(/Your role\s+admin/);

    const help = await ui.upcomingCard('Commands you can run here');
    await ui.replyInThread('Lab plan', 'help');
    await ui.shot('help in the thread', await help.arrived());
  });

  it('a teacher uses an image as the template of a new lab', async () => {
    const { ui, bot } = session;
    await session.switchUser('teacher');
    await ui.openChannel('General');
    await ui.shot('signed in as the teacher');

    const images = await ui.postAndWaitForCard('images', 'Images of physics_gallery');
    // The channel's card is shared: the teacher's own view comes from "My options", in place.
    expect(await images.button('Use as template').count()).toBe(0);
    await images.click('My options');
    await images.waitForText('images ready for a lab template');
    await ui.shot('teacher images card', images);
    expect(await images.root.getByRole('checkbox').count()).toBe(0);
    expect(await images.button('Apply').count()).toBe(0);

    const cardsBefore = await ui.cards().count();
    await images.buttonOf('physics-ubuntu', 'Use as template').click();
    await images.waitForText('Create a lab from physics-ubuntu');
    expect(await ui.cards().count()).toBe(cardsBefore);
    const form = images;
    await form.input('Lab name (letters, digits, hyphens and underscores)').fill('e2e-optics-lab');
    await form.input('Title students see').fill('Optics, end to end');
    await form.input('Admin user name of the VMs').fill('labadmin');
    await form.input('Admin password (12 characters or more)').fill('Corr3ct-Horse-Battery');
    await ui.shot('lab form filled', form);

    // The form becomes the lab's card, in place (Creating… → Ready), and the teacher is @mentioned in the thread.
    const mention = await ui.upcomingText(/Megan Bowen\W+your lab Optics, end to end \(e2e-optics-lab\) is ready/);
    await form.click('Create lab');
    await form.waitForText(/Lab Optics, end to end \(e2e-optics-lab\) is ready on physics-plan, built from physics-ubuntu/, OPERATION_TIMEOUT_MS);
    expect(await ui.cards().count()).toBe(cardsBefore);
    expect(await form.root.getByText('Open Azure Lab Services').count()).toBe(1);
    await ui.shot('lab ready', form);
    await ui.shot('teacher mentioned', await mention.arrived());

    const labs = await bot.app.azure.gateways.labHosts.listLabs(DEMO_IDS.labPlanId);
    const lab = labs.find((l) => l.name === 'e2e-optics-lab');
    expect(lab).toMatchObject({ title: 'Optics, end to end' });
    expect(lab?.imageId?.toLowerCase()).toContain('/images/physics-ubuntu');
  });

  it('a member sees the images but no buttons, and is refused a detach', async () => {
    const { ui, bot } = session;
    await session.switchUser('member');
    await ui.openChannel('General');

    const images = await ui.postAndWaitForCard('images', 'Images of physics_gallery');
    await ui.shot('member images card', images);
    expect(await images.root.getByRole('checkbox').count()).toBe(0);
    expect(await images.button('Use as template').count()).toBe(0);
    expect(await images.button('Apply').count()).toBe(0);

    const refusal = await ui.upcomingText('Only a lab admin can run detach. Your role here is member.');
    await ui.post('detach');
    await ui.shot('detach refused', await refusal.arrived());
    expect((await bot.app.azure.gateways.labHosts.getHost(DEMO_IDS.labPlanId)).sharedGalleryId).toBe(DEMO_IDS.physicsGalleryId);
  });
});
