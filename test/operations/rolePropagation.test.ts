import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GalleryService } from '../../src/core/galleryService';
import { OperationRunner } from '../../src/core/operationRunner';
import { operationNotice } from '../../src/dialogs/operationReports';
import { DEMO_IDS, DEMO_NAMES, DEMO_SERVICE_PRINCIPALS } from '../../src/emulator';
import { AzureError } from '../../src/kernel';
import { reportText } from '../../src/operations/kinds';
import { createTranslator } from '../../src/i18n/catalog';
import { isRoleNotYetEffective, ROLE_PROPAGATION_WINDOW_MS } from '../../src/operations/gallerySteps';
import type { Clock } from '../../src/ports/clock';
import type { OperationRecord, OperationRecordOf } from '../../src/ports/operations';
import { openSqliteDatabase, SqliteAuditLog, SqliteOperationStore, type SqliteDatabase } from '../../src/storage/sqlite';
import { startDemoAzure, type DemoAzure } from '../support/azureHarness';
import { eventually } from '../support/manualTime';
import { memoryLogger } from '../support/memoryLogger';
import { RecordingNotifier } from '../support/recordingNotifier';

const RG = DEMO_NAMES.resourceGroup;
const PLAN = `/subscriptions/${DEMO_IDS.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.LabServices/labPlans/biology-plan`;
const SHARED = DEMO_IDS.sharedImagesGalleryId;
const requester = { requestedBy: 'user-admin', conversationId: 'conv-1', locale: 'en-US', correlationId: 'corr-1' };

let azure: DemoAzure;
let db: SqliteDatabase;
let dataDir: string;
let notifier: RecordingNotifier;

async function world(rolePropagationMinutes: number): Promise<void> {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'role-propagation-'));
  azure = await startDemoAzure({ owners: ['user-admin'], emulator: { rolePropagationMs: rolePropagationMinutes * 60_000 } });
  azure.emulator.state.addLabPlan({ resourceGroup: RG, name: 'biology-plan', location: 'westus2' });
  db = openSqliteDatabase({ dataDir, clock: azure.clock });
  notifier = new RecordingNotifier();
}

/** A runner as app.ts wires it: notices go to the (fake) outbox keyed by operation, so a key is sent once. */
function runner(clock: Clock): OperationRunner {
  const { labHosts, galleries, roles, servicePrincipals } = azure.setup.gateways;
  return new OperationRunner({
    operations: new SqliteOperationStore(db),
    gateways: { labHosts, galleries, roles, servicePrincipals },
    audit: new SqliteAuditLog(db),
    clock,
    logger: memoryLogger(),
    report: async () => undefined,
    notice: async (op, noticeKey, message) => {
      await notifier.send(op.conversationId, operationNotice(op, message), { key: `operation:${op.id}:${noticeKey}` });
    },
  });
}

async function startAttach(): Promise<OperationRecord> {
  const { labHosts, galleries, roles, servicePrincipals, locations } = azure.setup.gateways;
  const service = new GalleryService({ labHosts, galleries, roles, servicePrincipals, locations, operations: new SqliteOperationStore(db), clock: azure.clock, newId: () => 'op-1' });
  return service.start('attach', { ...requester, hostId: PLAN, target: SHARED });
}

/** Runs the operation to its end on the manual clock: each time the step sleeps, the clock moves past the sleep. */
async function runToEnd(run: Promise<OperationRecord | undefined>): Promise<OperationRecordOf<'attach'>> {
  let finished: OperationRecord | undefined;
  let done = false;
  void run.then((op) => {
    finished = op;
    done = true;
  });
  while (!done) {
    await eventually(() => done || azure.clock.pendingTimers > 0, 'the attach sleeps or ends');
    if (!done) await azure.clock.advanceAsync(60_000);
  }
  const op: OperationRecord | undefined = finished;
  if (op?.kind !== 'attach') throw new Error('the runner gave the attach up');
  return op;
}

const calls = (operation: string) => azure.emulator.requestLog.filter((e) => e.operation === operation).length;
const waitingNotices = () => notifier.texts().filter((t) => t.includes('still applying the Owner role'));

