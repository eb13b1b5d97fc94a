import type { CapturedActivity } from '../support/captureConnector';
import { visibleText } from '../support/visibleText';
import type { ChildProcessByStdio } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import Database from 'better-sqlite3';
import {
  BUILT_IN_ROLES,
  DEMO_IDS,
  DEMO_NAMES,
  PLAYGROUND_USERS,
  STATE_FILE_NAME,
  DEMO_SERVICE_PRINCIPALS,
  seedDemo,
  startEmulator,
  type FaultSpec,
  type RunningEmulator,
} from '../../src/emulator';
import { crashBotArgs } from '../support/botBundle';
import { loadCrashBot, startLoadedBot, type Exit, type LoadedBot } from '../support/crashBotProcess';
import { startCaptureConnector, teamsMessage, type CaptureConnector } from '../support/captureConnector';

/**
 * Issue 4: an attach is started in a bot running in a child process (crashBot.ts), the process is SIGKILLed
 * while the operation is in flight, a new process starts on the same SQLite file, and the operation must be
 * done exactly once in Azure, reported to the conversation, and audited exactly once.
 *
 * The emulator and the capture connector (the stand-in Bot Connector) live in this process and outlive the
 * bots. Between a bot and the emulator sits a tap that notes when a request has fully arrived: the
 * emulator's own request log gets an entry only once it has answered, too late to crash "mid-call".
 * The tap holds the request the bot is to die in until the test lets it go (after the kill), so no real-time
 * margin decides whether the bot dies in time. The bot runs from a bundle shared by the run (test/support/botBundle.ts), and
 * each bot process is started while the case before runs (it waits for its settings on stdin).
 */

const ADMIN = '00000000-0000-0000-0000-00000000ad01';
/**
 * Ceilings, not waits: two bot processes start per case, and on a shared 2-core machine under load a start
 * alone can take 20 s. Nothing here depends on timing; a passing case takes a few seconds.
 */
const CASE_TIMEOUT_MS = 150_000;
let crashBot: string[] = [];

beforeAll(() => {
  crashBot = crashBotArgs();
  // The first bot loads while the first case sets its world up.
  spare = spawnSpare();
});

afterAll(async () => {
  await stopSpare();
});
const attachedReport = (hostName: string) => new RegExp(`^✅ \\*\\*shared_images\\*\\* is now attached to \\*\\*${hostName}\\*\\*`);

// --- the world a bot runs in -------------------------------------------------------------------------

interface TapEntry {
  method: string;
  path: string;
}

/** The first request matching is held at the tap, unforwarded, until `release()`. */
interface Hold {
  method: string;
  path: RegExp;
}

interface ArmTap {
  url: string;
  /** Requests whose body has fully arrived, in order (path without the query). */
  arrived: TapEntry[];
  hold(hold: Hold): void;
  /** Forwards the held request (if it came); a killed bot's request is still answered, into the void. */
  release(): void;
  close(): Promise<void>;
}

