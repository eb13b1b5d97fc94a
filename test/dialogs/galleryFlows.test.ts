import type { Activity } from 'botbuilder';
import { DEMO_IDS, DEMO_SERVICE_PRINCIPALS, BUILT_IN_ROLES } from '../../src/emulator';
import { submitData } from '../support/dialogHarness';
import { ACCOUNT_ID, ADMIN, createBotHarness, MEMBER, PLAN_ID, TEACHER, visibleText, type BotHarness } from '../support/botHarness';

const ADMIN2 = '00000000-0000-0000-0000-00000000ad02';

const accountGallery = (h: BotHarness) => h.azure.emulator.state.labAccounts.get(ACCOUNT_ID)?.sharedGallery?.galleryId;
const planGallery = (h: BotHarness) => h.azure.emulator.state.labPlans.get(PLAN_ID)?.sharedGalleryId;
const writes = (h: BotHarness) => h.azure.emulator.requestLog.filter((e) => e.method !== 'GET').length;
const ownerOnPhysics = (h: BotHarness) =>
  h.azure.emulator.state
    .roles.at(DEMO_IDS.physicsGalleryId)
    .filter((a) => a.principalId === DEMO_SERVICE_PRINCIPALS.labPlan.objectId && a.roleDefinitionGuid === BUILT_IN_ROLES.owner.guid);

