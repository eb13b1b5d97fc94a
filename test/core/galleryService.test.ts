import { UserError } from '../../src/kernel';
import { GalleryService } from '../../src/core/galleryService';
import { OperationRunner } from '../../src/core/operationRunner';
import { BUILT_IN_ROLES, DEMO_IDS, DEMO_NAMES, DEMO_SERVICE_PRINCIPALS } from '../../src/emulator';
import type { Logger } from '../../src/ports/logger';
import type { OperationKind, OperationRecord, OperationRecordOf } from '../../src/ports/operations';
import { SqliteAuditLog, SqliteOperationStore, type SqliteDatabase } from '../../src/storage/sqlite';
import { startDemoAzure, type DemoAzure } from '../support/azureHarness';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { instantSleeps } from '../support/manualTime';
import { openMigratedSqlite } from '../support/migratedSqlite';

const RG = DEMO_NAMES.resourceGroup;
const SUB = DEMO_IDS.subscriptionId;
const PLAN_SP = DEMO_SERVICE_PRINCIPALS.labPlan.objectId;
const ACCOUNT_SP = DEMO_SERVICE_PRINCIPALS.labAccount.objectId;
const OWNER = BUILT_IN_ROLES.owner.guid;
const CONTRIBUTOR = BUILT_IN_ROLES.contributor.guid;
const PLAN_WITH_GALLERY = DEMO_IDS.labPlanId;
const ACCOUNT = DEMO_IDS.labAccountId;
const PHYSICS = DEMO_IDS.physicsGalleryId;
const SHARED = DEMO_IDS.sharedImagesGalleryId;
const EMPTY_PLAN = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.LabServices/labPlans/biology-plan`;
const requester = { requestedBy: 'user-admin', conversationId: 'conv-1', locale: 'fr-FR', correlationId: 'corr-1' };

function silentLogger(): Logger {
  const logger: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => logger };
  return logger;
}

interface World {
  azure: DemoAzure;
  db: SqliteDatabase;
  operations: SqliteOperationStore;
  audit: SqliteAuditLog;
  service: GalleryService;
  runner: OperationRunner;
  reports: OperationRecord[];
  sleeps: number[];
  /** Emulator requests for one route (e.g. `roleAssignments.create`) since the log was last cleared. */
  calls(operation: string): number;
}

let world: World;
let dataDir: string;

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'gallery-service-'));
  const azure = await startDemoAzure({ owners: ['user-admin'] });
  azure.emulator.state.addLabPlan({ resourceGroup: RG, name: 'biology-plan', location: 'westus2' });
  const db = openMigratedSqlite({ dataDir, clock: azure.clock });
  const operations = new SqliteOperationStore(db);
  const audit = new SqliteAuditLog(db);
  const { labHosts, galleries, roles, servicePrincipals, locations } = azure.setup.gateways;
  let next = 0;
  const service = new GalleryService({ labHosts, galleries, roles, servicePrincipals, locations, operations, clock: azure.clock, newId: () => `op-${++next}` });
  const reports: OperationRecord[] = [];
  const sleeps: number[] = [];
  const runner = new OperationRunner({
    operations,
    gateways: { labHosts, galleries, roles, servicePrincipals },
    audit,
    clock: instantSleeps(azure.clock, sleeps),
    logger: silentLogger(),
    report: async (op) => {
      reports.push(op);
    },
  });
  world = {
    azure,
    db,
    operations,
    audit,
    service,
    runner,
    reports,
    sleeps,
    calls: (operation) => azure.emulator.requestLog.filter((e) => e.operation === operation).length,
  };
});

afterEach(async () => {
  world.db.close();
  await world.azure.setup.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const state = () => world.azure.emulator.state;

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

async function runOperation<K extends OperationKind>(kind: K, hostId: string, target: string, params: Record<string, unknown> = {}): Promise<OperationRecordOf<K>> {
  const started = await world.service.start<OperationKind>(kind, { ...requester, hostId, target, params });
  const finished = await world.runner.run(started.id);
  if (!finished) throw new Error('the runner gave the operation up');
  return finished as OperationRecordOf<K>;
}

function ownersAt(scope: string, principalId = PLAN_SP) {
  return state()
    .roles.at(scope)
    .filter((a) => a.principalId === principalId && a.roleDefinitionGuid === OWNER);
}

describe('GalleryService.preflightAttach', () => {
  it('lab plan: finds the gallery by name, and says Owner will be granted and images arrive disabled', async () => {
    const preflight = await world.service.preflightAttach(EMPTY_PLAN, 'shared_images');
    expect(preflight).toMatchObject({
      host: { name: 'biology-plan', kind: 'labPlan' },
      gallery: { id: SHARED, name: 'shared_images', resourceGroup: RG },
      principal: { objectId: PLAN_SP, currentRole: 'none' },
      willGrantOwner: true,
      imagesArriveEnabled: false,
      imageDefinitionCount: 9,
    });
    // shared_images replicates to Europe only: nothing of it can back a lab in westus2 yet.
    expect(preflight.regionNote).toMatchObject({ region: 'westus2', checked: 9 });
    expect(preflight.regionNote?.definitionsNotInRegion).toHaveLength(9);
  });

  it('lab plan: a principal already Owner of the gallery needs no grant; the region note names what misses the region', async () => {
    const preflight = await world.service.preflightAttach(EMPTY_PLAN, 'PHYSICS_GALLERY');
    expect(preflight.principal.currentRole).toBe('owner');
    expect(preflight.willGrantOwner).toBe(false);
    expect(preflight.regionNote?.definitionsNotInRegion).toEqual(['quantum-gpu']);
  });

  it('lab plan: reports a Contributor inherited from the resource group, and ignores roles below the gallery', async () => {
    state().addRoleAssignment({ scope: DEMO_IDS.resourceGroupId, roleDefinitionGuid: CONTRIBUTOR, principalId: PLAN_SP, principalType: 'ServicePrincipal' });
    state().addRoleAssignment({ scope: `${SHARED}/images/rhel-9`, roleDefinitionGuid: OWNER, principalId: PLAN_SP, principalType: 'ServicePrincipal' });
    const preflight = await world.service.preflightAttach(EMPTY_PLAN, SHARED);
    expect(preflight.principal.currentRole).toBe('contributor');
    expect(preflight.willGrantOwner).toBe(true);
  });

  it('lab account: by resource id; the classic principal, no grant, images arrive enabled, no region note', async () => {
    const preflight = await world.service.preflightAttach(ACCOUNT, SHARED.toUpperCase());
    expect(preflight).toMatchObject({
      host: { kind: 'labAccount', name: DEMO_NAMES.labAccount },
      gallery: { id: SHARED },
      principal: { objectId: ACCOUNT_SP, currentRole: 'none' },
      willGrantOwner: false,
      imagesArriveEnabled: true,
      imageDefinitionCount: 9,
    });
    expect(preflight.regionNote).toBeUndefined();
  });

  it('refuses a host id that is not a lab plan or lab account, before calling Azure', async () => {
    world.azure.emulator.clearRequestLog();
    const error = await refusal(world.service.preflightAttach(SHARED, 'shared_images'));
    expect(error.key).toBe('host.invalidId');
    expect(world.azure.emulator.requestLog).toHaveLength(0);
  });

  it('refuses a second gallery, naming the attached one', async () => {
    const error = await refusal(world.service.preflightAttach(PLAN_WITH_GALLERY, 'shared_images'));
    expect(error).toMatchObject({ key: 'attach.alreadyAttached', params: { gallery: DEMO_NAMES.physicsGallery, host: DEMO_NAMES.labPlan } });
  });

  it.each([
    ['its name in another case', 'Physics_Gallery'],
    ['its id', PHYSICS.toLowerCase()],
  ])('says the same gallery is already attached when given %s', async (_what, ref) => {
    const error = await refusal(world.service.preflightAttach(PLAN_WITH_GALLERY, ref));
    expect(error).toMatchObject({ key: 'attach.sameGallery', params: { gallery: DEMO_NAMES.physicsGallery } });
  });

  it('lab account: refuses a second gallery once one is attached', async () => {
    await runOperation('attach', ACCOUNT, SHARED);
    expect((await refusal(world.service.preflightAttach(ACCOUNT, 'physics_gallery'))).key).toBe('attach.alreadyAttached');
    expect((await refusal(world.service.preflightAttach(ACCOUNT, 'shared_images'))).key).toBe('attach.sameGallery');
  });

  it.each([
    ['an unknown name', 'no_such_gallery'],
    ['an unknown id', `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/galleries/no_such_gallery`],
  ])('says the gallery was not found for %s', async (_what, ref) => {
    const error = await refusal(world.service.preflightAttach(EMPTY_PLAN, ref));
    expect(error).toMatchObject({ key: 'attach.galleryNotFound', params: { gallery: 'no_such_gallery' } });
  });

  it('asks for the id when the name is ambiguous, and accepts the id', async () => {
    const other = state().addGallery({ resourceGroup: 'rg-other', name: 'Shared_Images', location: 'westus2' });
    const error = await refusal(world.service.preflightAttach(EMPTY_PLAN, 'shared_images'));
    expect(error).toMatchObject({ key: 'attach.ambiguousGallery', params: { count: 2 } });
    expect(String(error.params.resourceGroups).split(', ').sort()).toEqual([RG, 'rg-other']);
    await expect(world.service.preflightAttach(EMPTY_PLAN, other)).resolves.toMatchObject({ gallery: { id: other, resourceGroup: 'rg-other' } });
  });

  it('refuses a gallery id of another subscription, before calling Azure for it', async () => {
    const foreign = '/subscriptions/99999999-9999-9999-9999-999999999999/resourceGroups/x/providers/Microsoft.Compute/galleries/theirs';
    const error = await refusal(world.service.preflightAttach(EMPTY_PLAN, foreign));
    expect(error).toMatchObject({ key: 'attach.otherSubscription', params: { gallery: 'theirs' } });
  });

  it('refuses an id that is not a gallery id', async () => {
    const error = await refusal(world.service.preflightAttach(EMPTY_PLAN, `${SHARED}/images/rhel-9`));
    expect(error.key).toBe('attach.invalidGalleryId');
  });

  it('refuses while another operation runs on the host', async () => {
    await world.service.start('attach', { ...requester, hostId: EMPTY_PLAN, target: PHYSICS });
    const error = await refusal(world.service.preflightAttach(EMPTY_PLAN.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/'), 'shared_images'));
    expect(error).toMatchObject({ key: 'operation.busy', params: { kind: 'attach', operationId: 'op-1' } });
  });
});

describe('GalleryService.preflightCreate', () => {
  it('lab plan: defaults to the host resource group and region', async () => {
    await expect(world.service.preflightCreate(EMPTY_PLAN, { name: 'bio_gallery' })).resolves.toMatchObject({
      galleryId: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/galleries/bio_gallery`,
      name: 'bio_gallery',
      resourceGroup: RG,
      location: 'westus2',
      principal: { objectId: PLAN_SP, currentRole: 'none' },
      willGrantOwner: true,
      imagesArriveEnabled: false,
    });
  });

  it('lab account: images arrive enabled, no grant; a region display name is accepted', async () => {
    await expect(world.service.preflightCreate(ACCOUNT, { name: 'chem.gallery', location: 'North Europe' })).resolves.toMatchObject({
      resourceGroup: RG,
      location: 'northeurope',
      principal: { objectId: ACCOUNT_SP },
      willGrantOwner: false,
      imagesArriveEnabled: true,
    });
  });

  it('says exactly what is wrong with the name, without calling Azure', async () => {
    world.azure.emulator.clearRequestLog();
    const error = await refusal(world.service.preflightCreate(EMPTY_PLAN, { name: 'bio gallery!' }));
    expect(error).toMatchObject({ key: 'create.name.invalidChars', params: { chars: '"!"', count: 1 } });
    expect((await refusal(world.service.preflightCreate(EMPTY_PLAN, { name: 'g'.repeat(81) }))).key).toBe('create.name.tooLong');
    expect(world.azure.emulator.requestLog).toHaveLength(0);
  });

  it('refuses a name already taken in the resource group (any case), suggesting attach', async () => {
    const error = await refusal(world.service.preflightCreate(EMPTY_PLAN, { name: 'Shared_Images' }));
    expect(error).toMatchObject({ key: 'create.exists', params: { gallery: 'shared_images', resourceGroup: RG } });
  });

  it('allows a name taken in another resource group', async () => {
    state().addResourceGroup('rg-other', 'westus2');
    await expect(world.service.preflightCreate(EMPTY_PLAN, { name: 'shared_images', resourceGroup: 'rg-other' })).resolves.toMatchObject({ resourceGroup: 'rg-other' });
  });

  it('refuses when the host already has a gallery', async () => {
    const error = await refusal(world.service.preflightCreate(PLAN_WITH_GALLERY, { name: 'new_gallery' }));
    expect(error).toMatchObject({ key: 'attach.alreadyAttached', params: { gallery: DEMO_NAMES.physicsGallery } });
  });

  it('refuses a missing resource group and an unknown region', async () => {
    expect((await refusal(world.service.preflightCreate(EMPTY_PLAN, { name: 'g1', resourceGroup: 'rg-nope' }))).key).toBe('create.resourceGroupNotFound');
    expect((await refusal(world.service.preflightCreate(EMPTY_PLAN, { name: 'g1', location: 'moonbase1' }))).key).toBe('create.unknownRegion');
  });
});

