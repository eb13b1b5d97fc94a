import { OperationRunner } from '../../src/core/operationRunner';
import type { StepGateways } from '../../src/operations/operationKind';
import type { OperationRecord } from '../../src/ports/operations';
import { SqliteAuditLog, SqliteOperationStore, type SqliteDatabase } from '../../src/storage/sqlite';
import { memoryLogger } from '../support/memoryLogger';
import { useSqliteFixture } from './sqliteFixture';

const fixture = useSqliteFixture();

const plan = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/physics';
const gallery = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/galleries/labImages';

/** A row as another build might have written it, straight into the table. */
function insertRow(db: SqliteDatabase, row: { id: string; kind: string; params: string; progress?: string; status?: string; createdAt: number }): void {
  db.connection
    .prepare(
      `INSERT INTO operations (id, kind, host_id, target, requested_by, conversation_id, locale, correlation_id, status, step, params,
         progress, error, attempts, created_at, updated_at, reported_at, etag)
       VALUES (@id, @kind, @hostId, @target, 'aad-admin', '19:c1', 'en-US', @correlationId, @status, '', @params, @progress, NULL, 0,
         @createdAt, @createdAt, NULL, '"e1"')`,
    )
    .run({
      id: row.id,
      kind: row.kind,
      hostId: plan,
      target: gallery,
      correlationId: `corr-${row.id}`,
      status: row.status ?? 'succeeded',
      params: row.params,
      progress: row.progress ?? '{}',
      createdAt: row.createdAt,
    });
}

describe('SqliteOperationStore: rows that do not fit their kind', () => {
  const bad = [
    { id: 'op-unknown', kind: 'resize', params: '{}', problem: 'unknown kind "resize"' },
    { id: 'op-old-replicate', kind: 'replicate', params: '{"region":"westeurope"}', problem: 'params.regions is missing' },
    { id: 'op-old-create', kind: 'createAndAttach', params: '{"location":42}', problem: 'params.location must be a non-empty string' },
    { id: 'op-bad-progress', kind: 'detach', params: '{}', progress: '{"ownerRevoked":"ra-1"}', problem: 'progress.ownerRevoked must be a list of strings' },
    { id: 'op-not-json', kind: 'attach', params: '{"retryOf":', problem: 'not valid JSON' },
  ];

  function seed(db: SqliteDatabase): void {
    bad.forEach((row, i) => insertRow(db, { ...row, createdAt: i + 1 }));
    insertRow(db, { id: 'op-good', kind: 'attach', params: '{}', progress: '{"imageCount":3,"finishedAt":10}', createdAt: 100 });
  }

  it('leaves them out of listUnfinished and get, one error line each naming the id, the kind and what is wrong', async () => {
    const log = memoryLogger();
    const db = fixture.open();
    seed(db);
    const store = new SqliteOperationStore(db, log);

    const unfinished = await store.listUnfinished();
    expect(unfinished.map((op) => op.id)).toEqual(['op-good']);
    expect(log.lines).toHaveLength(bad.length);
    for (const row of bad) {
      const lines = log.lines.filter((l) => l.operationId === row.id);
      expect(lines).toEqual([expect.objectContaining({ level: 'error', kind: row.kind, problem: expect.stringContaining(row.problem) })]);
      expect(lines[0]?.msg).toEqual(expect.stringContaining(row.problem));
    }
    await expect(store.get('op-old-replicate')).resolves.toBeUndefined();
    await expect(store.get('op-good')).resolves.toMatchObject({ kind: 'attach', progress: { imageCount: 3 } });
  });

  it('does not stop the start-up resume of the others', async () => {
    const log = memoryLogger();
    const db = fixture.open();
    seed(db);
    const reported: OperationRecord[] = [];
    const runner = new OperationRunner({
      operations: new SqliteOperationStore(db, log),
      // Only finished operations are resumed here: no step runs, so no gateway is called.
      gateways: {} as StepGateways,
      audit: new SqliteAuditLog(db),
      clock: fixture.clock,
      logger: log,
      report: async (op) => {
        reported.push(op);
      },
    });

    await expect(runner.resumeAll()).resolves.toEqual(['op-good']);
    await expect(runner.drain(5000)).resolves.toBe(true);
    expect(reported.map((op) => op.id)).toEqual(['op-good']);
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.operationId)).toEqual(bad.map((row) => row.id));
  });
});
