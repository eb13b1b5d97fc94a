import type { Activity, AdaptiveCardInvokeResponse, InvokeResponse } from 'botbuilder';
import { IMAGE_VERBS } from '../../src/interaction';
import { SqliteConfirmationStore, SqliteConversationRefStore } from '../../src/storage/sqlite';
import { submitData } from '../support/dialogHarness';
import { ADMIN, createBotHarness, MEMBER, PLAN_ID, visibleText, type BotHarness } from '../support/botHarness';

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/;

/** Every string a set of activities shows, cards included. */
const shown = (activities: Partial<Activity>[]): string => JSON.stringify(activities);

describe('security at the bot edge (TestAdapter, msteams)', () => {
  let h: BotHarness;
  afterEach(() => h.close());

  const invoke = async (verb: string, data: unknown, extra: Partial<Activity>) => {
    const replies = await h.send({ type: 'invoke', name: 'adaptiveCard/action', locale: 'en-US', value: { action: { type: 'Action.Execute', verb, data } }, ...extra });
    const response = replies.find((r) => r.type === 'invokeResponse');
    expect(response).toBeDefined();
    return response!.value as InvokeResponse<AdaptiveCardInvokeResponse>;
  };

  describe('one identity rule: the Entra object id', () => {
    beforeEach(async () => {
      h = await createBotHarness();
      await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
    });

    it.each([
      ["an admin's object id as from.id, and no aadObjectId", { id: ADMIN, name: 'Eve' }, /^I can't tell who you are/],
      ["an admin's object id as from.id, and the sender's own aadObjectId", { id: ADMIN, name: 'Eve', aadObjectId: MEMBER }, /^Only the admin who asked can answer this\. Nothing was changed\.$/],
    ])("a forged confirm with %s does not burn the admin's proposal", async (_case, from, expected) => {
      const [proposal] = await h.say('detach', { aadObjectId: ADMIN });
      const confirm = submitData(proposal, 'confirm');
      h.azure.emulator.clearRequestLog();
      const [reply] = await h.send({ type: 'message', value: confirm, from });
      expect(reply?.text).toMatch(expected);
      expect((await new SqliteConfirmationStore(h.db).get(String(confirm.confirmationId)))?.usedAt).toBeUndefined();
      expect(h.azure.emulator.requestLog.filter((e) => e.method !== 'GET')).toEqual([]);
      const [started] = await h.send({ type: 'message', value: confirm, from: { id: 'u-admin', name: 'Ada', aadObjectId: ADMIN } });
      // The proposal becomes the operation's card (a new message here: the test's click names no card to replace).
      expect(visibleText(started!)).toMatch(/^⏳ Detaching/);
      await h.settle();
    });

    it.each([
      ['help', /help/i],
      ['status', /physics-plan/],
    ])('lets someone without an object id ask %s', async (text, expected) => {
      const [reply] = await h.say(text, {});
      expect(shown([reply!])).toMatch(expected);
      expect(reply?.text ?? '').not.toMatch(/can't tell who you are/);
    });

    it.each([['images'], ['detach'], ['enable optics-sim'], ['yes'], ['unbind']])('refuses "%s" from someone without an object id, in their language', async (text) => {
      h.azure.emulator.clearRequestLog();
      expect((await h.say(text, {}))[0]?.text).toMatch(/^I can't tell who you are/);
      expect((await h.say(text, { locale: 'fr-FR' }))[0]?.text).toMatch(/^Je ne sais pas qui vous êtes/);
      expect(h.azure.emulator.requestLog.filter((e) => e.method !== 'GET')).toEqual([]);
      expect(await h.services.audit.recent(10)).toEqual([]);
    });

    it('refuses a card action from someone without an object id, as an invoke response', async () => {
      const response = await invoke(IMAGE_VERBS.enableAll, { page: 0, filter: '' }, { from: { id: ADMIN, name: 'Eve' } });
      expect([response.status, response.body?.type]).toEqual([200, 'application/vnd.microsoft.activity.message']);
      expect(response.body?.value).toMatch(/^I can't tell who you are/);
    });
  });

  describe('tenant restriction', () => {
    const foreign = { channelData: { tenant: { id: 'tenant-evil' } }, conversation: { id: 'conv-evil', isGroup: false, conversationType: 'personal', name: '' } };
    let refs: SqliteConversationRefStore;
    beforeEach(async () => {
      h = await createBotHarness({ allowedTenantIds: ['tenant-1'], defaultHost: true });
      refs = new SqliteConversationRefStore(h.db);
    });

    it.each([
      ['en-US', 'This bot is not available to your organization.'],
      ['fr-FR', "Ce bot n'est pas disponible pour votre organisation."],
    ])('answers a message from another tenant with one short refusal, and stores nothing (%s)', async (locale, text) => {
      const replies = await h.send({ type: 'message', text: 'status', locale, from: { id: 'u', name: 'Eve', aadObjectId: ADMIN }, ...foreign });
      expect(replies.map((r) => r.text)).toEqual([text]);
      expect(await refs.get('conv-evil')).toBeUndefined();
      expect(await h.services.bindings.get('conv-evil')).toBeUndefined();
    });

    it.each([
      ['channelData.tenant.id', { channelData: { tenant: { id: 'TENANT-EVIL' } } }],
      ['conversation.tenantId', { channelData: {}, conversation: { id: 'conv-evil', isGroup: false, conversationType: 'personal', name: '', tenantId: 'tenant-evil' } }],
      ['no tenant at all', { channelData: {} }],
    ])('reads the tenant from %s', async (_case, where) => {
      const replies = await h.send({ type: 'message', text: 'help', from: { id: 'u', name: 'Eve', aadObjectId: MEMBER }, conversation: { id: 'conv-evil', isGroup: false, conversationType: 'personal', name: '' }, ...where });
      expect(replies.map((r) => r.text)).toEqual(['This bot is not available to your organization.']);
      expect(await refs.get('conv-evil')).toBeUndefined();
    });

    it('ignores installs and member changes from another tenant: no reference stored, none deleted', async () => {
      await h.say('help', { aadObjectId: MEMBER });
      expect(await refs.get('conversation-1')).toBeDefined();
      const added = await h.send({ type: 'conversationUpdate', membersAdded: [{ id: 'bot-1', name: 'Lab Gallery' }], ...foreign });
      const installed = await h.send({ type: 'installationUpdate', action: 'add', ...foreign });
      // Forged removal of one of our conversations, from elsewhere.
      const removed = await h.send({ type: 'installationUpdate', action: 'remove', channelData: { tenant: { id: 'tenant-evil' } } });
      expect([...added, ...installed, ...removed]).toEqual([]);
      expect(await refs.get('conv-evil')).toBeUndefined();
      expect(await refs.get('conversation-1')).toBeDefined();
    });

    it('refuses a card action from another tenant as an invoke response, with no ARM write', async () => {
      h.azure.emulator.clearRequestLog();
      const response = await invoke(IMAGE_VERBS.enableAll, { page: 0, filter: '' }, { from: { id: 'u', name: 'Eve', aadObjectId: ADMIN }, ...foreign });
      expect([response.status, response.body?.statusCode, response.body?.type, response.body?.value]).toEqual([
        200,
        200,
        'application/vnd.microsoft.activity.message',
        'This bot is not available to your organization.',
      ]);
      expect(h.azure.emulator.requestLog).toEqual([]);
    });

    it.each([
      ['a number', { tenant: { id: 42 } }],
      ['an object', { tenant: { id: { id: 'tenant-1' } } }],
      ['a string tenant', { tenant: 'tenant-1' }],
    ])('counts a tenant id that is %s as no tenant', async (_case, channelData) => {
      const replies = await h.send({ type: 'message', text: 'help', from: { id: 'u', name: 'Eve', aadObjectId: MEMBER }, channelData });
      expect(replies.map((r) => r.text)).toEqual(['This bot is not available to your organization.']);
    });

    it('answers its own tenant as before', async () => {
      const [reply] = await h.say('status', { aadObjectId: MEMBER });
      expect(reply?.text ?? '').not.toMatch(/not available/);
      expect(await refs.get('conversation-1')).toBeDefined();
    });
  });

  describe('malformed card actions', () => {
    beforeEach(async () => {
      h = await createBotHarness();
    });

    it.each([[{}], [{ action: null }], [{ action: 'x' }], ['text'], [{ action: [] }]])('answers %j with 400, not a failed turn', async (value) => {
      const replies = await h.send({ type: 'invoke', name: 'adaptiveCard/action', value, from: { id: 'u', name: 'A', aadObjectId: ADMIN } });
      const response = replies.find((r) => r.type === 'invokeResponse')?.value as InvokeResponse<AdaptiveCardInvokeResponse>;
      expect([response.status, response.body?.statusCode, response.body?.type]).toEqual([400, 400, 'application/vnd.microsoft.error']);
      expect(h.log.lines.filter((l) => l.level === 'error')).toEqual([]);
    });

    it('refuses a verb that is not a string (an object whose toString is not a function) without failing the turn', async () => {
      // Found by the fuzz suite (seed 1975052455): String(verb) threw inside the turn.
      const value = { action: { type: 'Action.Execute', verb: { toString: 'x' }, data: { page: 2, filter: '' } } };
      const replies = await h.send({ type: 'invoke', name: 'adaptiveCard/action', value, from: { id: 'u', name: 'A', aadObjectId: ADMIN } });
      const response = replies.find((r) => r.type === 'invokeResponse')?.value as InvokeResponse<AdaptiveCardInvokeResponse>;
      expect(response.status).toBeLessThan(500);
      expect(h.log.lines.filter((l) => l.level === 'error')).toEqual([]);
    });
  });

  describe('invisible characters', () => {
    beforeEach(async () => {
      h = await createBotHarness();
    });

    it('strips zero-width and bidi controls before parsing', async () => {
      const [reply] = await h.say('\u200Bbind phys\u200Dics\u2060-\uFEFFpl\u202Ean\u2066\u2069', { aadObjectId: ADMIN });
      expect(reply?.text).toBe('This conversation is now bound to **physics-plan**.');
    });

    it.each([
      ['an unknown word', '\u202Eevil\u202C word'],
      ['an unknown host', 'bind bio\u200Blogy\u2067-plan\u2069'],
      ['a card action naming an unknown image', 'images'],
    ])('never echoes them back: %s', async (_case, text) => {
      const replies = await h.say(text, { aadObjectId: ADMIN });
      expect(shown(replies)).not.toMatch(INVISIBLE);
      await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 }).catch(() => undefined);
      const response = await invoke(IMAGE_VERBS.apply, { page: 0, filter: '', 'image:opt\u200Bics\u202E-x': 'true' }, { from: { id: 'u', name: 'A', aadObjectId: ADMIN } });
      expect(JSON.stringify(response)).not.toMatch(INVISIBLE);
    });
  });

  describe('logs', () => {
    it('hold no message text at debug level, not even its start', async () => {
      h = await createBotHarness();
      await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
      const secret = 'Pa55w0rd-Zebra!42';
      for (const text of [secret, `my password is ${secret}`, `bind ${secret}`, `enable ${secret}`, `images ${secret}`]) await h.say(text, { aadObjectId: ADMIN });
      await invoke(`images.${secret}`, { filter: secret }, { from: { id: 'u', name: 'A', aadObjectId: ADMIN } });
      expect(h.log.lines.some((l) => l.level === 'debug' && l.msg === 'message')).toBe(true);
      const logged = JSON.stringify(h.log.lines, (_key, value: unknown) => (value instanceof Error ? { message: value.message, stack: value.stack } : value));
      expect(logged).not.toContain('Zebra');
    });
  });
});