describe('attach waits for Azure to honour the Owner it just granted', () => {
  afterEach(async () => {
    db.close();
    await azure.setup.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('retries with backoff on the clock, tells the requester once, then attaches', async () => {
    await world(3);
    const op = await startAttach();
    const finished = await runToEnd(runner(azure.clock).run(op.id));
    expect(finished.status).toBe('succeeded');
    expect(finished.progress).toMatchObject({ ownerGranted: true, attachedNow: true });
    expect(calls('roleAssignments.create')).toBe(1);
    expect(calls('labPlans.update')).toBeGreaterThan(1);
    expect(waitingNotices()).toEqual([
      "Azure is still applying the Owner role given to Azure Lab Services on the gallery shared_images; that can take up to 10 minutes. I keep trying the attach and will tell you how it ends.",
    ]);
    // Honoured after 3 simulated minutes; the retries followed it within a minute.
    const waited = azure.clock.now() - (finished.progress.ownerGrantedAt ?? 0);
    expect(waited).toBeGreaterThanOrEqual(3 * 60_000);
    expect(waited).toBeLessThan(5 * 60_000);
  });

  it('a restart while waiting resumes at the attach: no second grant, no second notice', async () => {
    await world(3);
    const op = await startAttach();
    // The first process dies in its first wait: its sleep never returns.
    const frozen: Clock = { now: () => azure.clock.now(), sleep: () => new Promise(() => undefined), setTimeout: (cb, ms) => azure.clock.setTimeout(cb, ms) };
    void runner(frozen).run(op.id);
    await eventually(() => waitingNotices().length === 1, 'the first run tells it is waiting');
    const journal = await new SqliteOperationStore(db).get(op.id);
    expect(journal).toMatchObject({ status: 'running', step: 'grantOwner', progress: { ownerGranted: true } });
    expect(journal?.progress).toHaveProperty('ownerGrantedAt');

    const finished = await runToEnd(runner(azure.clock).run(op.id));
    expect(finished).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(calls('roleAssignments.create')).toBe(1);
    expect(waitingNotices()).toHaveLength(1);
  });

  it('gives up 10 minutes after the grant, with the failure and the Owner left for a retry', async () => {
    await world(30);
    const op = await startAttach();
    const finished = await runToEnd(runner(azure.clock).run(op.id));
    expect(finished.status).toBe('failed');
    expect(finished.error?.code).toBe('MissingGalleryOwnerRole');
    expect(azure.clock.now() - (finished.progress.ownerGrantedAt ?? 0)).toBeGreaterThanOrEqual(ROLE_PROPAGATION_WINDOW_MS);
    expect(azure.clock.now() - (finished.progress.ownerGrantedAt ?? 0)).toBeLessThan(ROLE_PROPAGATION_WINDOW_MS + 60_000);
    expect(reportText(finished, createTranslator('en'))).toMatch(/left in place/);
    expect(waitingNotices()).toHaveLength(1);
  });

  it("does not wait when the bot's own identity lacks the permission: says which, on which scope, and the role", async () => {
    await world(3);
    azure.emulator.state.caller.missingActions = ['Microsoft.Authorization/roleAssignments/write'];
    const op = await startAttach();
    const finished = await runToEnd(runner(azure.clock).run(op.id));
    expect(finished).toMatchObject({ status: 'failed', error: { code: 'AuthorizationFailed' } });
    expect(waitingNotices()).toEqual([]);
    expect(reportText(finished, createTranslator('en'))).toMatch(
      /lacks the permission Microsoft\.Authorization\/roleAssignments\/write on the gallery shared_images\. An Azure administrator can give it the User Access Administrator role there/,
    );
    expect(reportText(finished, createTranslator('fr'))).toMatch(/n'a pas la permission Microsoft\.Authorization\/roleAssignments\/write sur la galerie shared_images/);
  });
});

describe('isRoleNotYetEffective', () => {
  const labServices = DEMO_SERVICE_PRINCIPALS.labPlan.objectId;
  const denied = (code: string, client: string) =>
    new AzureError('notAuthorized', {
      armCode: code,
      status: 403,
      armMessage: `The client '${client}' with object id '${client}' does not have authorization to perform action 'Microsoft.Compute/galleries/read' over scope '${SHARED}' or the scope is invalid.`,
      missingPermission: { action: 'Microsoft.Compute/galleries/read', scope: SHARED },
    });

  it.each([
    ['a 403 naming the Lab Services principal', () => denied('AuthorizationFailed', labServices), true],
    ['a linked 403 naming the Lab Services principal', () => denied('LinkedAuthorizationFailed', labServices), true],
    ["a 403 naming the bot's own identity", () => denied('AuthorizationFailed', 'bot-object-id'), false],
    ['the emulator MissingGalleryOwnerRole', () => new AzureError('badRequest', { armCode: 'MissingGalleryOwnerRole', status: 400 }), true],
    ['a 403 without words', () => new AzureError('notAuthorized', { armCode: 'AuthorizationFailed', status: 403 }), false],
    ['a conflict', () => new AzureError('conflict', { armCode: 'Conflict', status: 409 }), false],
  ])('%s', (_, error, expected) => {
    expect(isRoleNotYetEffective(error(), labServices)).toBe(expected);
  });
});
