import type { AuditEntry } from '../../src/ports/stores';
import { BACKENDS, useBackendFixture } from './backendFixture';

function entry(overrides: Partial<AuditEntry>): AuditEntry {
  return {
    time: Date.UTC(2026, 0, 1),
    userId: 'aad-admin',
    conversationId: '19:c1',
    command: 'attach',
    target: 'physics-gallery',
    outcome: 'succeeded',
    correlationId: 'corr-1',
    ...overrides,
  };
}

describe.each(BACKENDS)('%s audit log', (backend) => {
  const fixture = useBackendFixture(backend);

  it('returns entries newest first, same-time entries last-appended first', async () => {
    const log = (await fixture.open()).audit;
    await log.append(entry({ time: 2000, correlationId: 'second' }));
    await log.append(entry({ time: 1000, correlationId: 'first' }));
    await log.append(entry({ time: 3000, correlationId: 'tie-1' }));
    await log.append(entry({ time: 3000, correlationId: 'tie-2' }));
    expect((await log.recent(10)).map((e) => e.correlationId)).toEqual(['tie-2', 'tie-1', 'second', 'first']);
  });

  it('limits and filters by conversation', async () => {
    const log = (await fixture.open()).audit;
    for (let i = 1; i <= 5; i++) {
      await log.append(entry({ time: i, conversationId: i % 2 ? '19:odd' : '19:even', correlationId: `c${i}` }));
    }
    expect((await log.recent(2)).map((e) => e.correlationId)).toEqual(['c5', 'c4']);
    expect((await log.recent(10, { conversationId: '19:odd' })).map((e) => e.correlationId)).toEqual(['c5', 'c3', 'c1']);
    expect((await log.recent(1, { conversationId: '19:even' })).map((e) => e.correlationId)).toEqual(['c4']);
    expect(await log.recent(10, { conversationId: '19:none' })).toEqual([]);
  });

  it('returns nothing for a limit below one', async () => {
    const log = (await fixture.open()).audit;
    await log.append(entry({}));
    expect(await log.recent(0)).toEqual([]);
    expect(await log.recent(-1)).toEqual([]);
    expect(await log.recent(Number.NaN)).toEqual([]);
  });

  it('round-trips optional fields and omits absent ones', async () => {
    const log = (await fixture.open()).audit;
    const full = entry({ time: 2, outcome: 'failed', durationMs: 1234.5, detail: 'AuthorizationFailed' });
    const bare = entry({ time: 1, outcome: 'refused' });
    await log.append(full);
    await log.append(bare);
    expect(await log.recent(10)).toEqual([full, bare]);
  });

  it('keeps the actor name (v007) and finds each person latest recorded name', async () => {
    const log = (await fixture.open()).audit;
    await log.append(entry({ time: 1, userId: 'aad-a', userName: 'Alex Wilbur' }));
    await log.append(entry({ time: 2, userId: 'aad-a', userName: 'Alex Wilber' }));
    await log.append(entry({ time: 3, userId: 'aad-a' }));
    await log.append(entry({ time: 4, userId: 'aad-b' }));
    expect((await log.recent(10)).map((e) => e.userName)).toEqual([undefined, undefined, 'Alex Wilber', 'Alex Wilbur']);
    expect(await log.namesOf(['aad-a', 'aad-b', 'aad-a', 'aad-none'])).toEqual(new Map([['aad-a', 'Alex Wilber']]));
    expect(await log.namesOf([])).toEqual(new Map());
  });

  it('stays append-only for the actor name too', async () => {
    const log = (await fixture.open()).audit;
    await log.append(entry({ userName: 'Alex Wilber' }));
    await expect(fixture.sql("UPDATE audit_log SET user_name = 'Someone Else'")).rejects.toThrow(/append-only/);
    expect((await log.recent(1))[0]?.userName).toBe('Alex Wilber');
  });

  it('refuses updates and deletes even through raw SQL', async () => {
    const log = (await fixture.open()).audit;
    await log.append(entry({}));
    await expect(fixture.sql("UPDATE audit_log SET outcome = 'succeeded'")).rejects.toThrow(/append-only/);
    await expect(fixture.sql('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    if (backend === 'postgres') await expect(fixture.sql('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect(await log.recent(10)).toHaveLength(1);
  });
});
