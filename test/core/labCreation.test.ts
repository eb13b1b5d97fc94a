import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labFormCard } from '../../src/cards/templates';
import { renderCard } from '../../src/cards/renderCard';
import { labIdOf, parseLabHostId, UserError } from '../../src/kernel';
import { ImageService } from '../../src/core/imageService';
import { LabCreationService } from '../../src/core/labCreationService';
import { SecretVault } from '../../src/core/secretVault';
import { LAB_FORM_RULES, LAB_FORM_VERBS, LabFormError, validateLabForm, vmSizesFor } from '../../src/core/labForm';
import { OperationRunner, type OperationRunnerOptions } from '../../src/core/operationRunner';
import { checkOperationInput, stepsOf } from '../../src/operations/kinds';
import { operationReport } from '../../src/dialogs/operationReports';
import { DEMO_IDS, DEMO_NAMES } from '../../src/emulator';
import type { LabHostGateway, LabSummary } from '../../src/ports/labHostGateway';
import type { NewOperation, OperationRecord, OperationStore, OperationUpdate } from '../../src/ports/operations';
import { SqliteAuditLog, SqliteOperationStore, type SqliteDatabase } from '../../src/storage/sqlite';
import { startDemoAzure, type DemoAzure } from '../support/azureHarness';
import { LAB_PASSWORD, labFormInput } from '../support/labFormInput';
import { memoryLogger } from '../support/memoryLogger';
import { instantSleeps } from '../support/manualTime';
import { openMigratedSqlite } from '../support/migratedSqlite';

const PLAN = DEMO_IDS.labPlanId;
const ACCOUNT = DEMO_IDS.labAccountId;
const PHYSICS = DEMO_IDS.physicsGalleryId;
const SHARED = DEMO_IDS.sharedImagesGalleryId;
const PASSWORD = LAB_PASSWORD;
const PLAN_SIZES = { vmSizes: vmSizesFor('labPlan') };
const requester = { requestedBy: 'user-teacher', conversationId: 'conv-1', locale: 'en-US', correlationId: 'corr-1' };

const form = labFormInput;


/** The real store, except that the process "dies" just before the journal records `crashAtStep`. */
class CrashingStore implements OperationStore {
  constructor(
    private readonly inner: OperationStore,
    private readonly crashAtStep: string,
  ) {}
  create = (op: NewOperation) => this.inner.create(op);
  get = (id: string) => this.inner.get(id);
  listUnfinished = () => this.inner.listUnfinished();
  runningOnHost = (hostId: string) => this.inner.runningOnHost(hostId);
  update(id: string, eTag: string, update: OperationUpdate): Promise<OperationRecord> {
    if (update.step === this.crashAtStep) return Promise.reject(new Error('the process died here'));
    return this.inner.update(id, eTag, update);
  }
}

/** Delegates to the real adapter, but lists the labs named `creating` as still Creating for the first `times` lists. */
class SlowLabHosts implements LabHostGateway {
  lists = 0;
  constructor(
    private readonly inner: LabHostGateway,
    private readonly creating: string,
    private readonly times: number,
  ) {}
  getHost = (id: string) => this.inner.getHost(id);
  listHosts = () => this.inner.listHosts();
  attachGallery = (id: string, galleryId: string) => this.inner.attachGallery(id, galleryId);
  detachGallery = (id: string) => this.inner.detachGallery(id);
  listImages = (id: string) => this.inner.listImages(id);
  setImageEnabled: LabHostGateway['setImageEnabled'] = (id, image, enabled) => this.inner.setImageEnabled(id, image, enabled);
  createLab: LabHostGateway['createLab'] = (id, params) => this.inner.createLab(id, params);
  saveImage: LabHostGateway['saveImage'] = (id, params) => this.inner.saveImage(id, params);
  async listLabs(id: string): Promise<LabSummary[]> {
    const labs = await this.inner.listLabs(id);
    this.lists += 1;
    return this.lists > this.times ? labs : labs.map((l) => (l.name === this.creating ? { ...l, provisioningState: 'Creating' } : l));
  }
}

interface World {
  azure: DemoAzure;
  db: SqliteDatabase;
  dataDir: string;
  operations: SqliteOperationStore;
  audit: SqliteAuditLog;
  vault: SecretVault;
  service: LabCreationService;
  log: ReturnType<typeof memoryLogger>;
  reports: OperationRecord[];
  runner(overrides?: Partial<OperationRunnerOptions>): OperationRunner;
  calls(operation: string): number;
}

