import { AzureError } from '../../src/kernel';
import { OperationRunner, type OperationRunnerOptions } from '../../src/core/operationRunner';
import { stepsOf } from '../../src/operations/kinds';
import { BUILT_IN_ROLES, DEMO_IDS, DEMO_NAMES, DEMO_SERVICE_PRINCIPALS } from '../../src/emulator';
import type { LabHost, LabHostGateway } from '../../src/ports/labHostGateway';
import type { Logger } from '../../src/ports/logger';
import type { NewOperation, OperationRecord, OperationUpdate } from '../../src/ports/operations';
import { ETagConflictError, type AuditEntry, type AuditLog } from '../../src/ports/stores';
import { startDemoAzure, type DemoAzure } from '../support/azureHarness';
import { MemoryOperationStore } from '../support/memoryOperationStore';
import { instantSleeps } from '../support/manualTime';

const RG = DEMO_NAMES.resourceGroup;
const SUB = DEMO_IDS.subscriptionId;
const PLAN_SP = DEMO_SERVICE_PRINCIPALS.labPlan.objectId;
const OWNER = BUILT_IN_ROLES.owner.guid;
const SHARED = DEMO_IDS.sharedImagesGalleryId;
const PLAN = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.LabServices/labPlans/biology-plan`;

class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  async append(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
  }
  async recent(limit: number): Promise<AuditEntry[]> {
    return this.entries.slice(-limit).reverse();
  }
  async namesOf(): Promise<ReadonlyMap<string, string>> {
    return new Map();
  }
}

function memoryLogger(lines: { level: string; msg?: string; [key: string]: unknown }[] = []): Logger & { lines: typeof lines } {
  const make = (bindings: Record<string, unknown>): Logger & { lines: typeof lines } => {
    const write = (level: string) => (obj: object | string, msg?: string) => {
      lines.push({ level, ...bindings, ...(typeof obj === 'string' ? { msg: obj } : { ...obj, msg }) });
    };
    return { lines, trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: (more) => make({ ...bindings, ...more }) };
  };
  return make({});
}

/** Delegates to the real adapter, but answers the first `times` attaches with a throttling error. */
class ThrottlingLabHosts implements LabHostGateway {
  attachCalls = 0;
  constructor(
    private readonly inner: LabHostGateway,
    private readonly times: number,
    private readonly retryAfterSeconds: number | undefined,
  ) {}
  getHost = (id: string) => this.inner.getHost(id);
  listHosts = () => this.inner.listHosts();
  detachGallery = (id: string) => this.inner.detachGallery(id);
  listImages = (id: string) => this.inner.listImages(id);
  setImageEnabled: LabHostGateway['setImageEnabled'] = (id, image, enabled) => this.inner.setImageEnabled(id, image, enabled);
  createLab: LabHostGateway['createLab'] = (id, params) => this.inner.createLab(id, params);
  listLabs = (id: string) => this.inner.listLabs(id);
  saveImage: LabHostGateway['saveImage'] = (id, params) => this.inner.saveImage(id, params);
  async attachGallery(hostId: string, galleryId: string): Promise<LabHost> {
    this.attachCalls += 1;
    if (this.attachCalls <= this.times) {
      throw new AzureError('throttled', { status: 429, armCode: 'TooManyRequests', ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}) });
    }
    return this.inner.attachGallery(hostId, galleryId);
  }
}

interface Rig {
  azure: DemoAzure;
  store: MemoryOperationStore;
  audit: MemoryAuditLog;
  log: ReturnType<typeof memoryLogger>;
  reports: OperationRecord[];
  sleeps: number[];
  runner(overrides?: Partial<OperationRunnerOptions>): OperationRunner;
  calls(operation: string): number;
}

let rig: Rig;

beforeEach(async () => {
  const azure = await startDemoAzure();
  azure.emulator.state.addLabPlan({ resourceGroup: RG, name: 'biology-plan', location: 'westus2' });
  const store = new MemoryOperationStore(azure.clock);
  const audit = new MemoryAuditLog();
  const log = memoryLogger();
  const reports: OperationRecord[] = [];
  const sleeps: number[] = [];
  const { labHosts, galleries, roles, servicePrincipals } = azure.setup.gateways;
  rig = {
    azure,
    store,
    audit,
    log,
    reports,
    sleeps,
    runner: (overrides = {}) =>
      new OperationRunner({
        operations: store,
        gateways: { labHosts, galleries, roles, servicePrincipals },
        audit,
        clock: instantSleeps(azure.clock, sleeps),
        logger: log,
        report: async (op) => {
          reports.push(op);
        },
        ...overrides,
      }),
    calls: (operation) => azure.emulator.requestLog.filter((e) => e.operation === operation).length,
  };
});

afterEach(() => rig.azure.setup.close());

const state = () => rig.azure.emulator.state;
let nextId = 0;

async function journal(overrides: Partial<NewOperation> = {}, update?: OperationUpdate): Promise<OperationRecord> {
  const created = await rig.store.create({
    id: `op-${++nextId}`,
    kind: 'attach',
    hostId: PLAN,
    target: SHARED,
    requestedBy: 'user-admin',
    conversationId: 'conv-1',
    locale: 'en-US',
    correlationId: `corr-${nextId}`,
    params: {},
    ...overrides,
  } as NewOperation);
  return update ? rig.store.update(created.id, created.eTag, update) : created;
}

function grantOwnerInEmulator(): string {
  return state().addRoleAssignment({ scope: SHARED, roleDefinitionGuid: OWNER, principalId: PLAN_SP, principalType: 'ServicePrincipal' });
}

describe('stepsOf', () => {
  const account = DEMO_IDS.labAccountId;
  it.each([
    ['attach', 'a lab plan', PLAN, {}, ['grantOwner', 'attach', 'verify']],
    ['attach', 'a lab account', account, {}, ['attach', 'verify']],
    ['createAndAttach', 'a lab plan', PLAN, {}, ['createGallery', 'grantOwner', 'attach', 'verify']],
    ['createAndAttach', 'a lab account', account, {}, ['createGallery', 'attach', 'verify']],
    ['detach', 'a lab plan', PLAN, { removeRole: true }, ['detach', 'revokeOwner', 'verify']],
    ['detach', 'a lab plan', PLAN, {}, ['detach', 'verify']],
    ['detach', 'a lab account', account, { removeRole: true }, ['detach', 'verify']],
  ] as const)('%s on %s with %p', (kind, _label, hostId, params, steps) => {
    expect(stepsOf({ kind, hostId, params })).toEqual(steps);
  });
});

describe('OperationRunner: resuming', () => {
  it('continues after a recorded grantOwner at attach, without granting again', async () => {
    const assignmentId = grantOwnerInEmulator();
    const op = await journal({}, { step: 'grantOwner', progress: { ownerAssignmentId: assignmentId, ownerGranted: true } });
    rig.azure.emulator.clearRequestLog();
    const before = rig.store.updates.length;
    const done = await rig.runner().run(op.id);
    expect(done).toMatchObject({ status: 'succeeded', step: 'verify', progress: { ownerAssignmentId: assignmentId, attachedNow: true, imageCount: 9 } });
    expect(rig.calls('roleAssignments.create')).toBe(0);
    expect(rig.calls('roleAssignments.listForScope')).toBe(0);
    expect(rig.store.updates.slice(before).map((u) => u.update.step).filter(Boolean)).toEqual(['attach', 'verify']);
    expect(state().labPlans.get(PLAN)?.sharedGalleryId).toBe(SHARED);
  });

  it('a crash between "Azure attached" and "step recorded" does not attach twice', async () => {
    const op = await journal();
    rig.store.beforeUpdate = (_id, update) => {
      if (update.step === 'attach') throw new Error('the process died here');
    };
    await expect(rig.runner().run(op.id)).rejects.toThrow('the process died here');
    expect(state().labPlans.get(PLAN)?.sharedGalleryId).toBe(SHARED);
    await expect(rig.store.get(op.id)).resolves.toMatchObject({ status: 'running', step: 'grantOwner' });
    expect(rig.reports).toHaveLength(0);

    rig.store.beforeUpdate = undefined;
    rig.azure.emulator.clearRequestLog();
    const done = await rig.runner().run(op.id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2, progress: { attachedNow: false } });
    expect(rig.calls('labPlans.update')).toBe(0);
    expect(rig.reports).toHaveLength(1);
    expect(rig.audit.entries).toHaveLength(1);
  });

  it('reports a finished, unreported operation once, and never again', async () => {
    const op = await journal({}, { status: 'succeeded', step: 'verify', progress: { imageCount: 3, finishedAt: 0 } });
    rig.azure.emulator.clearRequestLog();
    const runner = rig.runner();
    const reported = await runner.run(op.id);
    expect(reported?.reportedAt).toBe(rig.azure.clock.now());
    expect(rig.reports.map((r) => r.id)).toEqual([op.id]);
    expect(rig.azure.emulator.requestLog).toHaveLength(0);
    await runner.run(op.id);
    expect(await runner.resumeAll()).toEqual([]);
    await runner.drain(1000);
    expect(rig.reports).toHaveLength(1);
    expect(rig.audit.entries).toHaveLength(1);
  });

  it('a report that throws leaves the operation unreported (audited once), and the next start reports it', async () => {
    const op = await journal();
    const failing = rig.runner({ report: () => Promise.reject(new Error('Teams is down')) });
    const first = await failing.run(op.id);
    expect(first).toMatchObject({ status: 'succeeded' });
    expect(first?.reportedAt).toBeUndefined();
    expect(typeof first?.progress.auditedAt).toBe('number');
    expect(rig.log.lines).toContainEqual(expect.objectContaining({ level: 'error', operationId: op.id }));
    expect((await rig.store.listUnfinished()).map((o) => o.id)).toEqual([op.id]);

    const runner = rig.runner();
    expect(await runner.resumeAll()).toEqual([op.id]);
    expect(await runner.drain(1000)).toBe(true);
    expect(rig.reports.map((r) => r.id)).toEqual([op.id]);
    expect((await rig.store.get(op.id))?.reportedAt).toBeDefined();
    expect(rig.audit.entries).toHaveLength(1);
  });

  it('resumeAll runs the running ones from their step and reports the finished ones', async () => {
    grantOwnerInEmulator();
    const running = await journal({}, { step: 'grantOwner' });
    const finished = await journal({ hostId: DEMO_IDS.labAccountId }, { status: 'failed', error: { key: 'azure.conflict', params: { target: 'x' }, code: 'Conflict' } });
    await journal({ hostId: DEMO_IDS.labPlanId, kind: 'detach', target: DEMO_IDS.physicsGalleryId }, { status: 'succeeded', reportedAt: 1 });
    const runner = rig.runner();
    expect(await runner.resumeAll()).toEqual([running.id, finished.id]);
    expect(await runner.drain(5000)).toBe(true);
    expect(rig.reports.map((r) => [r.id, r.status]).sort()).toEqual([
      [running.id, 'succeeded'],
      [finished.id, 'failed'],
    ]);
    expect(rig.audit.entries.map((e) => [e.command, e.outcome, e.detail])).toEqual(
      expect.arrayContaining([
        ['attach', 'succeeded', 'images=9'],
        ['attach', 'failed', 'Conflict'],
      ]),
    );
    expect(rig.audit.entries).toHaveLength(2);
  });

  it('fails an operation whose recorded step is not one of its steps', async () => {
    const op = await journal({}, { step: 'teleport' });
    await expect(rig.runner().run(op.id)).resolves.toMatchObject({ status: 'failed', error: { key: 'operation.internal' } });
  });

  it('resolves undefined for an unknown operation', async () => {
    await expect(rig.runner().run('op-nope')).resolves.toBeUndefined();
  });
});

describe('OperationRunner: one owner per operation', () => {
  it('of two runners started together, one runs it, the other stands back', async () => {
    const op = await journal();
    const [a, b] = await Promise.all([rig.runner().run(op.id), rig.runner().run(op.id)]);
    expect([a, b].filter((r) => r !== undefined)).toHaveLength(1);
    expect(rig.reports).toHaveLength(1);
    expect(rig.audit.entries).toHaveLength(1);
    expect(state().roles.at(SHARED).filter((x) => x.principalId === PLAN_SP)).toHaveLength(1);
  });

  it('of two operations journaled on one host despite the busy check, the younger fails without touching Azure', async () => {
    const older = await journal();
    const younger = await journal({ target: DEMO_IDS.physicsGalleryId });
    rig.azure.emulator.clearRequestLog();
    await expect(rig.runner().run(younger.id)).resolves.toMatchObject({ status: 'failed', error: { key: 'operation.busy', params: { operationId: older.id } } });
    expect(rig.azure.emulator.requestLog).toHaveLength(0);
    await expect(rig.runner().run(older.id)).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('stops at the first conditional write it loses', async () => {
    const op = await journal();
    rig.store.beforeUpdate = (_id, update) => {
      if (update.step === 'grantOwner') throw new ETagConflictError(op.id);
    };
    await expect(rig.runner().run(op.id)).resolves.toBeUndefined();
    expect(rig.calls('labPlans.update')).toBe(0);
    expect(rig.reports).toHaveLength(0);
    expect(rig.audit.entries).toHaveLength(0);
  });
});

describe('OperationRunner: throttling', () => {
  function throttled(times: number, retryAfterSeconds: number | undefined) {
    const labHosts = new ThrottlingLabHosts(rig.azure.setup.gateways.labHosts, times, retryAfterSeconds);
    const { galleries, roles, servicePrincipals } = rig.azure.setup.gateways;
    return { labHosts, runner: rig.runner({ gateways: { labHosts, galleries, roles, servicePrincipals } }) };
  }

  it('retries the step after the Retry-After Azure gave', async () => {
    const { labHosts, runner } = throttled(1, 7);
    const done = await runner.run((await journal()).id);
    expect(done).toMatchObject({ status: 'succeeded' });
    expect(rig.sleeps).toEqual([7000]);
    expect(labHosts.attachCalls).toBe(2);
  });

  it('backs off exponentially when Azure gives no Retry-After', async () => {
    const { runner } = throttled(2, undefined);
    await expect(runner.run((await journal()).id)).resolves.toMatchObject({ status: 'succeeded' });
    expect(rig.sleeps).toEqual([5000, 10000]);
  });

  it('fails after a bounded number of retries, saying Azure throttled', async () => {
    const { labHosts, runner } = throttled(100, 1);
    const done = await runner.run((await journal()).id);
    expect(done).toMatchObject({ status: 'failed', step: 'grantOwner', error: { key: 'azure.throttled', code: 'TooManyRequests' } });
    expect(labHosts.attachCalls).toBe(4);
    expect(rig.sleeps).toEqual([1000, 1000, 1000]);
  });

  it('fails at once when Azure asks for a longer wait than the runner may hold the operation', async () => {
    const { runner } = throttled(1, 3600);
    await expect(runner.run((await journal()).id)).resolves.toMatchObject({ status: 'failed', error: { key: 'azure.throttled' } });
    expect(rig.sleeps).toEqual([]);
  });
});

describe('OperationRunner: background runs', () => {
  it('launch runs in the background and drain waits for it', async () => {
    const op = await journal();
    const runner = rig.runner();
    runner.launch(op.id);
    runner.launch(op.id);
    expect(runner.isRunning(op.id)).toBe(true);
    await expect(runner.drain(5000)).resolves.toBe(true);
    expect(rig.reports.map((r) => r.id)).toEqual([op.id]);
    expect(runner.isRunning(op.id)).toBe(false);
  });

  it('logs a failed run instead of leaving an unhandled rejection', async () => {
    const op = await journal();
    rig.store.beforeUpdate = () => {
      throw new Error('database is locked');
    };
    const runner = rig.runner();
    runner.launch(op.id);
    await expect(runner.drain(5000)).resolves.toBe(true);
    expect(rig.log.lines).toContainEqual(expect.objectContaining({ level: 'error', operationId: op.id, msg: expect.stringContaining('resumes on the next start') }));
  });

  it('drain gives up at the timeout, and launches nothing more once draining', async () => {
    let release: () => void = () => undefined;
    let reporting: () => void = () => undefined;
    const reported = new Promise<void>((resolve) => (reporting = resolve));
    const runner = rig.runner({
      report: () =>
        new Promise<void>((resolve) => {
          release = resolve;
          reporting();
        }),
    });
    const op = await journal();
    runner.launch(op.id);
    // Held in its report, the run cannot end by itself: only the timeout, on the runner's clock, ends the drain.
    await reported;
    const draining = runner.drain(20);
    rig.azure.clock.advance(20);
    await expect(draining).resolves.toBe(false);
    const later = await journal({ hostId: DEMO_IDS.labAccountId });
    runner.launch(later.id);
    expect(runner.isRunning(later.id)).toBe(false);
    release();
    await expect(runner.drain(5000)).resolves.toBe(true);
    await expect(rig.store.get(later.id)).resolves.toMatchObject({ status: 'running', step: '' });
  });
});

describe('OperationRunner: audit', () => {
  it('writes one entry per operation with who, what, outcome, duration and correlation id', async () => {
    const op = await journal();
    rig.azure.clock.advance(90_000);
    await rig.runner().run(op.id);
    await rig.runner().run(op.id);
    expect(rig.audit.entries).toEqual([
      {
        time: rig.azure.clock.now(),
        userId: 'user-admin',
        conversationId: 'conv-1',
        command: 'attach',
        target: SHARED,
        outcome: 'succeeded',
        correlationId: op.correlationId,
        durationMs: 90_000,
        detail: 'images=9',
      },
    ]);
  });

  it('a failure is audited with the ARM code and correlation id, never a message', async () => {
    rig.azure.emulator.faults.add({ method: 'PUT', path: /roleAssignments\//i, status: 403, code: 'AuthorizationFailed' });
    const op = await journal();
    await expect(rig.runner().run(op.id)).resolves.toMatchObject({ status: 'failed', step: '', error: { key: 'azure.notAuthorized', code: 'AuthorizationFailed' } });
    expect(rig.audit.entries).toHaveLength(1);
    expect(rig.audit.entries[0]).toMatchObject({ outcome: 'failed' });
    expect(rig.audit.entries[0]?.detail).toMatch(/^AuthorizationFailed arm-correlation=[\w-]+$/);
  });
});
