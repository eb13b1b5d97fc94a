import { OperationRunner } from '../../src/core/operationRunner';
import type { StepGateways } from '../../src/operations/operationKind';
import type { OperationRecord } from '../../src/ports/operations';
import { memoryLogger } from '../support/memoryLogger';
import { BACKENDS, useBackendFixture, type BackendFixture } from './backendFixture';

const plan = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/physics';
const gallery = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/galleries/labImages';

/** A SQL string literal, the same in both dialects. */
const text = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** A row as another build might have written it, straight into the table. */
async function insertRow(
  fixture: BackendFixture,
  row: { id: string; kind: string; params: string; progress?: string; status?: string; createdAt: number },
): Promise<void> {
  await fixture.sql(
    `INSERT INTO operations (id, kind, host_id, target, requested_by, conversation_id, locale, correlation_id, status, step, params,
       progress, error, attempts, created_at, updated_at, reported_at, etag)
     VALUES (${text(row.id)}, ${text(row.kind)}, ${text(plan)}, ${text(gallery)}, 'aad-admin', '19:c1', 'en-US', ${text(`corr-${row.id}`)},
       ${text(row.status ?? 'succeeded')}, '', ${text(row.params)}, ${text(row.progress ?? '{}')}, NULL, 0,
       ${row.createdAt}, ${row.createdAt}, NULL, '"e1"')`,
  );
}

describe.each(BACKENDS)('%s operation store: rows that do not fit their kind', (backend) => {
  const fixture = useBackendFixture(backend);
  const bad = [
    { id: 'op-unknown', kind: 'resize', params: '{}', problem: 'unknown kind "resize"' },
    { id: 'op-old-replicate', kind: 'replicate', params: '{"region":"westeurope"}', problem: 'params.regions is missing' },
    { id: 'op-old-create', kind: 'createAndAttach', params: '{"location":42}', problem: 'params.location must be a non-empty string' },
    { id: 'op-bad-progress', kind: 'detach', params: '{}', progress: '{"ownerRevoked":"ra-1"}', problem: 'progress.ownerRevoked must be a list of strings' },
    { id: 'op-not-json', kind: 'attach', params: '{"retryOf":', problem: 'not valid JSON' },
  ];

  async function seed(): Promise<void> {
    for (const [i, row] of bad.entries()) await insertRow(fixture, { ...row, createdAt: i + 1 });
    await insertRow(fixture, { id: 'op-good', kind: 'attach', params: '{}', progress: '{"imageCount":3,"finishedAt":10}', createdAt: 100 });
  }

  it('leaves them out of listUnfinished and get, one error line each naming the id, the kind and what is wrong', async () => {
    const log = memoryLogger();
    await seed();
    const store = (await fixture.open()).operations(log);

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
    await seed();
    const db = await fixture.open();
    const reported: OperationRecord[] = [];
    const runner = new OperationRunner({
      operations: db.operations(log),
      // Only finished operations are resumed here: no step runs, so no gateway is called.
      gateways: {} as StepGateways,
      audit: db.audit,
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