/** Forwards everything to the emulator and notes arrivals. A killed bot's requests are still answered, into the void. */
async function startArmTap(emulatorUrl: string): Promise<ArmTap> {
  const upstream = new URL(emulatorUrl);
  const agent = new http.Agent({ keepAlive: false });
  const arrived: TapEntry[] = [];
  let hold: Hold | undefined;
  let held: (() => void) | undefined;
  let released = false;
  const server = http.createServer((req, res) => {
    const entry = { method: req.method ?? '', path: (req.url ?? '').split('?')[0] ?? '' };
    if (hold && !held && !released && entry.method === hold.method && hold.path.test(entry.path)) {
      held = () => undefined;
      // The body is read in full (so the request has "reached Azure"), then replayed when released.
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        arrived.push(entry);
        held = () => forward(req, res).end(Buffer.concat(chunks));
        if (released) held();
      });
      return;
    }
    req.on('end', () => arrived.push(entry));
    req.pipe(forward(req, res));
  });
  /** The upstream request for `req`, its answer piped back into `res`; the caller writes the body. */
  const forward = (req: http.IncomingMessage, res: http.ServerResponse): http.ClientRequest => {
    const upstreamRequest = http.request(
      { agent, host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstreamRequest.on('error', () => res.destroy());
    return upstreamRequest;
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrived,
    hold: (next) => {
      hold = next;
    },
    release: () => {
      if (released) return;
      released = true;
      held?.();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}

interface World {
  emulator: RunningEmulator;
  tap: ArmTap;
  connector: CaptureConnector;
  dataDir: string;
  /** Ids of the activities the test sent to a bot. */
  said: Set<string>;
  /** What the bot sent while answering a message (replies, cards it replaced in place). */
  inTurn?: Set<CapturedActivity>;
}

const worlds: World[] = [];

async function startWorld(options: { lroPolls?: number; planWithoutGallery?: boolean; connectorDelayMs?: number } = {}): Promise<World> {
  const emulator = await startEmulator({
    retryAfterSeconds: 0,
    ...(options.lroPolls !== undefined ? { lroPolls: options.lroPolls } : {}),
    seed: (state) => {
      const ids = seedDemo(state, { ownerPrincipalIds: [ADMIN], teacherPrincipalIds: [] });
      if (options.planWithoutGallery) state.labPlans.setGallery(ids.labPlanId, undefined);
    },
  });
  const world: World = {
    emulator,
    tap: await startArmTap(emulator.url),
    connector: await startCaptureConnector(options.connectorDelayMs ? { delayMs: options.connectorDelayMs } : {}),
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-crash-')),
    said: new Set(),
  };
  worlds.push(world);
  return world;
}

// --- the bot in a child process ------------------------------------------------------------------------

interface BotProcess {
  url: string;
  /** What it has logged so far (pino JSON lines on stderr). */
  log(): string;
  kill(signal: NodeJS.Signals): Promise<Exit>;
}

async function startBot(world: World, defaultHostId: string, timeoutMs = 60_000): Promise<BotProcess> {
  return spawnBot(
    {
      DATA_DIR: world.dataDir,
      CRASH_EMULATOR_URL: world.tap.url,
      CRASH_FACADE_ORIGIN: world.emulator.facadeOrigin,
      CRASH_SUBSCRIPTION_ID: world.emulator.subscriptionId,
      CRASH_DEFAULT_HOST_ID: defaultHostId,
    },
    { timeoutMs },
  );
}

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

const children = new Map<Child, Promise<Exit>>();

/** The next bot, loaded ahead of time: loading the packages is most of a start, and it overlaps the case before. */
let spare: LoadedBot | undefined;

const spawnSpare = (): LoadedBot => loadCrashBot(crashBot);

async function stopSpare(): Promise<void> {
  const last = spare;
  spare = undefined;
  if (!last) return;
  last.child.kill('SIGKILL');
  await within(10_000, last.ended, 'the spare bot did not die');
}

/**
 * The bot with its env; without CRASH_EMULATOR_URL it runs the demo's emulator in its own process. `last`: no
 * start follows in this file, so no spare is loaded for nothing.
 */
async function spawnBot(env: Record<string, string>, { timeoutMs = 60_000, last = false } = {}): Promise<BotProcess> {
  const loaded = spare ?? spawnSpare();
  const { child, ended, output } = loaded;
  spare = last ? undefined : spawnSpare();
  children.set(child, ended);
  void ended.then(() => children.delete(child));
  const url = await startLoadedBot(loaded, env, timeoutMs);

  return {
    url,
    log: () => output.stderr,
    kill: async (signal) => {
      child.kill(signal);
      return within(10_000, ended, `bot did not exit on ${signal}`);
    },
  };
}

/** Says `text` as the admin and returns what the bot answered in the turn. */
async function say(world: Pick<World, 'connector' | 'said' | 'inTurn'>, bot: BotProcess, conversationId: string, text: string, aadObjectId = ADMIN): Promise<string[]> {
  const activity = teamsMessage(world.connector.url, text, { aadObjectId, conversationId });
  world.said.add(String(activity.id));
  const before = world.connector.received.length;
  const response = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
    signal: AbortSignal.timeout(10_000),
  });
  expect(response.status).toBe(200);
  // Its replies, and the cards it replaced in place (an answered proposal becomes the operation's card).
  const answer = world.connector.received.slice(before).filter((a) => a.conversationId === conversationId && (a.method === 'PUT' || a.replyToId === activity.id));
  world.inTurn ??= new Set();
  for (const a of answer) world.inTurn.add(a);
  return answer.map((a) => textOf(a.activity));
}

/**
 * What the bot told the conversation outside of a turn: new messages, and each card's last update. A proactive
 * message is a reply too, but to the continuation activity botbuilder makes up, never to a message the test sent.
 */
function posted(world: Pick<World, 'connector' | 'said' | 'inTurn'>, conversationId: string): string[] {
  const told = world.connector.received
    // The attached gallery's replications have their own cards (the replication tracker's, tested elsewhere).
    .filter((a) => a.conversationId === conversationId && !world.inTurn?.has(a) && !world.said.has(a.replyToId ?? '') && !String(a.activity.summary ?? '').startsWith('Replication of'));
  const lastUpdate = new Map(told.filter((a) => a.method === 'PUT').map((a) => [a.replyToId, a]));
  return told.filter((a) => a.method === 'POST' || lastUpdate.get(a.replyToId) === a).map((a) => textOf(a.activity));
}

/** The text, or for a card what it shows. */
const textOf = (activity: Record<string, unknown>) => visibleText(activity);

// --- what the bot left on disk -------------------------------------------------------------------------

interface JournalRow {
  id: string;
  kind: string;
  status: string;
  step: string;
  attempts: number;
  reportedAt: number | null;
}

interface AuditRow {
  command: string;
  outcome: string;
  target: string;
}

function readDatabase<T>(world: Pick<World, 'dataDir'>, query: (db: Database.Database) => T): T {
  const db = new Database(path.join(world.dataDir, 'bot.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

const journal = (world: Pick<World, 'dataDir'>) =>
  readDatabase(world, (db) =>
    db.prepare('SELECT id, kind, status, step, attempts, reported_at AS reportedAt FROM operations ORDER BY created_at').all() as JournalRow[],
  );

const auditOf = (world: Pick<World, 'dataDir'>, command: string) =>
  readDatabase(world, (db) => db.prepare('SELECT command, outcome, target FROM audit_log WHERE command = ? ORDER BY seq').all(command) as AuditRow[]);

// --- waiting, bounded ----------------------------------------------------------------------------------

function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} (after ${ms} ms)`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function until(what: string, reached: () => boolean, timeoutMs = 10_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!reached()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(everyMs);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- the scenario --------------------------------------------------------------------------------------

interface CrashCase {
  hostId: string;
  hostName: string;
  conversationId: string;
  /** Added before `yes`: what Azure answers the held request. */
  fault?: FaultSpec;
  /** Set before `yes`: the request the bot is to die in, held at the tap until the bot is dead. */
  hold?: Hold;
  /** Let the held request go once `yes` has been answered, rather than after the kill. */
  releaseAfterTurn?: boolean;
  crashPoint: { what: string; reached: (world: World) => boolean };
  /** Between the crash and the restart. */
  afterCrash?: (world: World) => Promise<void>;
}

interface CrashRun {
  hostName: string;
  atCrash: JournalRow[];
  postedBeforeRestart: string[];
  resumedLog: string;
  posted: string[];
  journal: JournalRow[];
  audit: AuditRow[];
}

/** attach shared_images → yes → SIGKILL at the crash point → restart on the same data → stop once reported. */
async function attachCrashAndResume(world: World, c: CrashCase): Promise<CrashRun> {
  const first = await startBot(world, c.hostId);
  const [proposal] = await say(world, first, c.conversationId, 'attach shared_images');
  expect(proposal).toContain(`Attach shared_images to ${c.hostName}?`);
  if (c.fault) world.emulator.faults.add(c.fault);
  if (c.hold) world.tap.hold(c.hold);
  const [started] = await say(world, first, c.conversationId, 'yes');
  expect(started).toContain(`Attaching **shared_images** to **${c.hostName}**`);
  if (c.releaseAfterTurn) world.tap.release();

  await until(c.crashPoint.what, () => c.crashPoint.reached(world));
  expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
  world.tap.release();
  const atCrash = journal(world);
  const postedBeforeRestart = posted(world, c.conversationId);
  await c.afterCrash?.(world);

  const second = await startBot(world, c.hostId);
  const reported = () => journal(world).every((op) => op.status !== 'running' && op.reportedAt !== null);
  await until('the journal says the outcome was reported', reported, 90_000, 50).catch((error: unknown) => {
    throw new Error(`${String(error)}; the restarted bot logged:\n${second.log()}`);
  });
  // A graceful stop drains the runner and the outbox: once it has exited, no second report can still come.
  expect(await second.kill('SIGTERM')).toEqual({ code: 0, signal: null });

  return {
    hostName: c.hostName,
    atCrash,
    postedBeforeRestart,
    resumedLog: second.log(),
    posted: posted(world, c.conversationId),
    journal: journal(world),
    audit: auditOf(world, 'attach'),
  };
}

/** The user was told once, the change audited once, and the journal has nothing left to resume. */
function expectDoneOnce(run: CrashRun, recordedStep: string): void {
  expect(run.atCrash).toEqual([expect.objectContaining({ kind: 'attach', status: 'running', step: recordedStep, attempts: 1, reportedAt: null })]);
  expect(run.postedBeforeRestart).toEqual([]);
  const operationId = run.atCrash[0]?.id ?? '';
  expect(run.resumedLog).toContain('resumed unfinished operations');
  expect(run.resumedLog).toContain(operationId);

  expect(run.posted).toEqual([expect.stringMatching(attachedReport(run.hostName))]);
  expect(run.audit).toEqual([expect.objectContaining({ command: 'attach', outcome: 'succeeded' })]);
  expect(run.journal).toEqual([
    expect.objectContaining({ id: operationId, status: 'succeeded', step: 'verify', attempts: 2, reportedAt: expect.any(Number) }),
  ]);
}

// --- Azure as the emulator has it ----------------------------------------------------------------------

const SHARED = DEMO_IDS.sharedImagesGalleryId.toLowerCase();

/** Statuses of the writes matching `method` and `pathPattern` that the emulator answered, in order. */
const answered = (world: World, method: string, pathPattern: RegExp) =>
  world.emulator.requestLog.filter((e) => e.method === method && pathPattern.test(e.path)).map((e) => e.status);

const succeeded = (status: number) => status >= 200 && status < 300;

const ACCOUNT_ATTACH = /\/labaccounts\/chemistry-account\/sharedGalleries\/shared_images$/i;
const PLAN_UPDATE = /\/labPlans\/physics-plan$/i;

const rolesOnShared = (world: World, principalId: string, roleGuid: string) =>
  world.emulator.state.roles.at(DEMO_IDS.sharedImagesGalleryId).filter((a) => a.principalId === principalId && a.roleDefinitionGuid === roleGuid);

// --- the tests -----------------------------------------------------------------------------------------

describe('an attach whose bot process is killed mid-operation (issue 4)', () => {
  afterEach(async () => {
    for (const [child, ended] of children) {
      child.kill('SIGKILL');
      await within(10_000, ended, 'a bot did not die');
    }
    for (const world of worlds.splice(0)) {
      await world.tap.close();
      await world.connector.close();
      await world.emulator.close();
      fs.rmSync(world.dataDir, { recursive: true, force: true });
    }
  });

  it('killed while the attach request is in flight and before Azure applied it: the restart attaches once and tells once', async () => {
    const world = await startWorld();
    const run = await attachCrashAndResume(world, {
      hostId: DEMO_IDS.labAccountId,
      hostName: 'chemistry-account',
      conversationId: 'crash-before-applied',
      // The request is lost to Azure: held, then refused without effect.
      hold: { method: 'PUT', path: ACCOUNT_ATTACH },
      fault: { method: 'PUT', path: ACCOUNT_ATTACH, status: 500, times: 1 },
      crashPoint: { what: 'the attach PUT has reached Azure', reached: (w) => w.tap.arrived.some((e) => e.method === 'PUT' && ACCOUNT_ATTACH.test(e.path)) },
      afterCrash: async (w) => {
        await until('Azure answered the dead bot', () => answered(w, 'PUT', ACCOUNT_ATTACH).length === 1);
        expect(w.emulator.state.labAccounts.get(DEMO_IDS.labAccountId)?.sharedGallery).toBeUndefined();
      },
    });

    expectDoneOnce(run, '');
    expect(world.emulator.state.labAccounts.get(DEMO_IDS.labAccountId)?.sharedGallery?.galleryId.toLowerCase()).toBe(SHARED);
    expect(answered(world, 'PUT', ACCOUNT_ATTACH)).toEqual([500, 201]);
    expect(rolesOnShared(world, DEMO_SERVICE_PRINCIPALS.labAccount.objectId, BUILT_IN_ROLES.contributor.guid)).toHaveLength(1);
  }, CASE_TIMEOUT_MS);

  it('killed after Azure applied the attach but before the journal recorded it: the restart does not attach again and tells once', async () => {
    const world = await startWorld();
    const run = await attachCrashAndResume(world, {
      hostId: DEMO_IDS.labAccountId,
      hostName: 'chemistry-account',
      conversationId: 'crash-after-applied',
      // The read-back right after the PUT is held, so the step cannot be recorded before the kill.
      hold: { method: 'GET', path: ACCOUNT_ATTACH },
      crashPoint: { what: 'Azure has applied the attach', reached: (w) => answered(w, 'PUT', ACCOUNT_ATTACH).includes(201) },
      afterCrash: async (w) => {
        expect(w.emulator.state.labAccounts.get(DEMO_IDS.labAccountId)?.sharedGallery?.galleryId.toLowerCase()).toBe(SHARED);
      },
    });

    expectDoneOnce(run, '');
    expect(world.emulator.state.labAccounts.get(DEMO_IDS.labAccountId)?.sharedGallery?.galleryId.toLowerCase()).toBe(SHARED);
    expect(answered(world, 'PUT', ACCOUNT_ATTACH)).toEqual([201]);
    expect(rolesOnShared(world, DEMO_SERVICE_PRINCIPALS.labAccount.objectId, BUILT_IN_ROLES.contributor.guid)).toHaveLength(1);
  }, CASE_TIMEOUT_MS);

  // A lab plan PATCH answers 200 at once (recorded; no LRO to be killed in): the bot dies while Azure holds the
  // update, which it applies after the kill.
  it('killed while Azure applies the lab plan update (answered 200 at once, into the void): the restart does not update again, tells once', async () => {
    const world = await startWorld({ planWithoutGallery: true });
    const run = await attachCrashAndResume(world, {
      hostId: DEMO_IDS.labPlanId,
      hostName: 'physics-plan',
      conversationId: 'crash-during-plan-update',
      hold: { method: 'PATCH', path: PLAN_UPDATE },
      crashPoint: { what: 'the lab plan update has reached Azure', reached: (w) => w.tap.arrived.some((e) => e.method === 'PATCH' && PLAN_UPDATE.test(e.path)) },
      afterCrash: async (w) => {
        await until('Azure has applied the held update', () => w.emulator.state.labPlans.get(DEMO_IDS.labPlanId)?.sharedGalleryId !== undefined);
      },
    });

    expectDoneOnce(run, 'grantOwner');
    expect(world.emulator.state.labPlans.get(DEMO_IDS.labPlanId)?.sharedGalleryId?.toLowerCase()).toBe(SHARED);
    expect(answered(world, 'PATCH', PLAN_UPDATE).filter(succeeded)).toEqual([200]);
    expect(rolesOnShared(world, DEMO_SERVICE_PRINCIPALS.labPlan.objectId, BUILT_IN_ROLES.owner.guid)).toHaveLength(1);
  }, CASE_TIMEOUT_MS);

  // The report is queued in the outbox (and the operation marked reported) before it is delivered; a crash
  // during delivery leaves it pending there, and the next start delivers it again.
  it('killed while the report is being delivered: the outbox delivers it again after the restart, audited once', async () => {
    // The connector holds every answer, so the bot is still waiting for it when the report has been delivered;
    // the verify step's image list is held so that the report goes out well after the turn has been answered.
    const world = await startWorld({ connectorDelayMs: 300 });
    const conversationId = 'crash-while-reporting';
    const run = await attachCrashAndResume(world, {
      hostId: DEMO_IDS.labAccountId,
      hostName: 'chemistry-account',
      conversationId,
      hold: { method: 'GET', path: /\/labaccounts\/chemistry-account\/sharedImages$/i },
      releaseAfterTurn: true,
      crashPoint: { what: 'the report has reached the connector', reached: (w) => posted(w, conversationId).length > 0 },
    });

    expect(run.atCrash).toEqual([expect.objectContaining({ status: 'succeeded', step: 'verify', attempts: 1, reportedAt: expect.any(Number) })]);
    expect(run.postedBeforeRestart).toEqual([expect.stringMatching(attachedReport('chemistry-account'))]);
    // The dead bot cannot know its report arrived, so telling again is the price of never telling nobody.
    expect(run.posted.length).toBeLessThanOrEqual(2);
    for (const text of run.posted) expect(text).toMatch(attachedReport('chemistry-account'));
    expect(run.journal).toEqual([expect.objectContaining({ status: 'succeeded', attempts: 1, reportedAt: expect.any(Number) })]);
    // The audit log is ours, though: one change, one entry.
    expect(run.audit).toEqual([expect.objectContaining({ command: 'attach', outcome: 'succeeded' })]);
    expect(answered(world, 'PUT', ACCOUNT_ATTACH)).toEqual([201]);
  }, CASE_TIMEOUT_MS);
});

/**
 * Issue 13: the demo's emulator runs inside the bot process, so a crash takes "Azure" down with it. It keeps its
 * state in DATA_DIR: the restarted bot finds the gallery its dead predecessor was creating, and the resumed
 * create reports success rather than a failure against a freshly seeded Azure that never heard of it.
 */
describe('the demo killed mid-create and restarted on the same DATA_DIR', () => {
  const dirs: string[] = [];
  const connectors: CaptureConnector[] = [];

  afterEach(async () => {
    for (const [child, ended] of children) {
      child.kill('SIGKILL');
      await within(10_000, ended, 'a bot did not die');
    }
    for (const connector of connectors.splice(0)) await connector.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('resumes the create against the Azure it left and reports success once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-crash-demo-'));
    dirs.push(dataDir);
    const connector = await startCaptureConnector();
    connectors.push(connector);
    const world = { connector, said: new Set<string>(), dataDir };
    const stateFile = path.join(dataDir, STATE_FILE_NAME);
    const env = { DATA_DIR: dataDir, CRASH_DEFAULT_HOST_ID: DEMO_NAMES.labAccount };
    const admin = PLAYGROUND_USERS.currentUser;
    const conversationId = 'crash-demo-create';

    const first = await spawnBot(env);
    // Killed once the journal has the gallery created (the attach is under way): a freshly seeded Azure would
    // not have that gallery, and the resumed attach would fail. The attach is held in the demo's emulator (a
    // latency fault on its PUT, kept in memory only: the restarted bot's emulator has none), so that the bot cannot
    // get past it however slowly the test sees the journal, and the emulator (which saves its state 100 ms after a
    // change) has time to save the gallery.
    const emulatorUrl = /"emulator":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(first.log())?.[1];
    if (!emulatorUrl) throw new Error(`the demo bot did not log its emulator's URL:\n${first.log()}`);
    const hold = await fetch(`${emulatorUrl}/_admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'PUT', path: '/labaccounts/chemistry-account/sharedGalleries/chem_crash$', latencyMs: CASE_TIMEOUT_MS, times: 1 }),
    });
    expect(hold.status).toBe(201);
    const [proposal] = await say(world, first, conversationId, 'create chem_crash', admin);
    expect(proposal).toContain('Create chem_crash and attach it to chemistry-account?');
    const [started] = await say(world, first, conversationId, 'yes', admin);
    expect(started).toContain('Creating **chem_crash** and attaching it to **chemistry-account**');
    const azureSaved = () => fs.existsSync(stateFile) && fs.readFileSync(stateFile, 'utf8').includes('/galleries/chem_crash');
    await until('the journal has recorded the gallery as created, and the emulator has saved it', () => journal(world)[0]?.step === 'createGallery' && azureSaved(), 30_000, 20);
    expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const atCrash = journal(world);
    expect(atCrash).toEqual([expect.objectContaining({ kind: 'createAndAttach', status: 'running', step: 'createGallery', reportedAt: null })]);
    expect(fs.readFileSync(stateFile, 'utf8')).toContain('/galleries/chem_crash');

    const second = await spawnBot(env, { last: true });
    await until('the journal says the outcome was reported', () => journal(world).every((op) => op.status !== 'running' && op.reportedAt !== null), 90_000, 50).catch((error: unknown) => {
      throw new Error(`${String(error)}; the restarted bot logged:\n${second.log()}`);
    });
    expect(await second.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(posted(world, conversationId)).toEqual([expect.stringMatching(/^✅ \*\*chem_crash\*\* was created and attached to \*\*chemistry-account\*\*\./)]);
    expect(second.log()).toContain('resumed unfinished operations');
    expect(second.log()).toMatch(/"restored":true/);
    expect(journal(world)).toEqual([expect.objectContaining({ id: atCrash[0]?.id, kind: 'createAndAttach', status: 'succeeded', reportedAt: expect.any(Number) })]);

    // The Azure the bot left behind, as the next start will find it.
    const azure = await startEmulator({ stateFile, throttle: false });
    try {
      const galleryId = `/subscriptions/${DEMO_IDS.subscriptionId}/resourceGroups/${DEMO_NAMES.resourceGroup}/providers/Microsoft.Compute/galleries/chem_crash`;
      expect(azure.state.galleries.gallery(galleryId)?.provisioningState).toBe('Succeeded');
      expect(azure.state.labAccounts.get(DEMO_IDS.labAccountId)?.sharedGallery?.galleryId.toLowerCase()).toBe(galleryId.toLowerCase());
    } finally {
      await azure.close();
    }
  }, CASE_TIMEOUT_MS);
});
