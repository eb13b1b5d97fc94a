import type { Activity, AdaptiveCardInvokeResponse, Attachment, InvokeResponse } from 'botbuilder';
import { IMAGES_PAGE_SIZE } from '../../src/views';
import { IMAGE_VERBS, TEMPLATE_PICK_VERB } from '../../src/interaction';
import { cardBytes, MAX_CARD_BYTES } from '../../src/cards/renderCard';
import type { AdaptiveCard } from '../../src/ports/notifier';
import { BUILT_IN_ROLES, DEMO_NAMES, DEMO_SERVICE_PRINCIPALS, type EmulatorState } from '../../src/emulator';
import { addBigGallery } from '../support/bigGallery';
import { ACCOUNT_ID, ADMIN, createBotHarness, MEMBER, PLAN_ID, TEACHER, visibleText, type BotHarness } from '../support/botHarness';
import { longImageName } from '../support/cardSamples';

type As = { aadObjectId?: string; locale?: string };

interface CardAction {
  verb: string;
  title: string;
  data: Record<string, unknown>;
}

/** Every node of a card (or of anything) whose `type` is the one asked. */
function nodesOfType(node: unknown, type: string, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) node.forEach((n) => nodesOfType(n, type, found));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === type) found.push(o);
    Object.values(o).forEach((v) => nodesOfType(v, type, found));
  }
  return found;
}

const toggles = (card: AdaptiveCard) => Object.fromEntries(nodesOfType(card.body, 'Input.Toggle').map((n) => [n.id as string, n.value as string]));
const executes = (card: AdaptiveCard): CardAction[] =>
  nodesOfType([card.body, card.actions], 'Action.Execute').map((n) => ({ verb: n.verb as string, title: n.title as string, data: n.data as Record<string, unknown> }));
const verbsOf = (card: AdaptiveCard) => executes(card).map((a) => a.verb);
/** The image names the card lists, in order (the bold TextBlock heading each image). */
const imageNames = (card: AdaptiveCard) =>
  nodesOfType(card.body, 'Container').flatMap((c) => ((c.items as Record<string, unknown>[])[0]?.weight === 'Bolder' ? [(c.items as Record<string, unknown>[])[0]!.text as string] : []));
const cardText = (card: AdaptiveCard) => visibleText({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });

