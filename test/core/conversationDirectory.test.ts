import { ConversationDirectory, type SeenConversation } from '../../src/core/conversationDirectory';
import { ManualClock } from '../../src/ports/clock';
import type { BindingStore, ConversationRefStore, StoredConversationRef } from '../../src/ports/stores';
import { memoryLogger } from '../support/memoryLogger';

/** Counts writes; keeps rows in memory. */
class CountingRefStore implements ConversationRefStore {
  readonly rows = new Map<string, StoredConversationRef>();
  writes = 0;
  constructor(private readonly clock: ManualClock) {}
  async upsert(ref: Omit<StoredConversationRef, 'updatedAt'>): Promise<boolean> {
    this.writes++;
    const known = this.rows.has(ref.conversationId);
    this.rows.set(ref.conversationId, { ...ref, updatedAt: this.clock.now() });
    return known;
  }
  async get(conversationId: string) {
    return this.rows.get(conversationId);
  }
  async delete(conversationId: string) {
    this.rows.delete(conversationId);
  }
  async list() {
    return [...this.rows.values()];
  }
}

const noBindings: BindingStore = {
  get: async () => undefined,
  put: async () => {
    throw new Error('no default host here');
  },
  delete: async () => false,
  listByHost: async () => [],
  listHostIds: async () => [],
  listByGallery: async () => [],
  listGalleryIds: async () => [],
};

const seen = (serviceUrl = 'https://smba.example/emea/', user = 'u-1'): SeenConversation => ({
  conversationId: 'c-1',
  tenantId: 't-1',
  reference: { serviceUrl, channelId: 'msteams', user: { id: user }, conversation: { id: 'c-1' } },
});

describe('ConversationDirectory.remember', () => {
  let clock: ManualClock;
  let refs: CountingRefStore;
  let directory: ConversationDirectory;
  const log = memoryLogger();
  beforeEach(() => {
    clock = new ManualClock();
    refs = new CountingRefStore(clock);
    directory = new ConversationDirectory(refs, noBindings, clock, () => undefined);
  });

  it('writes an unchanged reference once a minute at most', async () => {
    for (let i = 0; i < 5; i++) await directory.remember(seen(), log);
    expect(refs.writes).toBe(1);
    clock.advance(59_999);
    await directory.remember(seen(), log);
    expect(refs.writes).toBe(1);
    clock.advance(1);
    await directory.remember(seen(), log);
    expect(refs.writes).toBe(2);
  });

  it.each([
    ['a changed service URL', seen('https://smba.example/amer/')],
    ['another sender', seen(undefined, 'u-2')],
    ['another tenant', { ...seen(), tenantId: 't-2' }],
  ])('writes %s at once', async (_what, changed) => {
    await directory.remember(seen(), log);
    await directory.remember(changed, log);
    expect(refs.writes).toBe(2);
    expect(refs.rows.get('c-1')).toMatchObject({ tenantId: changed.tenantId, reference: changed.reference });
  });

  it('writes again after forget, and always when asked', async () => {
    await directory.remember(seen(), log);
    await directory.forget('c-1');
    await directory.remember(seen(), log);
    expect(refs.writes).toBe(2);
    await directory.remember(seen(), log, { always: true });
    expect(refs.writes).toBe(3);
  });
});
