import type { StorageBackend } from '../../src/storage';
import { BACKENDS, useBackendFixture } from './backendFixture';

function stores(db: StorageBackend) {
  return { refs: db.conversationRefs, bindings: db.bindings, audit: db.audit };
}

describe.each(BACKENDS)('a restart of the bot on %s', (backend) => {
  const fixture = useBackendFixture(backend);

  it('keeps bindings, conversation references and audit entries', async () => {
    const before = await fixture.open();
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
    await before.close();

    const after = await fixture.open();
    expect(after.migrationsApplied).toEqual([]);
    const read = stores(after);
    expect(await read.refs.get('19:c1')).toEqual(ref);
    expect(await read.bindings.get('19:c1')).toEqual(bound);
    expect(await read.bindings.put({ ...bound, boundAt: 44 }, { ifMatch: bound.eTag })).toMatchObject({ boundAt: 44 });
    expect(await read.audit.recent(10)).toEqual([audited]);
  });
});
