import { Outbox, type Timers } from '../../src/outbox';
import type { ConversationTransport } from '../../src/ports/conversationTransport';
import { SqliteConversationRefStore, SqliteOutboxStore } from '../../src/storage/sqlite';
import { memoryLogger } from '../support/botHarness';
import { useSqliteFixture } from '../storage/sqliteFixture';

const fixture = useSqliteFixture();
const DAY = 24 * 3_600_000;

/** Timers that fire only when told to. */
class ManualTimers implements Timers {
  private readonly pending = new Map<number, { callback: () => void; at: number }>();
  private next = 1;
  constructor(private readonly now: () => number) {}
  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.next++;
    this.pending.set(handle, { callback, at: this.now() + ms });
    return handle;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Fires what is due by now. */
  fireDue(): void {
    for (const [handle, timer] of [...this.pending]) {
      if (timer.at > this.now()) continue;
      this.pending.delete(handle);
      timer.callback();
    }
  }
  get size(): number {
    return this.pending.size;
  }
}

const unusedTransport: ConversationTransport = {
  send: () => Promise.reject(new Error('not expected')),
  update: () => Promise.reject(new Error('not expected')),
};

describe('Outbox retention', () => {
  it('prunes finished rows older than the retention at start and then periodically, until stopped', async () => {
    const db = fixture.open();
    const store = new SqliteOutboxStore(db);
    const timers = new ManualTimers(() => fixture.clock.now());
    const outbox = new Outbox({
      store,
      transport: unusedTransport,
      refs: new SqliteConversationRefStore(db),
      clock: fixture.clock,
      logger: memoryLogger(),
      timers,
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

    fixture.clock.advance(2 * DAY + 1);
    timers.fireDue();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await store.get('newer')).toBeUndefined();

    await outbox.stop();
    expect(timers.size).toBe(0);
  });
});
