import { DEMO_IDS } from '../../src/emulator';
import { cardActions, cardInputs, cardTexts, type CardJson } from '../support/cardReader';
import { LAB_PASSWORD } from '../support/labFormInput';
import { startPlayground, type Playground } from '../support/playground';

describe('Playground: a teacher (Megan Bowen, Lab Creator of the demo hosts)', () => {
  let pg: Playground;

  beforeAll(async () => {
    pg = await startPlayground();
  });

  afterAll(async () => {
    await pg?.close();
  });

  it('creates a lab from "Use as template": form, a refused field, then the lab, announced when ready', async () => {
    const { group } = pg.conversations;
    const { teacher } = pg.users;

    const list = await pg.replyTo(await pg.say(group, 'images', teacher));
    // A group chat's card is shared: what everyone may do, and "My options" for the teacher's own view.
    expect(cardActions(list.card as CardJson).map((a) => a.verb)).toEqual(['images.refresh', 'images.mine']);
    const mine = await pg.execute(list, { verb: 'images.mine' }, { as: teacher });
    const listCard = mine.card as CardJson;
    expect(cardTexts(listCard)).toContain('physics-plan (West US 2) · 2 images ready for a lab template');
    // The teacher's view: no toggles, no admin buttons, a template button per enabled image of the plan's region.
    expect(cardInputs(listCard)).toEqual({});
    expect(cardActions(listCard).filter((a) => a.verb === 'template.pick').map((a) => a.data?.image)).toEqual(['physics-win11', 'physics-ubuntu']);
    expect(cardActions(listCard).map((a) => a.verb)).not.toContain('images.apply');

    const form = await pg.execute(list, { verb: 'template.pick', data: { image: 'physics-win11' } }, { as: teacher });
    const formCard = form.card as CardJson;
    expect(cardTexts(formCard)).toContain('Create a lab from physics-win11');
    expect(cardInputs(formCard)).toEqual({ vmSize: 'Classic_Fsv2_2_4GB_128_S_SSD', quotaHours: '10', capacity: '20' });

    const typed = { labName: 'thermo-301', title: 'Thermodynamics 301', adminUser: 'labteacher' };
    const refused = await pg.execute(list, { verb: 'template.create' }, { as: teacher, inputs: { ...typed, password: 'short' } });
    const refusedCard = refused.card as CardJson;
    expect(cardTexts(refusedCard)).toEqual(expect.arrayContaining(['Some fields of the form need fixing (1).', 'Must be 12 to 123 characters long.']));
    // What was typed comes back, except the password.
    expect(cardInputs(refusedCard)).toMatchObject(typed);
    expect(cardInputs(refusedCard)).not.toHaveProperty('password');

    // The form is replaced in place by the lab's card: nothing left to submit, no stale error.
    const created = await pg.execute(list, { verb: 'template.create' }, { as: teacher, inputs: { password: LAB_PASSWORD } });
    expect(cardTexts(created.card as CardJson)[0]).toBe('⏳ Creating lab **thermo-301** from **physics-win11** on **physics-plan**…');
    expect(cardInputs(created.card as CardJson)).toEqual({});

    // That same message becomes Ready, with the next step and a link; the teacher is @mentioned.
    const ready = await pg.waitForActivity((a) => a.action === 'update' && a.messageId === list.messageId && !!a.card && cardTexts(a.card)[0]?.startsWith('✅') === true, { since: created.since, timeoutMs: 20_000 });
    expect(cardTexts(ready.card as CardJson)).toEqual(
      expect.arrayContaining([
        '✅ Lab **Thermodynamics 301** (thermo-301) is ready on **physics-plan**, built from **physics-win11**. Set up its template VM in the Azure Lab Services portal.',
        'Next: open the lab in Azure Lab Services, set up its template VM, then publish it to your students.',
      ]),
    );
    const mention = await pg.waitForActivity((a) => a.action === 'create' && a.conversationId === group && a.text?.includes('your lab') === true, { since: created.since, timeoutMs: 20_000 });
    expect(mention.text).toBe(`<at>${teacher.name}</at>, your lab **Thermodynamics 301** (thermo-301) is ready.`);
    const labs = await pg.app.azure.gateways.labHosts.listLabs(DEMO_IDS.labPlanId);
    expect(labs.map((l) => l.name)).toContain('thermo-301');

    // The password went to Azure once and nowhere else the user or the logs can see.
    expect(JSON.stringify(pg.activities)).not.toContain(LAB_PASSWORD);
    expect(JSON.stringify(pg.log.lines)).not.toContain(LAB_PASSWORD);
  });

  it('cancels the lab form without creating anything', async () => {
    const { group } = pg.conversations;
    const { teacher } = pg.users;
    const list = await pg.replyTo(await pg.say(group, 'images', teacher));
    await pg.execute(list, { verb: 'images.mine' }, { as: teacher });
    await pg.execute(list, { verb: 'template.pick', data: { image: 'physics-ubuntu' } }, { as: teacher });
    const before = await pg.app.azure.gateways.labHosts.listLabs(DEMO_IDS.labPlanId);

    const cancelled = await pg.execute(list, { verb: 'template.cancel' }, { as: teacher });

    expect(cardTexts(cancelled.card as CardJson)[0]).toBe('Cancelled; no lab was created.');
    expect(await pg.app.azure.gateways.labHosts.listLabs(DEMO_IDS.labPlanId)).toHaveLength(before.length);
  });
});
