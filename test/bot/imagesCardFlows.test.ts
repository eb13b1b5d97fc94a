import type { Activity, AdaptiveCardInvokeResponse, Attachment, InvokeResponse } from 'botbuilder';
import { IMAGE_VERBS, TEMPLATE_PICK_VERB } from '../../src/interaction';
import { IMAGES_PAGE_SIZE } from '../../src/views';
import { BUILT_IN_ROLES, type EmulatorState } from '../../src/emulator';
import { armIds } from '../../src/emulator/armIds';
import { addBigGallery } from '../support/bigGallery';
import { ADMIN, createBotHarness, MEMBER, PLAN_ID, TEACHER, type BotHarness } from '../support/botHarness';
import { actionPayload, cardActions, cardElements, cardInputs, cardTexts, findCardAction, type ActionSelector, type CardJson } from '../support/cardReader';

/**
 * Issue 16, points 2, 3 and 5 and the teacher's counts: the images card as a busy admin, a teacher and a member
 * use it, buttons pressed as a client presses them (the action's data with the card's inputs merged in).
 */
type As = { aadObjectId: string; locale?: string };
const CHANNEL = '19:general@thread.tacv2';

describe('images card flows (TestAdapter, msteams)', () => {
  let h: BotHarness;

  const bind = (hostId = PLAN_ID, conversationId = 'conversation-1') => h.services.bindings.put({ conversationId, hostId, boundBy: ADMIN, boundAt: 0 });
  const states = (hostId = PLAN_ID) => Object.fromEntries(h.azure.emulator.state.labPlans.images(hostId).map((i) => [i.name, i.enabledState]));
  const armWrites = () => h.azure.emulator.requestLog.filter((e) => e.method === 'PATCH' || e.method === 'PUT');
  const imageNames = (card: CardJson) => cardElements(card).filter((e) => e.type === 'TextBlock' && e.weight === 'Bolder' && e.size === undefined).map((e) => e.text as string);
  const text = (card: CardJson) => cardTexts(card).join('\n');
  const verbs = (card: CardJson) => cardActions(card).map((a) => a.verb);

  /** `images` typed by someone, in the personal chat or in a channel: the one card it answers. */
  const list = async (command: string, as: As, channel = false) => {
    const replies = await h.say(command, { ...as, ...(channel ? { conversationId: CHANNEL } : {}) });
    expect(replies).toHaveLength(1);
    const attachment = (replies[0]?.attachments ?? [])[0] as Attachment | undefined;
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    return attachment!.content as CardJson;
  };

  /** Presses a button of the card as a client does; the card that replaces it (or the text shown). */
  const press = async (card: CardJson, selector: ActionSelector, as: As = { aadObjectId: ADMIN }, typed: Record<string, string> = {}, channel = false) => {
    const action = findCardAction(card, selector);
    const replies: Partial<Activity>[] = await h.send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      locale: as.locale ?? 'en-US',
      from: { id: `user-${as.aadObjectId}`, name: 'User', aadObjectId: as.aadObjectId },
      ...(channel ? { conversation: { id: CHANNEL, isGroup: true, conversationType: 'channel', name: 'General' } } : {}),
      value: { action: { type: 'Action.Execute', verb: action.verb, data: actionPayload(card, action, typed) } },
    });
    const { body } = (replies.find((r) => r.type === 'invokeResponse')!.value as InvokeResponse<AdaptiveCardInvokeResponse>);
    if (body!.type !== 'application/vnd.microsoft.card.adaptive') throw new Error(`expected a card, got ${JSON.stringify(body)}`);
    return body!.value as CardJson;
  };

  afterEach(() => h.close());

  describe('Enable all / Disable all ask first (point 2)', () => {
    beforeEach(async () => {
      h = await createBotHarness();
      await bind();
      h.azure.emulator.clearRequestLog();
    });

    it('asks "Disable all 2 enabled images?" in place, writes nothing until yes, and a yes writes only those', async () => {
      const card = await list('images', { aadObjectId: ADMIN });
      const asked = await press(card, { verb: IMAGE_VERBS.disableAll });
      expect(armWrites()).toHaveLength(0);
      expect(text(asked)).toContain('Disable all 2 enabled images? Teachers will no longer see them.');
      // While it asks, the question's two buttons are the only way on: no Apply or Enable all beside them.
      expect(verbs(asked)).toEqual([IMAGE_VERBS.confirmDisableAll, IMAGE_VERBS.page, IMAGE_VERBS.refresh]);
      expect(findCardAction(asked, { verb: IMAGE_VERBS.confirmDisableAll })).toMatchObject({ title: 'Disable 2 images', style: 'destructive' });

      const done = await press(asked, { verb: IMAGE_VERBS.confirmDisableAll });
      expect(Object.values(states())).toEqual(['Disabled', 'Disabled', 'Disabled', 'Disabled']);
      expect(armWrites()).toHaveLength(2);
      expect(text(done)).toContain('Saved: 0 enabled, 2 disabled.');
      expect(verbs(done)).toContain(IMAGE_VERBS.apply);
      expect((await h.services.audit.recent(10)).map((a) => [a.command, a.outcome, a.detail])).toEqual([[IMAGE_VERBS.disableAll, 'succeeded', 'changed=2 unchanged=2 failed=0 images=physics-win11,physics-ubuntu']]);
    });

    it('Cancel writes nothing, audits nothing, and gives the card back', async () => {
      const card = await list('images', { aadObjectId: ADMIN });
      const asked = await press(card, { verb: IMAGE_VERBS.enableAll });
      expect(text(asked)).toContain('Enable all 2 disabled images? Teachers will see them and can build labs from them.');
      const back = await press(asked, { title: 'Cancel' });
      expect(armWrites()).toHaveLength(0);
      expect(await h.services.audit.recent(10)).toEqual([]);
      expect(text(back)).not.toContain('Enable all 2');
      expect(verbs(back)).toEqual([IMAGE_VERBS.apply, IMAGE_VERBS.enableAll, IMAGE_VERBS.disableAll, IMAGE_VERBS.refresh]);
    });

    it('asks again with the new count when the images changed before the yes, and writes nothing', async () => {
      const card = await list('images', { aadObjectId: ADMIN });
      const asked = await press(card, { verb: IMAGE_VERBS.enableAll });
      await h.say('enable optics-sim', { aadObjectId: ADMIN });
      h.azure.emulator.clearRequestLog();
      const again = await press(asked, { verb: IMAGE_VERBS.confirmEnableAll });
      expect(armWrites()).toHaveLength(0);
      expect(text(again)).toContain('The images changed since you asked: here is the new count. Nothing was changed yet.');
      expect(text(again)).toContain('Enable the 1 disabled image? Teachers will see it and can build labs from it.');
      await press(again, { verb: IMAGE_VERBS.confirmEnableAll });
      expect(states()['quantum-gpu']).toBe('Enabled');
    });

    it('asks nothing when nothing would change, and asks in French with the filter', async () => {
      const card = await list('images physics', { aadObjectId: ADMIN });
      const nothing = await press(card, { verb: IMAGE_VERBS.enableAll });
      expect(text(nothing)).toContain('Nothing to change: all 2 images are already enabled.');
      expect(verbs(nothing)).not.toContain(IMAGE_VERBS.confirmEnableAll);
      const french = await press(card, { verb: IMAGE_VERBS.disableAll }, { aadObjectId: ADMIN, locale: 'fr-FR' });
      expect(text(french)).toContain('Désactiver les 2 images activées correspondant à « physics » ? Les enseignants ne les verront plus.');
      expect(findCardAction(french, { verb: IMAGE_VERBS.confirmDisableAll }).title).toBe('Désactiver 2 images');
      expect(armWrites()).toHaveLength(0);
    });
  });

  describe('toggles not applied are carried across pages (point 3)', () => {
    let planId: string;
    let galleryId: string;
    const toggle = (i: number) => `image:image-${String(i).padStart(4, '0')}`;

    beforeEach(async () => {
      h = await createBotHarness();
      const { state } = h.azure.emulator;
      ({ planId, galleryId } = addBigGallery(state, 60));
      makeAdminOf(state, planId);
      await bind(planId);
      h.azure.emulator.clearRequestLog();
    });

    it('shows "2 changes not applied yet" on the next page, the toggle as left on the way back, and Apply writes them all', async () => {
      const first = await list('images', { aadObjectId: ADMIN });
      expect(cardInputs(first)[toggle(0)]).toBe('false');
      const second = await press(first, { title: 'Next' }, { aadObjectId: ADMIN }, { [toggle(0)]: 'true', [toggle(3)]: 'true' });
      expect(text(second)).toContain('2 changes not applied yet: press Apply to save them.');
      expect(text(second)).toContain('Page 2 of 4');
      expect(armWrites()).toHaveLength(0);

      const back = await press(second, { title: 'Previous' }, { aadObjectId: ADMIN }, { [toggle(20)]: 'true' });
      expect(text(back)).toContain('3 changes not applied yet');
      expect(cardInputs(back)).toMatchObject({ [toggle(0)]: 'true', [toggle(3)]: 'true', [toggle(1)]: 'false' });
      expect(text(back)).toContain('✎ to enable, not applied yet');

      // Turned back off on the page: no longer a change.
      const saved = await press(back, { verb: IMAGE_VERBS.apply }, { aadObjectId: ADMIN }, { [toggle(3)]: 'false' });
      const enabled = Object.entries(states(planId)).filter(([, s]) => s === 'Enabled').map(([n]) => n);
      expect(enabled).toEqual(['image-0000', 'image-0020']);
      expect(armWrites()).toHaveLength(2);
      expect(text(saved)).toContain('Saved: 2 enabled, 0 disabled.');
      expect(text(saved)).not.toContain('not applied yet');
    });

    it('drops them on Discard, and says so when the gallery changed meanwhile', async () => {
      const first = await list('images', { aadObjectId: ADMIN });
      const second = await press(first, { title: 'Next' }, { aadObjectId: ADMIN }, { [toggle(0)]: 'true' });
      const discarded = await press(second, { title: 'Discard changes' }, { aadObjectId: ADMIN }, { [toggle(16)]: 'true' });
      expect(text(discarded)).not.toContain('not applied yet');
      expect(cardInputs(discarded)[toggle(16)]).toBe('false');

      const again = await press(discarded, { title: 'Previous' }, { aadObjectId: ADMIN }, { [toggle(16)]: 'true' });
      h.azure.emulator.state.addImageDefinition({ galleryId, name: 'image-0000a', osType: 'Linux', osState: 'Generalized' });
      h.clock.advance(61_000);
      const lost = await press(again, { title: 'Next' });
      expect(text(lost)).toContain("The gallery's images changed meanwhile, so 1 change from other pages could not be kept: toggle it again.");
      expect(armWrites()).toHaveLength(0);
    });

    it('keeps them through an Enable all question answered Cancel, and a yes overrides them', async () => {
      const first = await list('images', { aadObjectId: ADMIN });
      const second = await press(first, { title: 'Next' }, { aadObjectId: ADMIN }, { [toggle(0)]: 'true' });
      const asked = await press(second, { verb: IMAGE_VERBS.enableAll });
      expect(text(asked)).toContain('Enable all 60 disabled images?');
      expect(text(await press(asked, { title: 'Cancel' }))).toContain('1 change not applied yet');
      const done = await press(asked, { verb: IMAGE_VERBS.confirmEnableAll });
      expect(text(done)).not.toContain('not applied yet');
      expect(Object.values(states(planId)).every((s) => s === 'Enabled')).toBe(true);
    });

    it('stays on the page when more changes would wait on other pages than a card can carry', async () => {
      const page0 = await list('images', { aadObjectId: ADMIN });
      const flip = (from: number) => Object.fromEntries(Array.from({ length: IMAGES_PAGE_SIZE }, (_, i) => [toggle(from + i), 'true']));
      const page1 = await press(page0, { title: 'Next' }, { aadObjectId: ADMIN }, flip(0));
      const page2 = await press(page1, { title: 'Next' }, { aadObjectId: ADMIN }, flip(15));
      expect(text(page2)).toContain('30 changes not applied yet');
      // 15 more on page 3, then Next: 45 would wait on other pages, more than the 40 a card carries.
      const stuck = await press(page2, { title: 'Next' }, { aadObjectId: ADMIN }, flip(30));
      expect(text(stuck)).toContain('Page 3 of 4');
      expect(text(stuck)).toContain('45 changes are not applied yet: apply them before turning the page (at most 40 can wait on other pages).');
      expect(cardInputs(stuck)[toggle(30)]).toBe('true');
      expect(armWrites()).toHaveLength(0);
      await press(stuck, { verb: IMAGE_VERBS.apply });
      expect(Object.values(states(planId)).filter((s) => s === 'Enabled')).toHaveLength(45);
    });
  });

  describe('shared cards in a channel, "My options" (point 5)', () => {
    beforeEach(async () => {
      h = await createBotHarness();
      await bind(PLAN_ID, CHANNEL);
    });

    it("posts what everyone may do, refreshed into the poster's own view, and gives each person their options", async () => {
      const shared = await list('images', { aadObjectId: ADMIN }, true);
      expect(cardInputs(shared)).toEqual({});
      expect(verbs(shared)).toEqual([IMAGE_VERBS.refresh, IMAGE_VERBS.mine]);
      expect(imageNames(shared)).toEqual(['physics-win11', 'physics-ubuntu', 'optics-sim', 'quantum-gpu']);
      // Teams refreshes the card for the poster alone, into their own view (no `view: 'shared'`).
      expect(shared.refresh).toEqual({ action: { type: 'Action.Execute', verb: IMAGE_VERBS.refresh, data: { page: 0, filter: '' } }, userIds: [`user-${ADMIN}`] });

      const teacher = await press(shared, { verb: IMAGE_VERBS.mine }, { aadObjectId: TEACHER }, {}, true);
      expect(cardActions(teacher).filter((a) => a.verb === TEMPLATE_PICK_VERB).map((a) => a.data?.image)).toEqual(['physics-win11', 'physics-ubuntu']);
      expect(verbs(teacher)).not.toContain(IMAGE_VERBS.apply);
      expect(teacher.refresh).toMatchObject({ userIds: [`user-${TEACHER}`] });

      const admin = await press(shared, { verb: IMAGE_VERBS.mine }, { aadObjectId: ADMIN }, {}, true);
      expect(Object.keys(cardInputs(admin))).toHaveLength(4);
      expect(verbs(admin)).toEqual([IMAGE_VERBS.apply, IMAGE_VERBS.enableAll, IMAGE_VERBS.disableAll, IMAGE_VERBS.refresh]);

      const member = await press(shared, { verb: IMAGE_VERBS.mine }, { aadObjectId: MEMBER }, {}, true);
      expect(text(member)).toContain('Your role here is member: you can see the images; admins enable them and teachers build labs from them.');
      expect(verbs(member)).toEqual([IMAGE_VERBS.refresh]);
    });

    it('keeps a shared card shared when anyone refreshes it, and shows the own view directly in a personal chat', async () => {
      const shared = await list('images', { aadObjectId: TEACHER }, true);
      const refreshed = await press(shared, { verb: IMAGE_VERBS.refresh }, { aadObjectId: ADMIN }, {}, true);
      expect(cardInputs(refreshed)).toEqual({});
      expect(verbs(refreshed)).toEqual([IMAGE_VERBS.refresh, IMAGE_VERBS.mine]);

      await bind(PLAN_ID);
      const personal = await list('images', { aadObjectId: TEACHER });
      expect(verbs(personal)).toEqual([TEMPLATE_PICK_VERB, TEMPLATE_PICK_VERB, IMAGE_VERBS.refresh]);
    });
  });

  describe("a teacher's counts (point 14)", () => {
    beforeEach(async () => {
      h = await createBotHarness();
    });

    it('counts what the teacher is shown, not what is enabled', async () => {
      await bind();
      await h.say('enable optics-sim quantum-gpu', { aadObjectId: ADMIN });
      const card = await list('images', { aadObjectId: TEACHER });
      // quantum-gpu has no replica in the plan's region: enabled, but not for a template.
      expect(imageNames(card)).toEqual(['physics-win11', 'physics-ubuntu', 'optics-sim']);
      expect(text(card)).toContain('physics-plan (West US 2) · 3 images ready for a lab template');
      expect(text(card)).toContain('Page 1 of 1 · 3 images');
      expect(text(card)).not.toContain('4 of 4 enabled');
    });

    it('pages the images that can back a template, with their count, whatever the versions say', async () => {
      const { state } = h.azure.emulator;
      const { planId, galleryId } = addBigGallery(state, 40);
      // Every fourth image gets a newer version with a data disk: enabled, but not for a template.
      for (let i = 0; i < 40; i++) {
        const definitionId = armIds.imageDefinition(galleryId, `image-${String(i).padStart(4, '0')}`);
        if (i % 4 === 0) state.addImageVersion({ definitionId, name: '2.0.0', targetRegions: ['westus2'], replicationDurationsMs: 0, dataDiskSizesGB: [64] });
        state.labPlans.setImageEnabled(planId, `image-${String(i).padStart(4, '0')}`, 'Enabled');
      }
      state.addRoleAssignment({ scope: planId, roleDefinitionGuid: BUILT_IN_ROLES.labCreator.guid, principalId: TEACHER, principalType: 'User' });
      await bind(planId);

      const first = await list('images', { aadObjectId: TEACHER });
      expect(text(first)).toContain('30 images ready for a lab template');
      expect(text(first)).toContain('Page 1 of 2 · 30 images');
      h.clock.advance(2_000);
      const second = await press(first, { title: 'Next' }, { aadObjectId: TEACHER });
      const shown = [...imageNames(first), ...imageNames(second)];
      expect(new Set(shown).size).toBe(30);
      expect(shown.filter((n) => Number(n.slice(-4)) % 4 === 0)).toEqual([]);
    });
  });
});

function makeAdminOf(state: EmulatorState, hostId: string): void {
  state.addRoleAssignment({ scope: hostId, roleDefinitionGuid: BUILT_IN_ROLES.owner.guid, principalId: ADMIN, principalType: 'User' });
}
