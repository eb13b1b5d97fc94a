import { regionName } from '../../src/i18n/azureNames';
import { ACCOUNT_ID, ADMIN, createBotHarness, PLAN_ID, visibleText, type BotHarness } from '../support/botHarness';

/** Issue 16, point 8: preconditions before questions, the attached gallery and other regions said up front. */
describe('attach / create / detach preconditions (TestAdapter, emulator)', () => {
  let h: BotHarness;
  const bind = (hostId: string) => h.services.bindings.put({ conversationId: 'conversation-1', hostId, boundBy: ADMIN, boundAt: 0 });
  beforeEach(async () => {
    h = await createBotHarness();
  });
  afterEach(() => h.close());

  it.each([['attach'], ['create']])('"%s" on a host that has a gallery says so at once, with no question', async (command) => {
    await bind(PLAN_ID);
    const replies = await h.say(command, { aadObjectId: ADMIN });
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toMatch(/already has the gallery \*\*\w+\*\* attached.*detach it first/);
    expect(replies[0]?.attachments ?? []).toEqual([]);
  });

  it('marks a gallery outside the lab host\'s region in the choice', async () => {
    await bind(ACCOUNT_ID);
    const [choice] = await h.say('attach', { aadObjectId: ADMIN });
    const host = h.azure.emulator.state.labAccounts.get(ACCOUNT_ID)!;
    const text = visibleText(choice!);
    const elsewhere = h.azure.emulator.state.galleries.listGalleries().filter((g) => g.location.toLowerCase() !== host.location.toLowerCase());
    const here = h.azure.emulator.state.galleries.listGalleries().filter((g) => g.location.toLowerCase() === host.location.toLowerCase());
    // Regions by their display names, as the Azure portal shows them.
    for (const g of elsewhere) expect(text).toContain(`${regionName(g.location, 'en')} · ⚠ not in ${regionName(host.location, 'en')}, where ${host.name} is`);
    for (const g of here) expect(text).not.toContain(`${g.name}\n${g.resourceGroup} · ${regionName(g.location, 'en')} · ⚠`);
    expect(elsewhere.length + here.length).toBeGreaterThan(0);
  });

  it('tells an admin detaching from a lab plan that the images come back disabled on re-attach', async () => {
    await bind(PLAN_ID);
    const [proposal] = await h.say('detach', { aadObjectId: ADMIN });
    expect(visibleText(proposal!)).toContain('If you attach it again later, its images come back disabled');
  });

  it('does not say it for a lab account (its images arrive enabled)', async () => {
    await bind(ACCOUNT_ID);
    await h.say('attach shared_images', { aadObjectId: ADMIN });
    await h.say('yes', { aadObjectId: ADMIN });
    await h.settle();
    const [proposal] = await h.say('detach', { aadObjectId: ADMIN });
    expect(visibleText(proposal!)).toMatch(/Detach/);
    expect(visibleText(proposal!)).not.toContain('come back disabled');
  });
});