describe('images card (TestAdapter, msteams)', () => {
  let h: BotHarness;

  const bind = (hostId = PLAN_ID) => h.services.bindings.put({ conversationId: 'conversation-1', hostId, boundBy: ADMIN, boundAt: 0 });
  const states = () => Object.fromEntries(h.azure.emulator.state.labPlans.images(PLAN_ID).map((i) => [i.name, i.enabledState]));
  const armWrites = () => h.azure.emulator.requestLog.filter((e) => e.method === 'PATCH' || e.method === 'PUT');

  /** `images [filter]` as a user: the one card it answers. */
  const list = async (text: string, as: As) => {
    const replies = await h.say(text, as);
    expect(replies).toHaveLength(1);
    const attachment = (replies[0]?.attachments ?? [])[0] as Attachment | undefined;
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    return attachment!.content as AdaptiveCard;
  };

  /** An Action.Execute as Teams sends it; the body of the invoke response the bot queued. */
  const invoke = async (verb: string, data: unknown, as: As = { aadObjectId: ADMIN }) => {
    const replies: Partial<Activity>[] = await h.send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      locale: as.locale ?? 'en-US',
      from: { id: `user-${as.aadObjectId ?? 'anon'}`, name: 'User', ...(as.aadObjectId ? { aadObjectId: as.aadObjectId } : {}) },
      value: { action: { type: 'Action.Execute', verb, data } },
    });
    const response = replies.find((r) => r.type === 'invokeResponse');
    expect(response).toBeDefined();
    const { status, body } = response!.value as InvokeResponse<AdaptiveCardInvokeResponse>;
    return { status, body: body! };
  };
  const invokeCard = async (verb: string, data: unknown, as?: As) => {
    const { status, body } = await invoke(verb, data, as);
    if (body.type !== 'application/vnd.microsoft.card.adaptive') throw new Error(`expected a card, got ${JSON.stringify(body)}`);
    expect([status, body.statusCode, body.type]).toEqual([200, 200, 'application/vnd.microsoft.card.adaptive']);
    return body.value as AdaptiveCard;
  };
  const invokeMessage = async (verb: string, data: unknown, as?: As) => {
    const { status, body } = await invoke(verb, data, as);
    expect([status, body.statusCode, body.type]).toEqual([200, 200, 'application/vnd.microsoft.activity.message']);
    return body.value as unknown as string;
  };

  afterEach(() => h.close());

  describe('views', () => {
    beforeEach(async () => {
      h = await createBotHarness();
      await bind();
    });

    it('shows a member every image, its facts and why it cannot back a template, with nothing to press but Refresh', async () => {
      const card = await list('images', { aadObjectId: MEMBER });
      expect(card.version).toBe('1.5');
      expect(imageNames(card)).toEqual(['physics-win11', 'physics-ubuntu', 'optics-sim', 'quantum-gpu']);
      const text = cardText(card);
      expect(text).toContain('Images of physics_gallery');
      expect(text).toContain('physics-plan (West US 2) · 2 of 4 enabled');
      expect(text).toContain('Windows 11 with LabVIEW · Windows · generalized (a reusable image) · latest version 1.0.0 · enabled');
      expect(text).toContain('Regions: East US, West US 2 (✓ includes West US 2)');
      expect(text).toContain('Quantum computing toolkit (GPU) · Linux · generalized (a reusable image) · latest version 1.0.0 · disabled');
      expect(text).toContain('Regions: East US (✗ not West US 2)');
      expect(text).toContain("Can't be used as a template: no replica in West US 2.");
      expect(toggles(card)).toEqual({});
      expect(verbsOf(card)).toEqual([IMAGE_VERBS.refresh]);
      expect(card.refresh).toEqual({ action: { type: 'Action.Execute', verb: IMAGE_VERBS.refresh, data: { page: 0, filter: '' } }, userIds: [`user-${MEMBER}`] });
    });

    it('shows a teacher only the enabled images that can back a template, each with "Use as template"', async () => {
      const card = await list('images', { aadObjectId: TEACHER });
      expect(imageNames(card)).toEqual(['physics-win11', 'physics-ubuntu']);
      expect(toggles(card)).toEqual({});
      expect(executes(card).filter((a) => a.verb === TEMPLATE_PICK_VERB)).toEqual([
        { verb: TEMPLATE_PICK_VERB, title: 'Use as template', data: { image: 'physics-win11' } },
        { verb: TEMPLATE_PICK_VERB, title: 'Use as template', data: { image: 'physics-ubuntu' } },
      ]);
      expect(verbsOf(card)).not.toContain(IMAGE_VERBS.apply);
      expect(cardText(card)).not.toContain("Can't be used as a template");
    });

    it('gives an admin a toggle per image (ids from the names), Apply, Enable all and Disable all, in French too', async () => {
      const card = await list('images', { aadObjectId: ADMIN, locale: 'fr-FR' });
      expect(toggles(card)).toEqual({ 'image:physics-win11': 'true', 'image:physics-ubuntu': 'true', 'image:optics-sim': 'false', 'image:quantum-gpu': 'false' });
      expect(executes(card).map((a) => [a.verb, a.title])).toEqual([
        [IMAGE_VERBS.apply, 'Appliquer'],
        [IMAGE_VERBS.enableAll, 'Tout activer'],
        [IMAGE_VERBS.disableAll, 'Tout désactiver'],
        [IMAGE_VERBS.refresh, 'Actualiser'],
      ]);
      const text = cardText(card);
      expect(text).toContain('Images de physics_gallery');
      expect(text).toContain('Ubuntu 22.04 with ROOT · Linux · généralisée (image réutilisable) · dernière version 1.0.0 · activée');
      expect(text).toContain('Ne peut pas servir de modèle : aucun réplica dans Ouest des États-Unis 2.');
      expect(text).toContain('Activée pour les enseignants');
      expect(card.refresh).toMatchObject({ userIds: [`user-${ADMIN}`] });
    });

    it('filters on the name or the display name, case-insensitively, and keeps the filter for every button', async () => {
      expect(imageNames(await list('images PHYSICS', { aadObjectId: MEMBER }))).toEqual(['physics-win11', 'physics-ubuntu']);
      const card = await list('images labview', { aadObjectId: ADMIN });
      expect(imageNames(card)).toEqual(['physics-win11']);
      expect(cardText(card)).toContain('filter "labview": 1 match');
      expect(executes(card).map((a) => a.data)).toEqual(Array(4).fill({ page: 0, filter: 'labview' }));
      expect(executes(card).map((a) => a.title)).toContain('Enable all matching');
      const none = await list('images nothing-like-this', { aadObjectId: MEMBER });
      expect(cardText(none)).toContain('No image matches "nothing-like-this".');
    });

    it('says so when the conversation is unbound or the host has no gallery', async () => {
      await h.services.bindings.delete('conversation-1');
      expect((await h.say('images', { aadObjectId: MEMBER }))[0]?.text).toMatch(/not linked to a lab plan or lab account yet/);
      expect(await invokeMessage(IMAGE_VERBS.page, { page: 0, filter: '' }, { aadObjectId: MEMBER })).toMatch(/not linked to a lab plan or lab account yet/);
      await bind(ACCOUNT_ID);
      expect((await h.say('images', { aadObjectId: MEMBER }))[0]?.text).toBe(
        '**chemistry-account** has no gallery attached, so it has no images to show. An admin can attach one with **attach**.',
      );
    });

    it('answers a refresh with the view of whoever refreshes, and refreshes the card for them only', async () => {
      const posted = await list('images', { aadObjectId: ADMIN });
      expect(posted.refresh).toMatchObject({ userIds: [`user-${ADMIN}`] });
      const teacher = await invokeCard(IMAGE_VERBS.refresh, { page: 0, filter: '' }, { aadObjectId: TEACHER });
      expect(toggles(teacher)).toEqual({});
      expect(imageNames(teacher)).toEqual(['physics-win11', 'physics-ubuntu']);
      expect(teacher.refresh).toMatchObject({ userIds: [`user-${TEACHER}`] });
      const member = await invokeCard(IMAGE_VERBS.refresh, { page: 0, filter: '' }, { aadObjectId: MEMBER, locale: 'fr-FR' });
      expect(verbsOf(member)).toEqual([IMAGE_VERBS.refresh]);
      expect(cardText(member)).toContain('Images de physics_gallery');
      const admin = await invokeCard(IMAGE_VERBS.refresh, { page: 0, filter: '' }, { aadObjectId: ADMIN });
      expect(Object.keys(toggles(admin))).toHaveLength(4);
    });
  });

  describe('Apply, Enable all, Disable all', () => {
    beforeEach(async () => {
      h = await createBotHarness();
      await bind();
      h.azure.emulator.clearRequestLog();
    });

    it('writes only the images whose toggle differs from Azure, audits once, and shows the new state', async () => {
      const card = await invokeCard(IMAGE_VERBS.apply, {
        page: 0,
        filter: '',
        'image:physics-win11': 'false',
        'image:physics-ubuntu': 'true',
        'image:optics-sim': 'true',
        'image:quantum-gpu': 'false',
      });
      expect(armWrites().map((e) => [e.method, e.path.split('/').pop()])).toEqual(
        expect.arrayContaining([
          ['PATCH', 'physics-win11'],
          ['PATCH', 'optics-sim'],
        ]),
      );
      expect(armWrites()).toHaveLength(2);
      expect(states()).toEqual({ 'physics-win11': 'Disabled', 'physics-ubuntu': 'Enabled', 'optics-sim': 'Enabled', 'quantum-gpu': 'Disabled' });
      expect(toggles(card)).toEqual({ 'image:physics-win11': 'false', 'image:physics-ubuntu': 'true', 'image:optics-sim': 'true', 'image:quantum-gpu': 'false' });
      expect(cardText(card)).toContain('Saved: 1 enabled, 1 disabled.');
      const audit = await h.services.audit.recent(10);
      expect(audit.map((a) => [a.command, a.outcome, a.userId, a.target, a.detail])).toEqual([
        [IMAGE_VERBS.apply, 'succeeded', ADMIN, PLAN_ID, 'changed=2 unchanged=2 failed=0 images=physics-win11,optics-sim'],
      ]);
    });

    it('writes nothing when every toggle already matches Azure', async () => {
      const card = await invokeCard(IMAGE_VERBS.apply, { page: 0, filter: '', 'image:physics-win11': 'true', 'image:optics-sim': 'false' });
      expect(armWrites()).toHaveLength(0);
      expect(cardText(card)).toContain('Nothing to change: Azure already has these images as shown.');
    });

    it('shows what Azure refused on the image itself, in the user words, and changes the others', async () => {
      h.azure.emulator.faults.add({ method: 'PATCH', path: /images\/optics-sim$/i, status: 409, code: 'Conflict' });
      const card = await invokeCard(IMAGE_VERBS.apply, { page: 0, filter: '', 'image:optics-sim': 'true', 'image:quantum-gpu': 'true' }, { aadObjectId: ADMIN, locale: 'fr-FR' });
      expect(states()).toMatchObject({ 'optics-sim': 'Disabled', 'quantum-gpu': 'Enabled' });
      expect(toggles(card)).toMatchObject({ 'image:optics-sim': 'false', 'image:quantum-gpu': 'true' });
      const optics = nodesOfType(card.body, 'Container').find((c) => JSON.stringify(c).includes('"optics-sim"'));
      const warning = nodesOfType(optics, 'TextBlock').find((b) => typeof b.text === 'string' && b.text.startsWith('⚠️'));
      expect(warning?.text).toMatch(/^⚠️ Non modifiée : Azure signale un conflit sur optics-sim/);
      const notice = nodesOfType(card.body, 'Container').find((c) => JSON.stringify(c).includes('Enregistré'));
      expect(notice).toMatchObject({ style: 'warning', items: [{ text: 'Enregistré en partie : 1 activée, 0 désactivée, 1 non modifiée (voir plus bas).' }] });
      expect(JSON.stringify(card)).not.toMatch(/Injected fault/);
      expect((await h.services.audit.recent(1))[0]?.detail).toBe('changed=1 unchanged=0 failed=1 images=quantum-gpu');
    });

    it('enables every image, or disables those matching the filter, after a yes, writing only what changes', async () => {
      const asked = await invokeCard(IMAGE_VERBS.enableAll, { page: 0, filter: '' });
      expect(armWrites()).toHaveLength(0);
      const yes = executes(asked).find((a) => a.verb === IMAGE_VERBS.confirmEnableAll)!;
      const all = await invokeCard(yes.verb, yes.data);
      expect(armWrites()).toHaveLength(2);
      expect(Object.values(states())).toEqual(['Enabled', 'Enabled', 'Enabled', 'Enabled']);
      expect(Object.values(toggles(all))).toEqual(['true', 'true', 'true', 'true']);
      h.azure.emulator.clearRequestLog();
      const question = await invokeCard(IMAGE_VERBS.disableAll, { page: 0, filter: 'PHYSICS', 'image:physics-win11': 'true' });
      const no = executes(question).find((a) => a.verb === IMAGE_VERBS.confirmDisableAll)!;
      const some = await invokeCard(no.verb, no.data);
      expect(armWrites()).toHaveLength(2);
      expect(states()).toEqual({ 'physics-win11': 'Disabled', 'physics-ubuntu': 'Disabled', 'optics-sim': 'Enabled', 'quantum-gpu': 'Enabled' });
      expect(imageNames(some)).toEqual(['physics-win11', 'physics-ubuntu']);
      expect(cardText(some)).toContain('Saved: 0 enabled, 2 disabled.');
      expect((await h.services.audit.recent(10)).map((a) => [a.command, a.outcome, a.detail])).toEqual([
        [IMAGE_VERBS.disableAll, 'succeeded', 'changed=2 unchanged=0 failed=0 images=physics-win11,physics-ubuntu'],
        [IMAGE_VERBS.enableAll, 'succeeded', 'changed=2 unchanged=2 failed=0 images=optics-sim,quantum-gpu'],
      ]);
    });
  });

  describe('forged invokes', () => {
    const tenKb = 'x'.repeat(10 * 1024);

    beforeEach(async () => {
      h = await createBotHarness();
      await bind();
      h.azure.emulator.clearRequestLog();
    });

    it.each<[string, string, unknown, As, RegExp, string | undefined]>([
      ['an image of another gallery', IMAGE_VERBS.apply, { page: 0, filter: '', 'image:win11-office': 'true' }, { aadObjectId: ADMIN }, /^win11-office is not an image of the attached gallery\. Nothing was changed\.$/, 'unknownImage'],
      ['a teacher applying', IMAGE_VERBS.apply, { page: 0, filter: '', 'image:optics-sim': 'true' }, { aadObjectId: TEACHER }, /^Only a lab admin can do that\. Your role here is teacher\. Nothing was changed\.$/, 'role=teacher'],
      ['a member enabling all', IMAGE_VERBS.confirmEnableAll, { page: 0, filter: '' }, { aadObjectId: MEMBER }, /^Only a lab admin can do that\. Your role here is member\./, 'role=member'],
      // The one identity rule: no Entra object id, nobody; refused at the edge, before any role or audit.
      ['someone with no Entra id', IMAGE_VERBS.confirmEnableAll, { page: 0, filter: '', count: 2, digest: '0123456789' }, {}, /^I can't tell who you are: .* I can only answer help and status\.$/, undefined],
      ['a missing page', IMAGE_VERBS.apply, { filter: '', 'image:optics-sim': 'true' }, { aadObjectId: ADMIN }, /^That card action was not valid\. Nothing was changed/, 'invalidData'],
      ['a missing filter', IMAGE_VERBS.confirmEnableAll, { page: 0 }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['no data at all', IMAGE_VERBS.confirmDisableAll, undefined, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['a page as a string', IMAGE_VERBS.apply, { page: '0', filter: '', 'image:optics-sim': 'true' }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['a negative page', IMAGE_VERBS.apply, { page: -1, filter: '', 'image:optics-sim': 'true' }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['a toggle as a boolean', IMAGE_VERBS.apply, { page: 0, filter: '', 'image:optics-sim': true }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['a toggle with another value', IMAGE_VERBS.apply, { page: 0, filter: '', 'image:optics-sim': 'yes' }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['a 10 KB filter', IMAGE_VERBS.confirmEnableAll, { page: 0, filter: tenKb }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['a 10 KB image name', IMAGE_VERBS.apply, { page: 0, filter: '', [`image:${tenKb}`]: 'true' }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['a 10 KB extra field', IMAGE_VERBS.apply, { page: 0, filter: '', 'image:optics-sim': 'true', note: tenKb }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['a nested object', IMAGE_VERBS.apply, { page: 0, filter: '', 'image:optics-sim': { value: 'true' } }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['an array', IMAGE_VERBS.confirmEnableAll, [0, ''], { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['more toggles than a page has', IMAGE_VERBS.apply, { page: 0, filter: '', ...Object.fromEntries(Array.from({ length: IMAGES_PAGE_SIZE + 1 }, (_, i) => [`image:a${i}`, 'true'])) }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['a 10 KB filter to view', IMAGE_VERBS.page, { page: 0, filter: tenKb }, { aadObjectId: MEMBER }, /^That card action was not valid/, undefined],
      ['carried changes of another shape', IMAGE_VERBS.apply, { page: 0, filter: '', changes: 'optics-sim+', list: '0123456789' }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['more carried changes than a card carries', IMAGE_VERBS.apply, { page: 0, filter: '', changes: Array(41).fill('1+').join('.'), list: '0123456789' }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['carried changes without their list', IMAGE_VERBS.apply, { page: 0, filter: '', changes: '1+' }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['an audience of another name', IMAGE_VERBS.page, { page: 0, filter: '', view: 'admin' }, { aadObjectId: MEMBER }, /^That card action was not valid/, undefined],
      ['a yes for no image', IMAGE_VERBS.confirmDisableAll, { page: 0, filter: '', count: 0, digest: '0123456789' }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
      ['a yes without its digest', IMAGE_VERBS.confirmDisableAll, { page: 0, filter: '', count: 2 }, { aadObjectId: ADMIN }, /^That card action was not valid/, 'invalidData'],
    ])('refuses %s with a message, writes nothing to Azure, and audits refused side effects', async (_case, verb, data, as, expected, auditDetail) => {
      const before = states();
      expect(await invokeMessage(verb, data, as)).toMatch(expected);
      expect(armWrites()).toHaveLength(0);
      expect(states()).toEqual(before);
      const audit = await h.services.audit.recent(10);
      expect(audit.map((a) => [a.command, a.outcome, a.detail])).toEqual(auditDetail ? [[verb, 'refused', auditDetail]] : []);
    });

    it.each([
      ['an unknown verb', 'images.delete'],
      ['a verb that is not a string', 42],
    ])('answers %s with a bad request carrying a localized message, and writes nothing', async (_case, verb) => {
      const { status, body } = await invoke(verb as string, { image: 'physics-win11' }, { aadObjectId: ADMIN, locale: 'fr-FR' });
      expect([status, body.statusCode, body.type]).toEqual([400, 400, 'application/vnd.microsoft.error']);
      expect(body.value).toEqual({ code: 'BadRequest', message: "Ce bouton n'est pas (ou plus) pris en charge par ce bot. Rien n'a été modifié." });
      expect(armWrites()).toHaveLength(0);
    });

    it('fails closed: an admin whose role cannot be read from Azure is refused', async () => {
      h.azure.emulator.faults.add({ method: 'GET', path: /roleAssignments/i, status: 500 });
      expect(await invokeMessage(IMAGE_VERBS.enableAll, { page: 0, filter: '' })).toMatch(/^Only a lab admin can do that\. Your role here is member\./);
      expect(armWrites()).toHaveLength(0);
    });
  });

  describe('big galleries', () => {
    beforeEach(async () => {
      h = await createBotHarness();
    });

    const makeAdminOf = (state: EmulatorState, hostId: string) =>
      state.addRoleAssignment({ scope: hostId, roleDefinitionGuid: BUILT_IN_ROLES.owner.guid, principalId: ADMIN, principalType: 'User' });

    it('pages 300 images, every page under 28 KB, Next and Previous keeping the filter, reading versions for one page at a time', async () => {
      const { state } = h.azure.emulator;
      const { planId } = addBigGallery(state, 300);
      makeAdminOf(state, planId);
      await bind(planId);

      const pages = Math.ceil(300 / IMAGES_PAGE_SIZE);
      const seen: string[] = [];
      const sizes: number[] = [];
      const costs: { versions: number; total: number }[] = [];
      const costOfView = () => {
        const log = h.azure.emulator.requestLog;
        return { versions: log.filter((e) => e.operation === 'galleryImageVersions.listByGalleryImage').length, total: log.length };
      };
      h.azure.emulator.clearRequestLog();
      let card = await list('images', { aadObjectId: ADMIN });
      for (let page = 0; ; page++) {
        costs.push(costOfView());
        h.azure.emulator.clearRequestLog();
        sizes.push(cardBytes(card));
        seen.push(...imageNames(card));
        expect(Object.keys(toggles(card))).toHaveLength(IMAGES_PAGE_SIZE);
        expect(cardText(card)).toContain(`Page ${page + 1} of ${pages} · 300 images`);
        const next = executes(card).find((a) => a.verb === IMAGE_VERBS.page && a.title === 'Next');
        if (!next) break;
        expect(next.data).toEqual({ page: page + 1, filter: '' });
        // A person reads a page before the next click: ARM's read bucket refills meanwhile.
        h.clock.advance(2_000);
        card = await invokeCard(next.verb, next.data);
      }
      expect(sizes).toHaveLength(pages);
      expect(Math.max(...sizes)).toBeLessThan(MAX_CARD_BYTES);
      expect(new Set(seen).size).toBe(300);
      // Each view reads the versions of its own page's images only; the first view also reads the caller's role,
      // the host, the image list (the plan, then 2 ARM pages of 200) and the region names; later pages reuse the
      // cached list.
      for (const cost of costs) expect(cost.versions).toBe(IMAGES_PAGE_SIZE);
      expect(costs[0]!.total).toBeLessThanOrEqual(IMAGES_PAGE_SIZE + 6);
      for (const cost of costs.slice(1)) expect(cost.total).toBe(IMAGES_PAGE_SIZE);

      // The same page again: versions come from the cache.
      const previous = executes(card).find((a) => a.verb === IMAGE_VERBS.page && a.title === 'Previous');
      expect(previous?.data).toEqual({ page: pages - 2, filter: '' });
      await invokeCard(IMAGE_VERBS.refresh, { page: pages - 1, filter: '' });
      expect(costOfView()).toEqual({ versions: 0, total: 0 });

      // Past the end shows the last page.
      expect(cardText(await invokeCard(IMAGE_VERBS.page, { page: 999, filter: '' }))).toContain(`Page ${pages} of ${pages}`);
    }, 120_000); // CPU-bound (300 images rendered into cards): a ceiling for a loaded machine, not a wait.

    it('keeps every page under 28 KB with 80-character names, long display names and every reason an image cannot back a template', async () => {
      const { state } = h.azure.emulator;
      const rg = DEMO_NAMES.resourceGroup;
      const galleryId = state.addGallery({ resourceGroup: rg, name: 'long_names', location: 'westus2' });
      for (let i = 0; i < 25; i++) {
        const definitionId = state.addImageDefinition({ galleryId, name: longImageName(i), osType: 'Windows', osState: 'Specialized', description: 'D'.repeat(300) });
        state.addImageVersion({ definitionId, name: '2026.1127.123456', targetRegions: ['eastus', 'westus', 'westus3', 'centralus', 'northeurope', 'westeurope', 'uksouth', 'francecentral', 'francesouth'], replicationDurationsMs: 0, osDiskSizeGB: 1024, dataDiskSizesGB: [256, 256] });
      }
      state.addRoleAssignment({ scope: galleryId, roleDefinitionGuid: BUILT_IN_ROLES.owner.guid, principalId: DEMO_SERVICE_PRINCIPALS.labPlan.objectId, principalType: 'ServicePrincipal' });
      const planId = state.addLabPlan({ resourceGroup: rg, name: 'plan-long-names', location: 'westus2', sharedGalleryId: galleryId });
      makeAdminOf(state, planId);
      await bind(planId);

      for (const locale of ['en-US', 'fr-FR']) {
        const first = await list('images', { aadObjectId: ADMIN, locale });
        const second = await invokeCard(IMAGE_VERBS.page, { page: 1, filter: '' }, { aadObjectId: ADMIN, locale });
        expect(imageNames(first)).toHaveLength(IMAGES_PAGE_SIZE);
        expect(imageNames(second)).toHaveLength(25 - IMAGES_PAGE_SIZE);
        expect(cardText(first)).toMatch(/(Can't be used as a template|Ne peut pas servir de modèle)/);
        for (const card of [first, second]) expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
      }
    });
  });
});