describe('GalleryService.preflightDetach', () => {
  it('lab plan: counts images, finds the labs built from them and the Owner the bot would have granted', async () => {
    const impact = await world.service.preflightDetach(PLAN_WITH_GALLERY);
    expect(impact).toMatchObject({
      gallery: { id: PHYSICS, name: DEMO_NAMES.physicsGallery },
      imageCount: 4,
      enabledImageCount: 2,
      grantedOwnerAssignment: { principalId: PLAN_SP, roleDefinitionGuid: OWNER },
      otherPlansUsingGallery: [],
    });
    expect(impact.labsUsingGallery.map((l) => l.name).sort()).toEqual([...DEMO_NAMES.planLabs].sort());
  });

  it('lab plan: names the other lab plans that still use the gallery', async () => {
    state().addLabPlan({ resourceGroup: RG, name: 'astro-plan', location: 'westus2', sharedGalleryId: PHYSICS });
    await expect(world.service.preflightDetach(PLAN_WITH_GALLERY)).resolves.toMatchObject({ otherPlansUsingGallery: ['astro-plan'] });
  });

  it('lab account: labs that do not say their image count 0; one built from a shared image counts', async () => {
    await runOperation('attach', ACCOUNT, SHARED);
    let impact = await world.service.preflightDetach(ACCOUNT);
    expect(impact).toMatchObject({ gallery: { id: SHARED }, imageCount: 9, enabledImageCount: 9, labsUsingGallery: [] });
    expect(impact.grantedOwnerAssignment).toBeUndefined();
    const image = (await world.azure.setup.gateways.labHosts.listImages(ACCOUNT))[0];
    state().addLab({ hostId: ACCOUNT, name: 'new-lab', imageId: image?.id ?? '' });
    impact = await world.service.preflightDetach(ACCOUNT);
    expect(impact.labsUsingGallery.map((l) => l.name)).toEqual(['new-lab']);
  });

  it('refuses when nothing is attached', async () => {
    expect((await refusal(world.service.preflightDetach(EMPTY_PLAN))).key).toBe('detach.nothingAttached');
    expect((await refusal(world.service.preflightDetach(ACCOUNT))).key).toBe('detach.nothingAttached');
  });
});