let world: World;

beforeEach(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lab-creation-'));
  const azure = await startDemoAzure();
  const db = openMigratedSqlite({ dataDir, clock: azure.clock });
  const operations = new SqliteOperationStore(db);
  const audit = new SqliteAuditLog(db);
  const { labHosts, galleries, roles, servicePrincipals } = azure.setup.gateways;
  const vault = new SecretVault();
  let next = 0;
  const service = new LabCreationService({ labHosts, images: new ImageService(labHosts, galleries, azure.clock), operations, secrets: vault, newId: () => `op-${++next}` });
  const log = memoryLogger();
  const reports: OperationRecord[] = [];
  world = {
    azure,
    db,
    dataDir,
    operations,
    audit,
    vault,
    service,
    log,
    reports,
    runner: (overrides = {}) =>
      new OperationRunner({
        operations,
        gateways: { labHosts, galleries, roles, servicePrincipals },
        secrets: vault,
        audit,
        clock: instantSleeps(azure.clock),
        logger: log,
        report: async (op) => {
          reports.push(op);
        },
        ...overrides,
      }),
    calls: (operation) => azure.emulator.requestLog.filter((e) => e.operation === operation).length,
  };
});

afterEach(async () => {
  world.db.close();
  await world.azure.setup.close();
  rmSync(world.dataDir, { recursive: true, force: true });
});

const state = () => world.azure.emulator.state;
const attachSharedToAccount = () => state().labAccounts.attach(ACCOUNT, DEMO_NAMES.sharedImagesGallery, SHARED);
const labId = (hostId: string, name: string) => labIdOf(parseLabHostId(hostId)!, name);
const writes = () => world.azure.emulator.requestLog.filter((e) => e.method !== 'GET');

