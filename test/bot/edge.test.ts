import type { Activity } from 'botbuilder';
import { ADMIN, createBotHarness, MEMBER, PLAN_ID, type BotHarness } from '../support/botHarness';
import { SqliteConversationRefStore } from '../../src/storage/sqlite';

const conversationUpdate = (kind: 'membersAdded' | 'membersRemoved', conversationId = 'team-conv'): Partial<Activity> => ({
  type: 'conversationUpdate',
  [kind]: [{ id: 'bot-1', name: 'Lab Gallery' }],
  conversation: { id: conversationId, isGroup: true, conversationType: 'channel', name: 'General' },
  channelData: { tenant: { id: 'tenant-1' }, eventType: kind === 'membersAdded' ? 'teamMemberAdded' : 'teamMemberRemoved' },
});

describe('bot edge', () => {
  let h: BotHarness;
  let refs: SqliteConversationRefStore;
  afterEach(() => h.close());

  describe('conversation references', () => {
    beforeEach(async () => {
      h = await createBotHarness();
      refs = new SqliteConversationRefStore(h.db);
    });

    it('saves the reference when the bot is added to a team, and drops it when removed', async () => {
      await h.send(conversationUpdate('membersAdded'));
      const saved = await refs.get('team-conv');
      expect(saved?.tenantId).toBe('tenant-1');
      expect(saved?.reference).toMatchObject({ conversation: { id: 'team-conv' }, channelId: 'msteams', bot: { id: 'bot-1' } });
      await h.send(conversationUpdate('membersRemoved'));
      expect(await refs.get('team-conv')).toBeUndefined();
    });

    it('saves on installationUpdate add and deletes on remove', async () => {
      await h.send({ type: 'installationUpdate', action: 'add', conversation: { id: 'chat-9', isGroup: false, name: '', conversationType: 'personal' } });
      expect(await refs.get('chat-9')).toBeDefined();
      await h.send({ type: 'installationUpdate', action: 'remove', conversation: { id: 'chat-9', isGroup: false, name: '', conversationType: 'personal' } });
      expect(await refs.get('chat-9')).toBeUndefined();
    });

    it('refreshes an unchanged reference once a minute', async () => {
      await h.say('help', { aadObjectId: MEMBER });
      const first = await refs.get('conversation-1');
      h.clock.advance(1000);
      await h.say('help', { aadObjectId: MEMBER });
      expect((await refs.get('conversation-1'))!.updatedAt).toBe(first!.updatedAt);
      h.clock.advance(60_000);
      await h.say('help', { aadObjectId: MEMBER });
      const second = await refs.get('conversation-1');
      expect(second!.updatedAt).toBe(first!.updatedAt + 61_000);
    });
  });

  describe('default lab host', () => {
    it('binds a conversation seen for the first time, once', async () => {
      h = await createBotHarness({ defaultHost: true });
      await h.say('help', { aadObjectId: MEMBER });
      expect((await h.services.bindings.get('conversation-1'))?.hostId).toBe(PLAN_ID);
      await h.say('unbind', { aadObjectId: ADMIN });
      await h.say('help', { aadObjectId: MEMBER });
      expect(await h.services.bindings.get('conversation-1')).toBeUndefined();
    });
  });

  describe('turn error boundary', () => {

    it.each([
      ['en-US', /^Sorry, something went wrong on my side\. .*: ([0-9a-f-]{36})$/],
      ['fr-FR', /^Désolé, un problème est survenu de mon côté\. .* : ([0-9a-f-]{36})$/],
    ])('answers a short localized apology with a correlation id, never the error text (%s)', async (locale, expected) => {
      h = await createBotHarness();
      // A broken store is an unexpected failure: the database is gone under the bot's feet.
      h.db.close();
      const replies = await h.say('help', { aadObjectId: ADMIN, locale });
      expect(replies).toHaveLength(1);
      const text = replies[0]?.text ?? '';
      expect(text).toMatch(expected);
      expect(text).not.toMatch(/database|not open/i);
      const correlationId = expected.exec(text)?.[1];
      const logged = h.log.lines.find((l) => l.level === 'error' && l.msg === 'turn failed');
      expect(logged).toMatchObject({ correlationId, conversationId: 'conversation-1', aadObjectId: ADMIN });
    });

    it('gives an invoke a proper error status', async () => {
      h = await createBotHarness();
      const replies = await h.send({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'boom', data: {} } },
        from: { id: 'u', name: 'U', aadObjectId: ADMIN },
      });
      const response = replies.find((r) => r.type === 'invokeResponse');
      expect((response?.value as { status: number }).status).toBeGreaterThanOrEqual(400);
    });
  });
});