describe('GalleryService.start', () => {
  it('journals the operation as running with no step before any ARM call', async () => {
    world.azure.emulator.clearRequestLog();
    const op = await world.service.start('attach', { ...requester, hostId: EMPTY_PLAN, target: SHARED.toLowerCase(), params: { hostId: EMPTY_PLAN } as Record<string, unknown> });
    expect(op).toMatchObject({ id: 'op-1', kind: 'attach', hostId: EMPTY_PLAN, target: SHARED, status: 'running', step: '', progress: {}, ...requester });
    expect(world.azure.emulator.requestLog).toHaveLength(0);
    await expect(world.operations.get('op-1')).resolves.toMatchObject({ status: 'running', step: '' });
  });

  it('refuses a second operation on the same host', async () => {
    await world.service.start('attach', { ...requester, hostId: EMPTY_PLAN, target: SHARED });
    expect((await refusal(world.service.start('detach', { ...requester, hostId: EMPTY_PLAN, target: SHARED }))).key).toBe('operation.busy');
  });

  it('refuses malformed input as a programming error', async () => {
    await expect(world.service.start('attach', { ...requester, hostId: EMPTY_PLAN, target: 'shared_images' })).rejects.toThrow(TypeError);
    await expect(world.service.start('createAndAttach', { ...requester, hostId: EMPTY_PLAN, target: SHARED })).rejects.toThrow(/location/);
  });
});