describe('gallery flows through the bot (TestAdapter, msteams, emulator)', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await createBotHarness({ access: { adminIds: [ADMIN2] } });
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId: ACCOUNT_ID, boundBy: ADMIN, boundAt: 0 });
  });
  afterEach(() => h.close());

  const bindPlan = () =>
    h.services.bindings
      .get('conversation-1')
      .then((b) => h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 }, { ifMatch: b!.eTag }));

  describe('attach', () => {
    it('proposes, and a typed yes attaches in the background and reports once', async () => {
      const [proposal] = await h.say('attach shared_images', { aadObjectId: ADMIN });
      const text = visibleText(proposal!);
      expect(text).toContain('Attach shared_images to chemistry-account?');
      expect(text).toContain('Azure Lab Services adds itself as Contributor');
      expect(text).toContain('Its images arrive enabled');
      expect(accountGallery(h)).toBeUndefined();

      // The typed yes replaces the proposal card in place with the operation's card: nothing new is posted.
      expect(await h.say('yes', { aadObjectId: ADMIN })).toEqual([]);
      expect(h.updated.map((a) => a.id)).toEqual([proposal?.id]);
      expect(visibleText(h.updated[0]!)).toMatch(/Attaching \*\*shared_images\*\* to \*\*chemistry-account\*\*…[\s\S]*Confirmed by User/);
      await h.settle();
      expect(accountGallery(h)?.toLowerCase()).toBe(DEMO_IDS.sharedImagesGalleryId.toLowerCase());
      // Its outcome updates that same card: no second message.
      expect(h.notifier.sent).toEqual([]);
      expect(h.notifier.outcomes()).toEqual([expect.stringMatching(/✅ \*\*shared_images\*\* is now attached to \*\*chemistry-account\*\*/)]);
      const [entry] = await h.services.audit.recent(1);
      expect(entry).toMatchObject({ command: 'attach', outcome: 'succeeded', userId: ADMIN });
    });

    it('offers the galleries as a choice card when no gallery is named, in French', async () => {
      const [choice] = await h.say('attach', { aadObjectId: ADMIN, locale: 'fr-FR' });
      expect(visibleText(choice!)).toContain('Choisissez une galerie à attacher');
      expect(visibleText(choice!)).toContain('shared_images');
      const pick = (JSON.parse(JSON.stringify(choice)) as Partial<Activity>).attachments?.[0]?.content as unknown;
      const data = submitData({ attachments: [{ contentType: 'x', content: pick }] }, 'pickGallery');
      const shared = { ...data, galleryId: DEMO_IDS.sharedImagesGalleryId };
      const [proposal] = await h.send({ type: 'message', value: shared, locale: 'fr-FR', from: { id: 'u', name: 'A', aadObjectId: ADMIN } });
      expect(visibleText(proposal!)).toContain('Attacher shared_images à chemistry-account ?');
      const confirm = submitData(proposal, 'confirm');
      const [started] = await h.send({ type: 'message', value: confirm, locale: 'fr-FR', from: { id: 'u', name: 'A', aadObjectId: ADMIN } });
      expect(visibleText(started!)).toMatch(/Attachement de \*\*shared_images\*\*/);
      await h.settle();
      expect(accountGallery(h)).toBeDefined();
    });

    it('refuses when a gallery is already attached and changes nothing', async () => {
      await bindPlan();
      const before = writes(h);
      const replies = await h.say('attach shared_images', { aadObjectId: ADMIN });
      expect(replies).toHaveLength(1);
      expect(replies[0]?.text).toMatch(/physics_gallery/);
      expect(writes(h)).toBe(before);
      expect(planGallery(h)?.toLowerCase()).toBe(DEMO_IDS.physicsGalleryId.toLowerCase());
    });

    it('refuses a teacher before anything happens', async () => {
      const [reply] = await h.say('attach shared_images', { aadObjectId: TEACHER });
      expect(reply?.text).toMatch(/Only a lab admin can run \*\*attach\*\*/);
      expect((await h.services.audit.recent(1))[0]).toMatchObject({ command: 'attach', outcome: 'refused' });
    });

    it('says which gallery does not exist', async () => {
      const [reply] = await h.say('attach no_such_gallery', { aadObjectId: ADMIN });
      expect(reply?.text).toMatch(/no_such_gallery/);
      expect(accountGallery(h)).toBeUndefined();
    });

    it('cancel changes nothing', async () => {
      const [proposal] = await h.say('attach shared_images', { aadObjectId: ADMIN });
      const before = writes(h);
      const [reply] = await h.send({ type: 'message', value: { ...submitData(proposal, 'confirm'), answer: 'no' }, from: { id: 'u', name: 'A', aadObjectId: ADMIN } });
      expect(visibleText(reply!)).toMatch(/^Cancelled: nothing was changed\.\nCancelled by A · /);
      await h.settle();
      expect(writes(h)).toBe(before);
      expect(accountGallery(h)).toBeUndefined();
    });

    it('refuses another user clicking Confirm, then lets the requester confirm', async () => {
      const [proposal] = await h.say('attach shared_images', { aadObjectId: ADMIN });
      const confirm = submitData(proposal, 'confirm');
      const [refused] = await h.send({ type: 'message', value: confirm, from: { id: 'u2', name: 'B', aadObjectId: ADMIN2 } });
      expect(refused?.text).toBe('Only the admin who asked can answer this. Nothing was changed.');
      const [typed] = await h.say('yes', { aadObjectId: ADMIN2 });
      expect(typed?.text).toMatch(/Another admin is in the middle of a command here/);
      await h.settle();
      expect(accountGallery(h)).toBeUndefined();

      const [started] = await h.send({ type: 'message', value: confirm, from: { id: 'u', name: 'A', aadObjectId: ADMIN } });
      expect(visibleText(started!)).toMatch(/Attaching/);
      await h.settle();
      expect(accountGallery(h)).toBeDefined();
    });

    it('a second click changes nothing and says it was done', async () => {
      const [proposal] = await h.say('attach shared_images', { aadObjectId: ADMIN });
      const confirm = submitData(proposal, 'confirm');
      const as = { type: 'message', value: confirm, from: { id: 'u', name: 'A', aadObjectId: ADMIN } } as const;
      // Racing clicks are settled by the store's atomic consume (test/storage); here the second comes after.
      const [first] = await h.send(as);
      const [second] = await h.send(as);
      expect(visibleText(first!)).toMatch(/^⏳ Attaching/);
      expect(second?.text).toBe('This was already confirmed; nothing more was done.');
      await h.settle();
      expect(h.notifier.outcomes()).toHaveLength(1);
      expect((await h.services.audit.recent(10)).filter((a) => a.command === 'attach')).toHaveLength(1);
    });

    it('an expired confirmation changes nothing', async () => {
      const [proposal] = await h.say('attach shared_images', { aadObjectId: ADMIN });
      h.clock.advance(10 * 60_000 + 1);
      const [reply] = await h.send({ type: 'message', value: submitData(proposal, 'confirm'), from: { id: 'u', name: 'A', aadObjectId: ADMIN } });
      expect(reply?.text).toMatch(/expired after 10 minutes/);
      await h.settle();
      expect(accountGallery(h)).toBeUndefined();
    });

    it('reports an ARM failure with what to do, and leaves the host as it was', async () => {
      h.azure.emulator.faults.add({ method: 'PUT', path: /sharedGalleries/i, status: 403, code: 'AuthorizationFailed' });
      await h.say('attach shared_images', { aadObjectId: ADMIN });
      await h.say('yes', { aadObjectId: ADMIN });
      await h.settle();
      expect(h.notifier.outcomes()).toEqual([expect.stringMatching(/❌ Attaching \*\*shared_images\*\* to \*\*chemistry-account\*\* failed\. .*not authorized.*Reference/)]);
      expect(accountGallery(h)).toBeUndefined();
      expect((await h.services.audit.recent(1))[0]).toMatchObject({ command: 'attach', outcome: 'failed' });
    });

    it('rides out throttling', async () => {
      h.azure.emulator.faults.add({ method: 'PUT', path: /sharedGalleries/i, status: 429, code: 'TooManyRequests', times: 5, retryAfterSeconds: 0 });
      await h.say('attach shared_images', { aadObjectId: ADMIN });
      await h.say('yes', { aadObjectId: ADMIN });
      await h.settle();
      expect(h.notifier.outcomes()).toEqual([expect.stringMatching(/✅/)]);
      expect(accountGallery(h)).toBeDefined();
    });
  });

  describe('create', () => {
    it('says exactly what is wrong with a name, asks again, then creates and attaches once', async () => {
      const [problem, ask] = await h.say('create bad-name!', { aadObjectId: ADMIN });
      expect(problem?.text).toMatch(/"bad-name!" cannot be a gallery name.*These signs are not allowed: "-" "!"/);
      expect(ask?.text).toMatch(/What should the new gallery be called/);
      const [proposal] = await h.say('chem_gallery', { aadObjectId: ADMIN });
      expect(visibleText(proposal!)).toContain('Create chem_gallery and attach it to chemistry-account?');
      expect(visibleText(proposal!)).toContain('West Europe');
      await h.say('yes', { aadObjectId: ADMIN });
      await h.settle();
      expect(h.notifier.outcomes()).toEqual([expect.stringMatching(/✅ \*\*chem_gallery\*\* was created and attached/)]);
      const galleries = h.azure.emulator.state.galleries.listGalleries().filter((g) => g.name === 'chem_gallery');
      expect(galleries).toHaveLength(1);
      expect(accountGallery(h)?.toLowerCase()).toContain('chem_gallery');
    });
  });

  describe('detach', () => {
    beforeEach(bindPlan);

    it('shows the impact, and confirming with the role option detaches and revokes', async () => {
      const [proposal] = await h.say('detach', { aadObjectId: ADMIN });
      const text = visibleText(proposal!);
      expect(text).toContain('Detach physics_gallery from physics-plan?');
      expect(text).toContain('Also remove the Owner role');
      expect(ownerOnPhysics(h)).toHaveLength(1);
      const [started] = await h.send({
        type: 'message',
        value: { ...submitData(proposal, 'confirm'), removeRole: 'true' },
        from: { id: 'u', name: 'A', aadObjectId: ADMIN },
      });
      expect(visibleText(started!)).toMatch(/Detaching/);
      await h.settle();
      expect(planGallery(h)).toBeUndefined();
      expect(ownerOnPhysics(h)).toHaveLength(0);
      expect(h.notifier.outcomes()[0]).toMatch(/detached from \*\*physics-plan\*\*\. The Owner role .* was removed/);
    });

    it('a typed yes detaches and keeps the role', async () => {
      await h.say('detach', { aadObjectId: ADMIN });
      await h.say('oui', { aadObjectId: ADMIN, locale: 'fr-FR' });
      await h.settle();
      expect(planGallery(h)).toBeUndefined();
      expect(ownerOnPhysics(h)).toHaveLength(1);
    });

    it('a typed no changes nothing', async () => {
      const [proposal] = await h.say('detach', { aadObjectId: ADMIN });
      // The card itself now says so: no button left on it, nothing new posted.
      expect(await h.say('no', { aadObjectId: ADMIN })).toEqual([]);
      expect(h.updated.map((u) => u.id)).toEqual([proposal?.id]);
      expect(visibleText(h.updated[0]!)).toMatch(/^Cancelled: nothing was changed\.\nCancelled by User · \{\{TIME\(/);
      expect(JSON.stringify(h.updated[0])).not.toContain('Action.Submit');
      await h.settle();
      expect(planGallery(h)).toBeDefined();
    });

    it('a member is refused', async () => {
      const [reply] = await h.say('detach', { aadObjectId: MEMBER });
      expect(reply?.text).toMatch(/Only a lab admin/);
      expect(planGallery(h)).toBeDefined();
    });
  });
});