async function caught(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

/** Everything the bot wrote down about its operations: the journal, the audit log, the log lines, the SQLite files. */
async function persistedText(): Promise<string> {
  const records = await Promise.all(world.reports.map((r) => world.operations.get(r.id)));
  const audit = await world.audit.recent(100);
  const files = readdirSync(world.dataDir).map((f) => readFileSync(path.join(world.dataDir, f)).toString('latin1'));
  return [JSON.stringify(records), JSON.stringify(world.reports), JSON.stringify(audit), JSON.stringify(world.log.lines), ...files].join('\n');
}

describe('validateLabForm', () => {
  it('accepts a valid form: numbers as strings or numbers, names trimmed, the size in its canonical spelling', () => {
    expect(validateLabForm(form({ labName: '  thermo-301 ', vmSize: 'classic_fsv2_2_4gb_128_s_ssd', capacity: 25 }), PLAN_SIZES)).toEqual({
      ok: true,
      value: { labName: 'thermo-301', title: 'Thermodynamics 301', vmSize: 'Classic_Fsv2_2_4GB_128_S_SSD', quotaHours: 12, capacity: 25, adminUser: 'labteacher', password: PASSWORD },
    });
  });

  it('offers the lab plan SKUs and the lab account sizes from one function', () => {
    expect(vmSizesFor('labPlan')).toEqual(['Classic_Fsv2_2_4GB_128_S_SSD', 'Classic_Fsv2_4_8GB_128_S_SSD', 'Classic_Dsv4_4_16GB_128_P_SSD', 'Classic_NCsT4v3_4_28GB_128_S_SSD']);
    expect(vmSizesFor('labAccount')).toEqual(['Basic', 'Standard', 'Large']);
    expect(validateLabForm(form({ vmSize: 'Standard' }), { vmSizes: vmSizesFor('labAccount') }).ok).toBe(true);
  });

  it.each([
    ['labName', undefined, 'labForm.missing', {}],
    ['labName', '   ', 'labForm.missing', {}],
    ['labName', 42, 'labForm.notText', {}],
    ['labName', 'a'.repeat(101), 'labForm.tooLong', { max: 100, length: 101 }],
    ['labName', 'my lab!', 'labForm.labName.chars', { chars: '!', count: 1 }],
    ['labName', 'thermo.301', 'labForm.labName.chars', { chars: '.', count: 1 }],
    ['labName', '-thermo', 'labForm.labName.start', {}],
    ['labName', '_thermo', 'labForm.labName.start', {}],
    ['title', null, 'labForm.missing', {}],
    ['title', ['Thermo'], 'labForm.notText', {}],
    ['title', 't'.repeat(121), 'labForm.tooLong', { max: 120, length: 121 }],
    ['vmSize', 'Basic', 'labForm.vmSize.unknown', { sizes: vmSizesFor('labPlan').join(', ') }],
    ['vmSize', { name: 'Basic' }, 'labForm.notText', {}],
    ['quotaHours', '', 'labForm.missing', {}],
    ['quotaHours', 'ten', 'labForm.notNumber', {}],
    ['quotaHours', true, 'labForm.notNumber', {}],
    ['quotaHours', Number.NaN, 'labForm.notNumber', {}],
    ['quotaHours', Number.POSITIVE_INFINITY, 'labForm.notNumber', {}],
    ['quotaHours', '2.5', 'labForm.notInteger', {}],
    ['quotaHours', -1, 'labForm.outOfRange', { min: 0, max: 1000 }],
    ['quotaHours', '1001', 'labForm.outOfRange', { min: 0, max: 1000 }],
    ['capacity', 0, 'labForm.outOfRange', { min: 1, max: 400 }],
    ['capacity', '401', 'labForm.outOfRange', { min: 1, max: 400 }],
    ['adminUser', 'root', 'labForm.adminUser.reserved', { name: 'root' }],
    ['adminUser', 'Administrator', 'labForm.adminUser.reserved', { name: 'Administrator' }],
    ['adminUser', 'guest', 'labForm.adminUser.reserved', { name: 'guest' }],
    ['adminUser', 'a'.repeat(21), 'labForm.tooLong', { max: 20, length: 21 }],
    ['adminUser', '1teacher', 'labForm.adminUser.start', {}],
    ['adminUser', 'teacher.', 'labForm.adminUser.endsWithDot', {}],
    ['adminUser', 'lab teacher', 'labForm.adminUser.chars', { chars: '', count: 0 }],
    ['password', undefined, 'labForm.missing', {}],
    ['password', 123456789012, 'labForm.notText', {}],
    ['password', 'Sh0rt!pass', 'labForm.password.length', { min: 12, max: 123 }],
    ['password', `Aa1!${'x'.repeat(120)}`, 'labForm.password.length', { min: 12, max: 123 }],
    ['password', 'onlylowercaseletters', 'labForm.password.classes', {}],
    ['password', 'UPPERCASE123456', 'labForm.password.classes', {}],
    ['password', 'LabTeacher-2026!', 'labForm.password.containsUser', {}],
  ] as const)('%s = %p → %s', (field, value, key, params) => {
    const result = validateLabForm(form({ [field]: value }), PLAN_SIZES);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({ [field]: { key, params } });
    expect(result.echo).not.toHaveProperty('password');
  });

  it('turns 10 KB strings in every field into field errors, echoed cut short and without the password', () => {
    const huge = 'Aa1!'.repeat(2560);
    const fields: Record<string, unknown> = Object.fromEntries(['labName', 'title', 'vmSize', 'quotaHours', 'capacity', 'adminUser', 'password'].map((f) => [f, huge]));
    const result = validateLabForm(fields, PLAN_SIZES);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.fromEntries(Object.entries(result.errors).map(([f, e]) => [f, e?.key]))).toEqual({
      labName: 'labForm.tooLong',
      title: 'labForm.tooLong',
      vmSize: 'labForm.tooLong',
      quotaHours: 'labForm.notNumber',
      capacity: 'labForm.notNumber',
      adminUser: 'labForm.tooLong',
      password: 'labForm.password.length',
    });
    expect(result.errors.labName?.params).toEqual({ max: 100, length: 10_240 });
    expect(Object.keys(result.echo).sort()).toEqual(['adminUser', 'capacity', 'labName', 'quotaHours', 'title', 'vmSize']);
    for (const value of Object.values(result.echo)) expect(value).toHaveLength(LAB_FORM_RULES.maxRaw);
  });

  it.each([[null], ['labName=x'], [[form()]], [42], [undefined]])('never throws on %p: every field is missing', (input) => {
    const result = validateLabForm(input, PLAN_SIZES);
    expect(result).toEqual({ ok: false, errors: Object.fromEntries(['labName', 'title', 'vmSize', 'quotaHours', 'capacity', 'adminUser', 'password'].map((f) => [f, { key: 'labForm.missing', params: {} }])), echo: {} });
  });

  it('never echoes the password, whatever else is wrong', () => {
    const result = validateLabForm(form({ adminUser: 'root', capacity: '9000', extra: { password: 'ignored' } }), PLAN_SIZES);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['adminUser', 'capacity']);
    expect(result.echo).toEqual({ labName: 'thermo-301', title: 'Thermodynamics 301', vmSize: 'Classic_Fsv2_2_4GB_128_S_SSD', quotaHours: '12', capacity: '9000', adminUser: 'root' });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });
});