describe('attach, create-and-attach and detach against Azure', () => {
  it('attach to a lab plan: grants Owner, attaches, images arrive disabled; reported and audited once', async () => {
    const op = await runOperation('attach', EMPTY_PLAN, SHARED);
    expect(op).toMatchObject({ status: 'succeeded', step: 'verify', progress: { galleryName: 'shared_images', imageCount: 9, enabledCount: 0, ownerGranted: true } });
    expect(op.reportedAt).toBeDefined();
    expect(state().labPlans.get(EMPTY_PLAN)?.sharedGalleryId).toBe(SHARED);
    const owners = ownersAt(SHARED);
    expect(owners).toHaveLength(1);
    expect(op.progress.ownerAssignmentId).toBe(owners[0]?.id);
    expect(state().labPlans.images(EMPTY_PLAN).every((i) => i.enabledState === 'Disabled')).toBe(true);
    expect(world.reports.map((r) => r.id)).toEqual([op.id]);
    const audit = await world.audit.recent(10);
    expect(audit).toEqual([
      expect.objectContaining({ userId: 'user-admin', command: 'attach', target: SHARED, outcome: 'succeeded', correlationId: 'corr-1', detail: 'images=9' }),
    ]);
  });

  it('attach to a lab account: no Owner grant, the service adds Contributor, images arrive enabled', async () => {
    world.azure.emulator.clearRequestLog();
    const op = await runOperation('attach', ACCOUNT, SHARED);
    expect(op).toMatchObject({ status: 'succeeded', progress: { imageCount: 9, enabledCount: 9 } });
    expect(world.calls('roleAssignments.create')).toBe(0);
    expect(state().labAccounts.get(ACCOUNT)?.sharedGallery?.galleryId).toBe(SHARED);
    expect(state().roles.at(SHARED).map((a) => [a.principalId, a.roleDefinitionGuid])).toEqual([[ACCOUNT_SP, CONTRIBUTOR]]);
    expect(state().labAccounts.images(ACCOUNT).every((i) => i.enabledState === 'Enabled')).toBe(true);
  });

  it('attach with Owner inherited from the resource group grants nothing more', async () => {
    state().addRoleAssignment({ scope: DEMO_IDS.resourceGroupId, roleDefinitionGuid: OWNER, principalId: PLAN_SP, principalType: 'ServicePrincipal' });
    world.azure.emulator.clearRequestLog();
    const op = await runOperation('attach', EMPTY_PLAN, SHARED);
    expect(op).toMatchObject({ status: 'succeeded', progress: { ownerGranted: false, ownerInheritedFrom: DEMO_IDS.resourceGroupId } });
    expect(world.calls('roleAssignments.create')).toBe(0);
  });

  it('createAndAttach on a lab plan creates one gallery; re-running the record from the start duplicates nothing', async () => {
    const target = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/galleries/bio_gallery`;
    const galleriesBefore = state().galleries.listGalleries().length;
    const op = await runOperation('createAndAttach', EMPTY_PLAN, target, { location: 'westus2' });
    expect(op).toMatchObject({ status: 'succeeded', progress: { galleryCreated: true, ownerGranted: true, galleryName: 'bio_gallery', imageCount: 0 } });
    expect(state().galleries.listGalleries()).toHaveLength(galleriesBefore + 1);
    expect(state().galleries.gallery(target)?.location).toBe('westus2');
    expect(state().labPlans.get(EMPTY_PLAN)?.sharedGalleryId).toBe(target);
    expect(ownersAt(target)).toHaveLength(1);

    // As if the process died after the last ARM call and before anything was recorded.
    await world.operations.update(op.id, op.eTag, { status: 'running', step: '', progress: { auditedAt: 1 }, reportedAt: undefined });
    world.azure.emulator.clearRequestLog();
    const again = await world.runner.run(op.id);
    expect(again).toMatchObject({ status: 'succeeded', progress: { galleryCreated: false, ownerGranted: false, attachedNow: false } });
    expect(world.calls('galleries.createOrUpdate')).toBe(0);
    expect(world.calls('roleAssignments.create')).toBe(0);
    expect(world.calls('labPlans.update')).toBe(0);
    expect(state().galleries.listGalleries()).toHaveLength(galleriesBefore + 1);
    expect(ownersAt(target)).toHaveLength(1);
    expect(await world.audit.recent(10)).toHaveLength(1);
  });

  it('createAndAttach on a lab account: created in the account region, attached, Contributor added by the service', async () => {
    const target = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/galleries/chem_gallery`;
    const op = await runOperation('createAndAttach', ACCOUNT, target, { location: 'westeurope', description: 'Chemistry' });
    expect(op.status).toBe('succeeded');
    expect(state().galleries.gallery(target)).toMatchObject({ location: 'westeurope', description: 'Chemistry' });
    expect(state().labAccounts.get(ACCOUNT)?.sharedGallery?.galleryId).toBe(target);
    expect(ownersAt(target)).toHaveLength(0);
    expect(state().roles.at(target).map((a) => a.principalId)).toEqual([ACCOUNT_SP]);
  });

  it('detach with removeRole: detached and the Owner assignment is gone', async () => {
    expect(ownersAt(PHYSICS)).toHaveLength(1);
    const op = await runOperation('detach', PLAN_WITH_GALLERY, PHYSICS, { removeRole: true });
    expect(op).toMatchObject({ status: 'succeeded', step: 'verify', progress: { detachedNow: true, ownerRevokedCount: 1 } });
    expect(state().labPlans.get(PLAN_WITH_GALLERY)?.sharedGalleryId).toBeUndefined();
    expect(ownersAt(PHYSICS)).toHaveLength(0);
    expect(state().galleries.gallery(PHYSICS)).toBeDefined();
    expect((await world.audit.recent(1))[0]).toMatchObject({ command: 'detach', outcome: 'succeeded', detail: 'ownerRevoked=1' });
  });

  it('detach without removeRole: the Owner assignment stays', async () => {
    const op = await runOperation('detach', PLAN_WITH_GALLERY, PHYSICS);
    expect(op).toMatchObject({ status: 'succeeded', progress: { ownerRevokedCount: 0 } });
    expect(state().labPlans.get(PLAN_WITH_GALLERY)?.sharedGalleryId).toBeUndefined();
    expect(ownersAt(PHYSICS)).toHaveLength(1);
  });

  it('detach with removeRole keeps the Owner while another lab plan still uses the gallery', async () => {
    state().addLabPlan({ resourceGroup: RG, name: 'astro-plan', location: 'westus2', sharedGalleryId: PHYSICS });
    const op = await runOperation('detach', PLAN_WITH_GALLERY, PHYSICS, { removeRole: true });
    expect(op).toMatchObject({ status: 'succeeded', progress: { ownerRevokedCount: 0, ownerKeptFor: ['astro-plan'] } });
    expect(ownersAt(PHYSICS)).toHaveLength(1);
  });

  it('detach from a lab account', async () => {
    await runOperation('attach', ACCOUNT, SHARED);
    const op = await runOperation('detach', ACCOUNT, SHARED, { removeRole: true });
    expect(op).toMatchObject({ status: 'succeeded', step: 'verify' });
    expect(state().labAccounts.get(ACCOUNT)?.sharedGallery).toBeUndefined();
  });

  it('detach fails clearly when another gallery is attached by then', async () => {
    const op = await runOperation('detach', PLAN_WITH_GALLERY, SHARED);
    expect(op).toMatchObject({ status: 'failed', error: { key: 'detach.otherGallery', params: { gallery: 'shared_images', attached: DEMO_NAMES.physicsGallery } } });
    expect(state().labPlans.get(PLAN_WITH_GALLERY)?.sharedGalleryId).toBe(PHYSICS);
  });

  it('attach fails clearly when another gallery was attached since the preflight', async () => {
    const op = await runOperation('attach', PLAN_WITH_GALLERY, SHARED);
    expect(op).toMatchObject({ status: 'failed', error: { key: 'attach.alreadyAttached', params: { gallery: DEMO_NAMES.physicsGallery } } });
  });

  it('ARM failure on the attach PATCH: failed with a key, the Owner grant stays recorded, retryAttach finishes the job', async () => {
    const target = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/galleries/bio_gallery`;
    world.azure.emulator.faults.add({ method: 'PATCH', path: /labPlans\/biology-plan$/i, status: 500, code: 'InternalServerError', times: 10 });
    const failed = await runOperation('createAndAttach', EMPTY_PLAN, target, { location: 'westus2' });
    expect(failed).toMatchObject({
      status: 'failed',
      step: 'grantOwner',
      error: { key: 'createAndAttach.attachFailed', params: { gallery: 'bio_gallery', reason: 'azure.unavailable' }, code: 'InternalServerError' },
      progress: { galleryCreated: true, ownerGranted: true, failure: { step: 'attach', key: 'azure.unavailable', armCode: 'InternalServerError' } },
    });
    expect(failed.progress.ownerAssignmentId).toBe(ownersAt(target)[0]?.id);
    expect(state().labPlans.get(EMPTY_PLAN)?.sharedGalleryId).toBeUndefined();
    expect(world.reports.map((r) => r.status)).toEqual(['failed']);
    const [entry] = await world.audit.recent(1);
    expect(entry).toMatchObject({ command: 'createAndAttach', outcome: 'failed' });
    expect(entry?.detail).toMatch(/^InternalServerError arm-correlation=\S+$/);

    world.azure.emulator.faults.clear();
    world.azure.emulator.clearRequestLog();
    const retry = await world.service.retryAttach(failed.id, { ...requester, correlationId: 'corr-2' });
    expect(retry).toMatchObject({ kind: 'attach', target, params: { retryOf: failed.id }, correlationId: 'corr-2' });
    const done = await world.runner.run(retry.id);
    expect(done).toMatchObject({ status: 'succeeded', progress: { ownerGranted: false, attachedNow: true } });
    expect(world.calls('roleAssignments.create')).toBe(0);
    expect(world.calls('galleries.createOrUpdate')).toBe(0);
    expect(state().labPlans.get(EMPTY_PLAN)?.sharedGalleryId).toBe(target);
    expect(ownersAt(target)).toHaveLength(1);
  });

  it('retryAttach refuses an operation it does not apply to', async () => {
    const ok = await runOperation('attach', EMPTY_PLAN, SHARED);
    expect((await refusal(world.service.retryAttach(ok.id, requester))).key).toBe('retryAttach.notApplicable');
    expect((await refusal(world.service.retryAttach('op-nope', requester))).key).toBe('operation.notFound');
  });

  it('a plain attach failing at the PATCH carries the Azure key and ARM code', async () => {
    world.azure.emulator.faults.add({ method: 'PATCH', path: /labPlans\/biology-plan$/i, status: 403, code: 'AuthorizationFailed' });
    const op = await runOperation('attach', EMPTY_PLAN, SHARED);
    expect(op).toMatchObject({ status: 'failed', step: 'grantOwner', error: { key: 'azure.notAuthorized', params: { target: 'biology-plan' }, code: 'AuthorizationFailed' } });
    expect(ownersAt(SHARED)).toHaveLength(1);
  });

  it('a throttled attach step is retried after Retry-After and then succeeds', async () => {
    // Four 429s outlast the SDK's own three retries, so the fourth reaches the runner.
    world.azure.emulator.faults.add({ method: 'PATCH', path: /labPlans\/biology-plan$/i, status: 429, retryAfterSeconds: 0, times: 4 });
    const op = await runOperation('attach', EMPTY_PLAN, SHARED);
    expect(op).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(world.sleeps).toEqual([0]);
    expect(world.azure.emulator.requestLog.filter((e) => e.method === 'PATCH').map((e) => e.status)).toEqual([429, 429, 429, 429, 200]);
    expect(state().labPlans.get(EMPTY_PLAN)?.sharedGalleryId).toBe(SHARED);
  });
});
