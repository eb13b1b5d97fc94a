import {
  SqliteAuditLog,
  SqliteBindingStore,
  SqliteConversationRefStore,
  type SqliteDatabase,
} from '../../src/storage/sqlite';
import { useSqliteFixture } from './sqliteFixture';

const fixture = useSqliteFixture();

function stores(db: SqliteDatabase) {
  return {
    refs: new SqliteConversationRefStore(db),
    bindings: new SqliteBindingStore(db),
    audit: new SqliteAuditLog(db),
  };
}

describe('a restart of the bot', () => {
  it('keeps bindings, conversation references and audit entries', async () => {
    const before = fixture.open();
    const written = stores(before);
    await written.refs.upsert({ conversationId: '19:c1', tenantId: 't1', reference: { channelId: 'msteams' } });
    const bound = await written.bindings.put({
      conversationId: '19:c1',
      hostId: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/physics',
      boundBy: 'aad-admin',
      boundAt: 42,
    });
    const audited = {
      time: 43,
      userId: 'aad-admin',
      conversationId: '19:c1',
      command: 'bind',
      target: bound.hostId,
      outcome: 'succeeded' as const,
      correlationId: 'corr-1',
    };
    await written.audit.append(audited);
    const ref = await written.refs.get('19:c1');
    before.close();

    const after = fixture.open();
    expect(after.migrationsApplied).toEqual([]);
    const read = stores(after);
    expect(await read.refs.get('19:c1')).toEqual(ref);
    expect(await read.bindings.get('19:c1')).toEqual(bound);
    expect(await read.bindings.put({ ...bound, boundAt: 44 }, { ifMatch: bound.eTag })).toMatchObject({ boundAt: 44 });
    expect(await read.audit.recent(10)).toEqual([audited]);
  });
});