describe('the lab form card', () => {
  const card = renderCard(labFormCard, {
    heading: 'Create a lab from physics-win11',
    intro: 'On physics-plan',
    formError: '',
    requiredMessage: 'Required.',
    imageName: 'physics-win11',
    labName: { label: 'Lab name', value: 'thermo-301', error: 'Pick another name.' },
    title: { label: 'Title', value: 'Thermodynamics 301', error: '' },
    vmSize: { label: 'VM size', value: 'Classic_Fsv2_4_8GB_128_S_SSD', error: '', choices: vmSizesFor('labPlan').map((s) => ({ title: s, value: s })) },
    quotaHours: { label: 'Hours', value: 12, error: '' },
    capacity: { label: 'Students', value: 25, error: '' },
    adminUser: { label: 'Admin', value: 'labteacher', error: '' },
    password: { label: 'Password', error: '' },
    createLabel: 'Create lab',
    cancelLabel: 'Cancel',
    verbs: LAB_FORM_VERBS,
  });
  const body = card.body as Record<string, unknown>[];
  const input = (id: string) => body.find((e) => e.id === id);

  it('prefills every input but the password, which is a password box with no value', () => {
    expect([input('labName')?.value, input('title')?.value, input('vmSize')?.value, input('quotaHours')?.value, input('capacity')?.value, input('adminUser')?.value]).toEqual([
      'thermo-301',
      'Thermodynamics 301',
      'Classic_Fsv2_4_8GB_128_S_SSD',
      12,
      25,
      'labteacher',
    ]);
    expect(input('password')).toMatchObject({ type: 'Input.Text', style: 'Password' });
    expect(input('password')).not.toHaveProperty('value');
  });

  it('shows only the errors there are, in Attention', () => {
    const errors = body.filter((e) => e.color === 'Attention');
    expect(errors.map((e) => e.text)).toEqual(['Pick another name.']);
  });

  it('limits the inputs as the validation does', () => {
    expect([input('labName')?.maxLength, input('title')?.maxLength, input('adminUser')?.maxLength, input('password')?.maxLength]).toEqual([
      LAB_FORM_RULES.labName.max,
      LAB_FORM_RULES.title.max,
      LAB_FORM_RULES.adminUser.max,
      LAB_FORM_RULES.password.max,
    ]);
    // Numbers: no min/max (clients clamp them silently); the label says the range and the bot checks it.
    expect([input('quotaHours')?.min, input('quotaHours')?.max, input('capacity')?.min, input('capacity')?.max]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('creates with the inputs and cancels without them, both with the shared verbs', () => {
    expect(card.actions).toEqual([
      expect.objectContaining({ type: 'Action.Execute', verb: LAB_FORM_VERBS.create, associatedInputs: 'auto', data: { image: 'physics-win11' } }),
      expect.objectContaining({ type: 'Action.Execute', verb: LAB_FORM_VERBS.cancel, associatedInputs: 'none', data: { image: 'physics-win11' } }),
    ]);
    expect(LAB_FORM_VERBS).toEqual({ create: 'template.create', cancel: 'template.cancel' });
  });
});

describe('offer', () => {
  it('offers an enabled, eligible image of the lab plan with the plan sizes', async () => {
    const offer = await world.service.offer(PLAN, 'physics-win11');
    expect(offer.host.name).toBe(DEMO_NAMES.labPlan);
    expect(offer.image).toMatchObject({ name: 'physics-win11', enabled: true });
    expect(offer.details).toMatchObject({ eligible: true, latestVersion: '1.0.0' });
    expect(offer.vmSizes).toEqual(vmSizesFor('labPlan'));
  });

  it('finds the image by its definition id too', async () => {
    await expect(world.service.offer(PLAN, `${PHYSICS}/images/physics-win11`)).resolves.toMatchObject({ image: { name: 'physics-win11' } });
  });

  it('offers a lab account image with the account sizes', async () => {
    attachSharedToAccount();
    await expect(world.service.offer(ACCOUNT, 'win11-office')).resolves.toMatchObject({ image: { name: 'win11-office', enabled: true }, vmSizes: ['Basic', 'Standard', 'Large'] });
  });

  it.each([
    ['a disabled image', PLAN, 'optics-sim', 'lab.imageDisabled', { image: 'optics-sim', host: DEMO_NAMES.labPlan }],
    ['an image of another gallery, by name', PLAN, 'win11-office', 'lab.imageNotFound', { image: 'win11-office', host: DEMO_NAMES.labPlan }],
    ['an image of another gallery, by id', PLAN, `${SHARED}/images/win11-office`, 'lab.imageOtherGallery', { image: 'win11-office', host: DEMO_NAMES.labPlan, gallery: DEMO_NAMES.physicsGallery }],
    ['an image of a host with no gallery', ACCOUNT, 'win11-office', 'lab.noGallery', { host: DEMO_NAMES.labAccount }],
    ['anything on a bad host id', '/subscriptions/nope', 'physics-win11', 'host.invalidId', { value: '/subscriptions/nope' }],
  ])('refuses %s', async (_label, hostId, image, key, params) => {
    const error = await caught(world.service.offer(hostId, image));
    expect([error.key, error.params]).toEqual([key, params]);
  });

  it('refuses an enabled image that is not replicated to the plan region', async () => {
    state().labPlans.setImageEnabled(PLAN, 'quantum-gpu', 'Enabled');
    const error = await caught(world.service.offer(PLAN, 'quantum-gpu'));
    expect([error.key, error.params]).toEqual(['lab.ineligible.notInHostRegion', { image: 'quantum-gpu', host: DEMO_NAMES.labPlan, region: 'westus2', limit: 128 }]);
  });

  it.each([
    ['matlab-r2024', 'lab.ineligible.osDiskTooLarge'],
    ['data-science-vm', 'lab.ineligible.dataDisks'],
  ])('refuses the enabled but ineligible lab account image %s', async (image, key) => {
    attachSharedToAccount();
    await expect(caught(world.service.offer(ACCOUNT, image))).resolves.toMatchObject({ key });
  });
});

describe('start', () => {
  it('journals a createLab operation without the password, which waits in the vault', async () => {
    const op = await world.service.start(PLAN, 'physics-win11', form(), requester);
    expect(op).toMatchObject({
      kind: 'createLab',
      hostId: PLAN,
      target: labId(PLAN, 'thermo-301'),
      status: 'running',
      step: '',
      params: {
        name: 'thermo-301',
        title: 'Thermodynamics 301',
        imageName: 'physics-win11',
        vmSize: 'Classic_Fsv2_2_4GB_128_S_SSD',
        capacity: 25,
        usageQuotaHours: 12,
        adminUsername: 'labteacher',
      },
    });
    expect(op.target).toBe(`/subscriptions/${DEMO_IDS.subscriptionId}/resourceGroups/${DEMO_NAMES.resourceGroup}/providers/Microsoft.LabServices/labs/thermo-301`);
    expect(JSON.stringify(op)).not.toContain(PASSWORD);
    expect(JSON.stringify(await world.operations.get(op.id))).not.toContain(PASSWORD);
    expect(world.vault.get(op.id)).toBe(PASSWORD);
    expect(stepsOf(op)).toEqual(['createLab', 'verify']);
    expect(writes()).toEqual([]);
  });

  it('re-validates the form: field errors and an echo without the password, nothing journaled, nothing kept', async () => {
    const error = await caught(world.service.start(PLAN, 'physics-win11', form({ adminUser: 'admin', vmSize: 'Basic' }), requester));
    expect(error).toBeInstanceOf(LabFormError);
    const formError = error as LabFormError;
    expect([formError.key, formError.params]).toEqual(['lab.formInvalid', { count: 2 }]);
    expect(Object.keys(formError.errors).sort()).toEqual(['adminUser', 'vmSize']);
    expect(JSON.stringify(formError.echo)).not.toContain(PASSWORD);
    expect(await world.operations.listUnfinished()).toEqual([]);
    expect(world.vault.size).toBe(0);
    expect(world.azure.emulator.requestLog).toEqual([]);
  });

  it('refuses a name the host already has, as an error on the name field', async () => {
    const error = await caught(world.service.start(PLAN, 'physics-win11', form({ labName: 'Mechanics-101' }), requester));
    expect(error).toBeInstanceOf(LabFormError);
    expect((error as LabFormError).errors).toEqual({ labName: { key: 'lab.nameTaken', params: { lab: 'Mechanics-101', host: DEMO_NAMES.labPlan } } });
    expect((error as LabFormError).echo).toMatchObject({ labName: 'Mechanics-101', capacity: '25' });
    expect(world.vault.size).toBe(0);
  });

  it('refuses a name another lab plan already uses in the resource group (a PUT would overwrite that lab)', async () => {
    const biology = state().addLabPlan({ resourceGroup: DEMO_NAMES.resourceGroup, name: 'biology-plan', location: 'westus2' });
    state().addLab({ hostId: biology, name: 'thermo-301' });
    const error = await caught(world.service.start(PLAN, 'physics-win11', form(), requester));
    expect((error as LabFormError).errors).toEqual({ labName: { key: 'lab.nameTaken', params: { lab: 'thermo-301', host: 'biology-plan' } } });
    expect(writes()).toEqual([]);
  });

  it('re-checks the image (never trusts the form): a disabled one is refused', async () => {
    await expect(caught(world.service.start(PLAN, 'optics-sim', form(), requester))).resolves.toMatchObject({ key: 'lab.imageDisabled' });
    expect(world.vault.size).toBe(0);
  });

  it('refuses while another change runs on the host', async () => {
    const first = await world.service.start(PLAN, 'physics-win11', form(), requester);
    const error = await caught(world.service.start(PLAN, 'physics-ubuntu', form({ labName: 'other-lab' }), requester));
    expect([error.key, error.params.operationId]).toEqual(['operation.busy', first.id]);
    expect(world.vault.size).toBe(1);
  });
});

describe('running createLab', () => {
  it('creates the lab on the lab plan from the image definition, reports and audits it once, and forgets the password', async () => {
    const op = await world.service.start(PLAN, 'physics-win11', form(), requester);
    const runner = world.runner();
    const done = await runner.run(op.id);
    expect(done).toMatchObject({ status: 'succeeded', step: 'verify', progress: { labCreatedNow: true, labName: 'thermo-301', labTitle: 'Thermodynamics 301', labState: 'Succeeded' } });

    const lab = state().labs.get(labId(PLAN, 'thermo-301'));
    expect(lab).toMatchObject({ hostId: PLAN, provisioningState: 'Succeeded', location: 'westus2' });
    expect(lab?.properties).toMatchObject({
      labPlanId: PLAN,
      title: 'Thermodynamics 301',
      virtualMachineProfile: {
        imageReference: { id: expect.stringMatching(/\/galleries\/physics_gallery\/images\/physics-win11$/i) },
        sku: { name: 'Classic_Fsv2_2_4GB_128_S_SSD', capacity: 25 },
        usageQuota: 'PT12H',
        adminUser: { username: 'labteacher', password: PASSWORD },
      },
    });
    expect(world.calls('labs.createOrUpdate')).toBe(1);

    await runner.run(op.id);
    expect(world.reports.map((r) => r.id)).toEqual([op.id]);
    expect(operationReport(world.reports[0]!)).toEqual({
      kind: 'text',
      text: '✅ Lab **Thermodynamics 301** (thermo-301) is ready on **physics-plan**, built from **physics-win11**. Set up its template VM in the Azure Lab Services portal.',
    });
    const audit = await world.audit.recent(10);
    expect(audit).toEqual([expect.objectContaining({ command: 'createLab', target: labId(PLAN, 'thermo-301'), outcome: 'succeeded', detail: 'image=physics-win11 size=Classic_Fsv2_2_4GB_128_S_SSD' })]);
    expect(world.vault.size).toBe(0);
    expect(await persistedText()).not.toContain(PASSWORD);
  });

  it('creates the lab on the lab account from its shared image', async () => {
    attachSharedToAccount();
    const op = await world.service.start(ACCOUNT, 'win11-office', form({ vmSize: 'standard', labName: 'office-basics', title: 'Office basics' }), { ...requester, locale: 'fr-FR' });
    const done = await world.runner().run(op.id);
    expect(done).toMatchObject({ status: 'succeeded', target: labId(ACCOUNT, 'office-basics') });
    expect(done?.target.toLowerCase()).toBe(`${ACCOUNT}/labs/office-basics`.toLowerCase());

    const lab = state().labs.get(`${ACCOUNT}/labs/office-basics`);
    expect(lab).toMatchObject({ hostKind: 'labAccount', provisioningState: 'Succeeded' });
    // api 2018-10-15 (issue 13): the image and size are on the lab's environment setting, capacity came by a PUT after createLab.
    expect(lab?.properties).toMatchObject({ maxUsersInLab: 25, usageQuota: 'PT12H' });
    expect(lab?.environmentSetting?.resourceSettings).toMatchObject({ galleryImageResourceId: `${DEMO_IDS.sharedImagesGalleryId}/images/win11-office`, size: 'Standard' });
    expect(world.calls('labAccounts.createLab')).toBe(1);
    expect(world.calls('labAccountLabs.createOrUpdate')).toBe(1);
    expect(world.reports).toHaveLength(1);
    expect(operationReport(world.reports[0]!)).toMatchObject({ text: expect.stringContaining('Le labo **Office basics** (office-basics) est prêt sur **chemistry-account**') });
    expect(await world.audit.recent(10)).toEqual([expect.objectContaining({ command: 'createLab', outcome: 'succeeded', detail: 'image=win11-office size=Standard' })]);
    expect(world.vault.size).toBe(0);
    expect(await persistedText()).not.toContain(PASSWORD);
  });

  it('a crash between "Azure created it" and "step recorded" does not create a second lab, even with the password gone', async () => {
    const op = await world.service.start(PLAN, 'physics-win11', form(), requester);
    await expect(world.runner({ operations: new CrashingStore(world.operations, 'createLab') }).run(op.id)).rejects.toThrow('the process died here');
    expect(state().labs.get(labId(PLAN, 'thermo-301'))).toBeDefined();
    await expect(world.operations.get(op.id)).resolves.toMatchObject({ status: 'running', step: '' });

    world.azure.emulator.clearRequestLog();
    const restarted = world.runner({ secrets: new SecretVault() });
    expect(await restarted.resumeAll()).toEqual([op.id]);
    expect(await restarted.drain(5000)).toBe(true);
    await expect(world.operations.get(op.id)).resolves.toMatchObject({ status: 'succeeded', progress: { labCreatedNow: false, labName: 'thermo-301' } });
    expect(world.calls('labs.createOrUpdate')).toBe(0);
    expect(state().labs.list({ hostKind: 'labPlan' }).filter((l) => l.name === 'thermo-301')).toHaveLength(1);
    expect(world.reports).toHaveLength(1);
    expect(await world.audit.recent(10)).toHaveLength(1);
  });

  it('after a restart before the lab step, fails clearly and creates nothing rather than a lab without a password', async () => {
    const op = await world.service.start(PLAN, 'physics-win11', form(), requester);
    world.azure.emulator.clearRequestLog();
    const done = await world.runner({ secrets: new SecretVault() }).run(op.id);
    expect(done).toMatchObject({ status: 'failed', step: '', error: { key: 'lab.passwordLost', params: { lab: 'thermo-301', host: DEMO_NAMES.labPlan } } });
    expect(state().labs.get(labId(PLAN, 'thermo-301'))).toBeUndefined();
    expect(writes()).toEqual([]);
    expect(operationReport(world.reports[0]!)).toMatchObject({ text: expect.stringContaining('The bot restarted before lab **thermo-301** was created') });
    expect(await world.audit.recent(10)).toEqual([expect.objectContaining({ command: 'createLab', outcome: 'failed', detail: 'lab.passwordLost' })]);
  });

  it('a runner given no vault fails the same way', async () => {
    const op = await world.service.start(PLAN, 'physics-win11', form(), requester);
    await expect(world.runner({ secrets: undefined }).run(op.id)).resolves.toMatchObject({ status: 'failed', error: { key: 'lab.passwordLost' } });
    expect(state().labs.get(labId(PLAN, 'thermo-301'))).toBeUndefined();
  });

  it('an ARM refusal of the lab PUT fails the operation with its key and code, says what to do, and drops the password', async () => {
    world.azure.emulator.faults.add({ method: 'PUT', path: /\/providers\/Microsoft\.LabServices\/labs\/thermo-301$/i, status: 400, code: 'InvalidParameter' });
    const op = await world.service.start(PLAN, 'physics-win11', form(), requester);
    const done = await world.runner().run(op.id);
    expect(done).toMatchObject({ status: 'failed', step: '', error: { key: 'azure.badRequest', code: 'InvalidParameter' } });
    expect(state().labs.get(labId(PLAN, 'thermo-301'))).toBeUndefined();
    const text = (operationReport(world.reports[0]!) as { text: string }).text;
    expect(text).toMatch(/^❌ Creating lab \*\*thermo-301\*\* from \*\*physics-win11\*\* on \*\*physics-plan\*\* failed\. Azure rejected the request for .*\. Nothing else was changed: once the cause is fixed, start again from the image\. \(Reference: corr-1\)$/);
    expect(await world.audit.recent(10)).toEqual([expect.objectContaining({ outcome: 'failed', detail: expect.stringMatching(/^InvalidParameter arm-correlation=/) })]);
    expect(world.vault.size).toBe(0);
    expect(await persistedText()).not.toContain(PASSWORD);
  });

  it('a lab creation Azure accepts but ends Failed fails the operation', async () => {
    world.azure.emulator.faults.add({ method: 'PUT', path: /\/labs\/thermo-301$/i, failOperation: true });
    const op = await world.service.start(PLAN, 'physics-win11', form(), requester);
    await expect(world.runner().run(op.id)).resolves.toMatchObject({ status: 'failed', step: '', error: { key: 'azure.operationFailed' } });
    expect(state().labs.get(labId(PLAN, 'thermo-301'))?.provisioningState).toBe('Failed');
    expect(world.vault.size).toBe(0);
  });

  it('does not take over a lab of the same name made from another image in the meantime', async () => {
    const op = await world.service.start(PLAN, 'physics-win11', form(), requester);
    state().addLab({ hostId: PLAN, name: 'thermo-301', imageId: `${PHYSICS}/images/physics-ubuntu` });
    world.azure.emulator.clearRequestLog();
    await expect(world.runner().run(op.id)).resolves.toMatchObject({ status: 'failed', error: { key: 'lab.nameTaken' } });
    expect(writes()).toEqual([]);
  });

  it('waits while Azure still shows the lab Creating, then reports it ready', async () => {
    const op = await world.service.start(PLAN, 'physics-win11', form(), requester);
    const { galleries, roles, servicePrincipals } = world.azure.setup.gateways;
    const labHosts = new SlowLabHosts(world.azure.setup.gateways.labHosts, 'thermo-301', 3);
    const done = await world.runner({ gateways: { labHosts, galleries, roles, servicePrincipals } }).run(op.id);
    expect(done).toMatchObject({ status: 'succeeded', progress: { labState: 'Succeeded' } });
    expect(labHosts.lists).toBeGreaterThan(3);
    expect(world.calls('labs.createOrUpdate')).toBe(1);
  });
});

describe('createLab records', () => {
  it('a record carrying a password is refused before it is journaled', () => {
    expect(() => checkOperationInput('createLab', PLAN, labId(PLAN, 'x'), { adminPassword: PASSWORD })).toThrow(/never carry the password/);
  });

  it('a record whose target is not the lab it names is refused', () => {
    const params = { name: 'x', title: 'X', imageName: 'i', imageId: '/i', imageDefinitionId: '', vmSize: 'Basic', capacity: 1, usageQuotaHours: 0, adminUsername: 'u' };
    expect(() => checkOperationInput('createLab', PLAN, labId(PLAN, 'x'), params)).not.toThrow();
    expect(() => checkOperationInput('createLab', PLAN, labId(PLAN, 'y'), params)).toThrow(/target/);
    expect(() => checkOperationInput('createLab', PLAN, labId(PLAN, 'x'), { ...params, capacity: '1' })).toThrow(/capacity/);
  });
});
