import type { NewOperation, OperationRecord, OperationStore } from '../../src/ports/operations';
import { ETagConflictError } from '../../src/ports/stores';
import {
  SqliteBindingStore,
  SqliteConfirmationStore,
  SqliteOperationStore,
  sqliteMigrations,
} from '../../src/storage/sqlite';
import { BACKENDS, expectConflict, useBackendFixture } from './backendFixture';
import { useSqliteFixture } from './sqliteFixture';

const physics = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/physics';
const chemistry = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/chemistry';
const gallery = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/labImages';

function newOperation(id: string, hostId = physics): NewOperation {
  return {
    id,
    kind: 'attach',
    hostId,
    target: gallery,
    requestedBy: 'aad-admin',
    conversationId: '19:c1',
    locale: 'fr-FR',
    correlationId: `corr-${id}`,
    params: { galleryId: gallery, grantRole: true, regions: ['westeurope', 'northeurope'], nested: { n: 1 } } as Record<string, unknown>,
  };
}


describe.each(BACKENDS)('%s', (backend) => {
  const fixture = useBackendFixture(backend);

  describe('operation store', () => {
    let store: OperationStore;
    beforeEach(async () => {
      store = (await fixture.open()).operations();
    });

    it('returns undefined for an unknown id', async () => {
      expect(await store.get('op-none')).toBeUndefined();
    });

    it('creates a running operation at the clock time and reads it back, JSON fields included', async () => {
      fixture.clock.set(Date.UTC(2026, 1, 2, 9, 30));
      const created = await store.create(newOperation('op-1'));
      expect(created).toEqual({
        ...newOperation('op-1'),
        status: 'running',
        step: '',
        progress: {},
        attempts: 0,
        createdAt: Date.UTC(2026, 1, 2, 9, 30),
        updatedAt: Date.UTC(2026, 1, 2, 9, 30),
        eTag: expect.any(String),
      });
      expect(created).not.toHaveProperty('error');
      expect(created).not.toHaveProperty('reportedAt');
      expect(await store.get('op-1')).toEqual(created);
    });

    it('refuses to create an id that exists and leaves the stored operation alone', async () => {
      const existing = await store.create(newOperation('op-1'));
      fixture.clock.advance(1000);
      await expectConflict(store.create({ ...newOperation('op-1', chemistry), kind: 'detach' } as NewOperation), 'op-1');
      expect(await store.get('op-1')).toEqual(existing);
    });

    it('updates only the patched fields, with a fresh eTag and updatedAt from the clock', async () => {
      const created = await store.create(newOperation('op-1'));
      fixture.clock.advance(5000);
      const stepped = await store.update('op-1', created.eTag, {
        step: 'roleAssigned',
        progress: { roleAssignmentId: 'ra-1', principals: ['p1'] } as Record<string, unknown>,
        attempts: 1,
      });
      expect(stepped).toEqual({
        ...created,
        step: 'roleAssigned',
        progress: { roleAssignmentId: 'ra-1', principals: ['p1'] },
        attempts: 1,
        updatedAt: created.createdAt + 5000,
        eTag: expect.any(String),
      });
      expect(stepped.eTag).not.toBe(created.eTag);
      expect(await store.get('op-1')).toEqual(stepped);

      fixture.clock.advance(5000);
      const failed = await store.update('op-1', stepped.eTag, {
        status: 'failed',
        error: { key: 'error.attachFailed', params: { gallery: 'labImages', attempt: 2 }, code: 'AuthorizationFailed' },
      });
      expect(failed).toEqual({
        ...stepped,
        status: 'failed',
        error: { key: 'error.attachFailed', params: { gallery: 'labImages', attempt: 2 }, code: 'AuthorizationFailed' },
        updatedAt: created.createdAt + 10_000,
        eTag: expect.any(String),
      });
      expect(await store.get('op-1')).toEqual(failed);

      const reported = await store.update('op-1', failed.eTag, { reportedAt: created.createdAt + 11_000 });
      expect(reported).toEqual({ ...failed, reportedAt: created.createdAt + 11_000, eTag: expect.any(String) });
      expect(await store.get('op-1')).toEqual(reported);
    });

    it('bumps the eTag even for an empty patch', async () => {
      const created = await store.create(newOperation('op-1'));
      const touched = await store.update('op-1', created.eTag, {});
      expect(touched).toEqual({ ...created, eTag: expect.any(String) });
      expect(touched.eTag).not.toBe(created.eTag);
    });

    it('clears error and reportedAt when the patch names them with undefined', async () => {
      const created = await store.create(newOperation('op-1'));
      const failed = await store.update('op-1', created.eTag, {
        status: 'failed',
        error: { key: 'error.timeout', params: {} },
        reportedAt: 7,
      });
      const retried = await store.update('op-1', failed.eTag, {
        status: 'running',
        error: undefined,
        reportedAt: undefined,
      });
      expect(retried).not.toHaveProperty('error');
      expect(retried).not.toHaveProperty('reportedAt');
      expect(await store.get('op-1')).toEqual(retried);
    });

    it('refuses an update with a stale eTag and changes nothing', async () => {
      const created = await store.create(newOperation('op-1'));
      const current = await store.update('op-1', created.eTag, { step: 'galleryCreated' });
      fixture.clock.advance(1000);
      await expectConflict(
        store.update('op-1', created.eTag, { status: 'succeeded', step: 'done', attempts: 9, reportedAt: 1 }),
        'op-1',
      );
      expect(await store.get('op-1')).toEqual(current);
    });

    it('refuses an update of an unknown id', async () => {
      await expectConflict(store.update('op-none', 'any-etag', { status: 'succeeded' }), 'op-none');
      expect(await store.get('op-none')).toBeUndefined();
    });

    it('lists running and unreported operations oldest first, leaving out reported finished ones', async () => {
      async function createAt(id: string, time: number): Promise<OperationRecord> {
        fixture.clock.set(time);
        return store.create(newOperation(id));
      }
      // Created out of time order, so the order asserted is createdAt's and not the insertion order.
      const runningLate = await createAt('op-running-late', 5000);
      const succeededUnreported = await createAt('op-succeeded-unreported', 2000);
      const failedReported = await createAt('op-failed-reported', 1000);
      const runningEarly = await createAt('op-running-early', 3000);
      const succeededReported = await createAt('op-succeeded-reported', 4000);
      const failedUnreported = await createAt('op-failed-unreported', 6000);

      fixture.clock.set(10_000);
      const finished = await Promise.all([
        store.update(succeededUnreported.id, succeededUnreported.eTag, { status: 'succeeded', step: 'done' }),
        store.update(failedReported.id, failedReported.eTag, {
          status: 'failed',
          error: { key: 'e', params: {} },
          reportedAt: 10_000,
        }),
        store.update(succeededReported.id, succeededReported.eTag, { status: 'succeeded', reportedAt: 10_000 }),
        store.update(failedUnreported.id, failedUnreported.eTag, { status: 'failed', error: { key: 'e', params: {} } }),
      ]);

      expect((await store.listUnfinished()).map((op) => op.id)).toEqual([
        'op-succeeded-unreported',
        'op-running-early',
        'op-running-late',
        'op-failed-unreported',
      ]);
      expect(await store.listUnfinished()).toEqual([finished[0], runningEarly, runningLate, finished[3]]);
    });

    it('breaks createdAt ties in creation order', async () => {
      for (const id of ['op-b', 'op-c', 'op-a']) await store.create(newOperation(id));
      expect((await store.listUnfinished()).map((op) => op.id)).toEqual(['op-b', 'op-c', 'op-a']);
    });

    it('lists nothing when every operation is finished and reported', async () => {
      const created = await store.create(newOperation('op-1'));
      await store.update('op-1', created.eTag, { status: 'succeeded', reportedAt: 1 });
      expect(await store.listUnfinished()).toEqual([]);
    });

    it('keeps the requester’s display name (v009) through updates; one journaled without a name reads without one', async () => {
      const created = await store.create({ ...newOperation('op-named'), requestedByName: '  Alex Wilber ' });
      expect(created.requestedByName).toBe('Alex Wilber');
      const done = await store.update('op-named', created.eTag, { status: 'succeeded' });
      expect(done.requestedByName).toBe('Alex Wilber');
      expect(await store.get('op-named')).toEqual(done);
      expect(await store.create({ ...newOperation('op-blank'), requestedByName: '   ' })).not.toHaveProperty('requestedByName');
      // As a build before v009 wrote it: no name column named at all.
      await fixture.sql(
        `INSERT INTO operations (id, kind, host_id, target, requested_by, conversation_id, locale, correlation_id, status, step, params, progress, error, attempts, created_at, updated_at, reported_at, etag)
         VALUES ('op-old', 'attach', '${physics}', '${gallery}', 'aad-admin', '19:c1', 'en-US', 'corr-old', 'running', '', '{}', '{}', NULL, 0, 1, 1, NULL, 'etag-old')`,
      );
      const old = await store.get('op-old');
      expect(old).toMatchObject({ id: 'op-old', requestedBy: 'aad-admin', status: 'running' });
      expect(old).not.toHaveProperty('requestedByName');
      expect((await store.listUnfinished()).map((op) => op.id)).toEqual(['op-old', 'op-named', 'op-blank']);
    });

    describe('runningOnHost', () => {
      it('finds the running operation, matching the ARM id case-insensitively', async () => {
        const running = await store.create(newOperation('op-1'));
        await store.create(newOperation('op-other-host', chemistry));
        expect(await store.runningOnHost(physics)).toEqual(running);
        expect(await store.runningOnHost(physics.toLowerCase())).toEqual(running);
        expect(await store.runningOnHost(physics.toUpperCase())).toEqual(running);
        expect(await store.runningOnHost('/subscriptions/s1/other')).toBeUndefined();
      });

      it('ignores finished operations, reported or not', async () => {
        const succeeded = await store.create(newOperation('op-succeeded'));
        await store.update(succeeded.id, succeeded.eTag, { status: 'succeeded' });
        const failed = await store.create(newOperation('op-failed'));
        await store.update(failed.id, failed.eTag, { status: 'failed', reportedAt: 1 });
        expect(await store.runningOnHost(physics)).toBeUndefined();

        const next = await store.create(newOperation('op-next'));
        expect(await store.runningOnHost(physics)).toEqual(next);
      });
    });
  });

  describe('two operation stores on one database racing to update one operation with the same eTag', () => {
    it('let exactly one win', async () => {
      const a = (await fixture.open()).operations();
      const b = (await fixture.open()).operations();
      const created = await a.create(newOperation('op-1'));
      expect((await b.get('op-1'))?.eTag).toBe(created.eTag);

      const results = await Promise.allSettled([
        a.update('op-1', created.eTag, { step: 'byA' }),
        b.update('op-1', created.eTag, { step: 'byB' }),
      ]);

      const won = results.filter((r): r is PromiseFulfilledResult<OperationRecord> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toBeInstanceOf(ETagConflictError);
      expect(await a.get('op-1')).toEqual(won[0]?.value);
      expect(await b.get('op-1')).toEqual(won[0]?.value);
    });

    it('let exactly one create of the same id win', async () => {
      const a = (await fixture.open()).operations();
      const b = (await fixture.open()).operations();
      const results = await Promise.allSettled([
        a.create(newOperation('op-1', physics)),
        b.create(newOperation('op-1', chemistry)),
      ]);
      const won = results.filter((r): r is PromiseFulfilledResult<OperationRecord> => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(ETagConflictError);
      expect(await b.get('op-1')).toEqual(won[0]?.value);
    });
  });

  describe('a restart of the bot', () => {
    it('keeps the operation journal, eTags included', async () => {
      const before = await fixture.open();
      const written = before.operations();
      const created = await written.create(newOperation('op-1'));
      const stepped = await written.update('op-1', created.eTag, { step: 'roleAssigned', progress: { ra: 'ra-1' } as Record<string, unknown> });
      await before.close();

      const after = await fixture.open();
      expect(after.migrationsApplied).toEqual([]);
      const read = after.operations();
      expect(await read.get('op-1')).toEqual(stepped);
      expect(await read.listUnfinished()).toEqual([stepped]);
      expect(await read.runningOnHost(physics)).toEqual(stepped);
      await expect(read.update('op-1', stepped.eTag, { status: 'succeeded' })).resolves.toMatchObject({
        status: 'succeeded',
        progress: { ra: 'ra-1' },
      });
    });
  });
});

describe('migrations on a SQLite database created by a v1 build', () => {
  const fixture = useSqliteFixture();


  it('adds operations and confirmations (v2) and later tables, and keeps the v1 data', async () => {
    const v1Only = sqliteMigrations.filter((m) => m.version === 1);
    expect(v1Only).toHaveLength(1);
    fixture.clock.set(Date.UTC(2026, 0, 10));
    const old = fixture.open({ migrations: v1Only });
    // Written as a v1 build wrote it: today's store names columns later steps added.
    const bound = { conversationId: '19:c1', hostId: physics, boundBy: 'aad-admin', boundAt: 42, eTag: 'etag-v1' };
    old.connection
      .prepare('INSERT INTO host_bindings (conversation_id, host_id, bound_by, bound_at, etag, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(bound.conversationId, bound.hostId, bound.boundBy, bound.boundAt, bound.eTag, 42);
    const tables = (db: typeof old): string[] =>
      db.connection
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((row) => row.name);
    expect(tables(old)).not.toContain('operations');
    old.close();

    fixture.clock.set(Date.UTC(2026, 0, 11));
    const upgraded = fixture.open();
    const later = sqliteMigrations.filter((m) => m.version > 1).map((m) => m.version);
    expect(upgraded.migrationsApplied).toEqual(later);
    expect(
      upgraded.connection.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all(),
    ).toEqual([{ version: 1, applied_at: Date.UTC(2026, 0, 10) }, ...later.map((version) => ({ version, applied_at: Date.UTC(2026, 0, 11) }))]);
    expect(tables(upgraded)).toEqual(expect.arrayContaining(['operations', 'confirmations', 'host_bindings']));
    expect(await new SqliteBindingStore(upgraded).get('19:c1')).toEqual(bound);

    const operation = await new SqliteOperationStore(upgraded).create(newOperation('op-1'));
    expect(await new SqliteOperationStore(upgraded).get('op-1')).toEqual(operation);
    const confirmations = new SqliteConfirmationStore(upgraded);
    await confirmations.create({
      id: 'conf-1',
      conversationId: '19:c1',
      requestedBy: 'aad-admin',
      action: 'detach',
      target: gallery,
      params: {},
      createdAt: 1,
      expiresAt: 2,
    });
    expect(await confirmations.consume('conf-1', 'confirmed', 1)).toBe(true);
  });
});
