import { Outbox } from '../../src/outbox';
import type { ConversationTransport } from '../../src/ports/conversationTransport';
import { SqliteConversationRefStore, SqliteOutboxStore } from '../../src/storage/sqlite';
import { memoryLogger } from '../support/memoryLogger';
import { useSqliteFixture } from '../storage/sqliteFixture';

const fixture = useSqliteFixture();
const DAY = 24 * 3_600_000;

const unusedTransport: ConversationTransport = {
  send: () => Promise.reject(new Error('not expected')),
  update: () => Promise.reject(new Error('not expected')),
};

describe('Outbox retention', () => {
  it('prunes finished rows older than the retention at start and then periodically, until stopped', async () => {
    const db = fixture.open();
    const store = new SqliteOutboxStore(db);
    const outbox = new Outbox({
      store,
      transport: unusedTransport,
      refs: new SqliteConversationRefStore(db),
      clock: fixture.clock,
      logger: memoryLogger(),
      retentionMs: 7 * DAY,
      pruneEveryMs: DAY,
    });
    // No reference stored: both are recorded as dropped, a finished state.
    await outbox.send('19:a', { kind: 'text', text: 'old' }, { key: 'old' });
    fixture.clock.advance(3 * DAY);
    await outbox.send('19:a', { kind: 'text', text: 'newer' }, { key: 'newer' });
    fixture.clock.advance(5 * DAY);

    await outbox.start();
    expect(await store.get('old')).toBeUndefined();
    expect(await store.get('newer')).toMatchObject({ status: 'dropped' });
    // Forgotten keys can be used again; remembered ones cannot.
    expect(await outbox.send('19:a', { kind: 'text', text: 'x' }, { key: 'newer' })).toBe(false);

    // The prune timer is on the outbox's clock: jump it two days on, then fire what is due at that time.
    fixture.clock.set(fixture.clock.now() + 2 * DAY + 1);
    fixture.clock.advance(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await store.get('newer')).toBeUndefined();

    await outbox.stop();
    expect(fixture.clock.pendingTimers).toBe(0);
  });
});
