import type { ConversationRefStore } from '../../src/ports/stores';
import { BACKENDS, useBackendFixture } from './backendFixture';

const reference = (conversationId: string) => ({
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  conversation: { id: conversationId, conversationType: 'channel', tenantId: 't1' },
  bot: { id: '28:bot', name: 'Lab Gallery' },
});

describe.each(BACKENDS)('%s conversation reference store', (backend) => {
  const fixture = useBackendFixture(backend);
  let store: ConversationRefStore;
  beforeEach(async () => {
    store = (await fixture.open()).conversationRefs;
  });

  it('returns undefined for an unknown conversation', async () => {
    expect(await store.get('19:none')).toBeUndefined();
  });

  it('stores a reference as JSON, stamped with the clock', async () => {
    fixture.clock.set(Date.UTC(2026, 1, 1));
    await store.upsert({ conversationId: '19:c1', tenantId: 't1', reference: reference('19:c1') });
    expect(await store.get('19:c1')).toEqual({
      conversationId: '19:c1',
      tenantId: 't1',
      reference: reference('19:c1'),
      updatedAt: Date.UTC(2026, 1, 1),
    });
  });

  it('replaces the whole record on upsert, tenant included', async () => {
    await store.upsert({ conversationId: '19:c1', tenantId: 't1', reference: reference('19:c1') });
    fixture.clock.advance(1000);
    const moved = { ...reference('19:c1'), serviceUrl: 'https://smba.trafficmanager.net/amer/' };
    await store.upsert({ conversationId: '19:c1', reference: moved });
    expect(await store.get('19:c1')).toEqual({
      conversationId: '19:c1',
      reference: moved,
      updatedAt: fixture.clock.now(),
    });
  });

  it('upsert says whether the conversation was already stored: not at first, yes after, not again once deleted', async () => {
    expect(await store.upsert({ conversationId: '19:c1', reference: reference('19:c1') })).toBe(false);
    expect(await store.upsert({ conversationId: '19:c1', tenantId: 't1', reference: reference('19:c1') })).toBe(true);
    await store.delete('19:c1');
    expect(await store.upsert({ conversationId: '19:c1', reference: reference('19:c1') })).toBe(false);
    expect(await store.get('19:c1')).toMatchObject({ conversationId: '19:c1', reference: reference('19:c1') });
  });

  it('two instances storing the same new conversation at once leave one row, of one of them', async () => {
    const other = (await fixture.open()).conversationRefs;
    const moved = { ...reference('19:c1'), serviceUrl: 'https://smba.trafficmanager.net/amer/' };
    await Promise.all([
      store.upsert({ conversationId: '19:c1', reference: reference('19:c1') }),
      other.upsert({ conversationId: '19:c1', reference: moved }),
    ]);
    const rows = await store.list();
    expect(rows).toHaveLength(1);
    expect([reference('19:c1'), moved]).toContainEqual(rows[0]?.reference);
  });

  it('lists every reference by conversation id and deletes one', async () => {
    await store.upsert({ conversationId: '19:b', reference: reference('19:b') });
    await store.upsert({ conversationId: '19:a', reference: reference('19:a') });
    expect((await store.list()).map((r) => r.conversationId)).toEqual(['19:a', '19:b']);
    await store.delete('19:a');
    await store.delete('19:missing');
    expect((await store.list()).map((r) => r.conversationId)).toEqual(['19:b']);
  });
});
