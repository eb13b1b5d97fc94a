import { conversationKey } from '../../src/bot/conversationKey';
import { ADMIN, createBotHarness, type BotHarness } from '../support/botHarness';

const CHANNEL = '19:abc123@thread.tacv2';

describe('conversationKey', () => {
  it.each([
    [`${CHANNEL};messageid=1700000000000`, CHANNEL],
    [`${CHANNEL};MessageId=42`, CHANNEL],
    [CHANNEL, CHANNEL],
    ['a:1Xyz-personal', 'a:1Xyz-personal'],
  ])('%s → %s', (id, key) => expect(conversationKey(id)).toBe(key));
});

describe('a channel is one conversation, whatever thread a message is in', () => {
  let h: BotHarness;
  beforeEach(async () => (h = await createBotHarness({ defaultHost: true })));
  afterEach(() => h.close());

  const inThread = (text: string, post: string) =>
    h.send({
      type: 'message',
      text,
      locale: 'en-US',
      from: { id: 'u-admin', name: 'Admin', aadObjectId: ADMIN },
      conversation: { id: `${CHANNEL};messageid=${post}`, isGroup: true, conversationType: 'channel', name: 'General' },
    });

  it('binds the channel from one thread and sees it from another; the reference is the channel’s, for new posts', async () => {
    const [bound] = await inThread('bind chemistry-account', '111');
    expect(bound?.text).toContain('chemistry-account');
    const [status] = await inThread('status', '222');
    expect(JSON.stringify(status)).toContain('chemistry-account');

    expect((await h.services.bindings.get(CHANNEL))?.hostId).toMatch(/chemistry-account$/);
    const refs = h.db.connection.prepare('SELECT conversation_id, reference FROM conversation_refs').all() as { conversation_id: string; reference: string }[];
    expect(refs.map((r) => r.conversation_id)).toEqual([CHANNEL]);
    const reference = JSON.parse(refs[0]!.reference) as { conversation: { id: string }; activityId?: string };
    expect(reference.conversation.id).toBe(CHANNEL);
    expect(reference.activityId).toBeUndefined();
  });
});
