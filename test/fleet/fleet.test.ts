import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_IDS, seedDemo, startEmulator, type RunningEmulator } from '../../src/emulator';
import { TRACKER_LEASE } from '../../src/replication/trackerLease';
import { startCaptureConnector, teamsMessage, type CaptureConnector } from '../support/captureConnector';
import { fleetClock } from '../support/fleetClock';
import { pidOf, startFleet, until, type BotProcess, type Fleet } from '../support/fleet';

/**
 * Issue 15: two and three bot processes on one PostgreSQL database behind a round-robin front, one emulator (in
 * this process) for all. Leases last 1.5 s here (production: 15 s), so takeovers happen within a few seconds;
 * simulated time runs 120× (the emulator and every tracker read the same simulated now).
 * The processes are started once; the cases run in order on them, and each SIGKILL leaves fewer.
 */
const ADMIN = '00000000-0000-0000-0000-00000000ad01';
const TIME_SCALE = 120;
const CASE_TIMEOUT_MS = 120_000;
const PLAN_UPDATE = /\/labPlans\/physics-plan$/i;
const REGIONS = ['westus2', 'eastus', 'westus3'];

interface Tap {
  url: string;
  /** Holds the first request matching until `release()`; resolves once it has arrived. */
  hold(method: string, path: RegExp): Promise<void>;
  release(): void;
  close(): Promise<void>;
}

/** Between the bots and the emulator: lets a test keep one request in the air while it kills the bot that sent it. */
async function startTap(emulatorUrl: string): Promise<Tap> {
  const upstream = new URL(emulatorUrl);
  let holding: { method: string; path: RegExp; arrived: () => void } | undefined;
  let held: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const forward = (body: Buffer) => {
      const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(body);
    };
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const pathOnly = (req.url ?? '').split('?')[0] ?? '';
      if (holding && req.method === holding.method && holding.path.test(pathOnly)) {
        const { arrived } = holding;
        holding = undefined;
        held.push(() => forward(Buffer.concat(chunks)));
        arrived();
        return;
      }
      forward(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold: (method, path) => new Promise<void>((arrived) => (holding = { method, path, arrived })),
    release: () => {
      for (const go of held) go();
      held = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let fleet: Fleet;
let emulator: RunningEmulator;
let tap: Tap;
let connector: CaptureConnector;
let botEnv: Record<string, string>;
const said = new Set<string>();
const CONVERSATIONS = ['fleet-channel-1', 'fleet-channel-2'];

beforeAll(async () => {
  const origin = Date.now();
  emulator = await startEmulator({ retryAfterSeconds: 0, clock: fleetClock(origin, TIME_SCALE), seed: (state) => void seedDemo(state, { ownerPrincipalIds: [ADMIN], teacherPrincipalIds: [] }) });
  tap = await startTap(emulator.url);
  connector = await startCaptureConnector();
  fleet = await startFleet();
  botEnv = {
    CRASH_EMULATOR_URL: tap.url,
    CRASH_FACADE_ORIGIN: emulator.facadeOrigin,
    CRASH_SUBSCRIPTION_ID: emulator.subscriptionId,
    CRASH_DEFAULT_HOST_ID: DEMO_IDS.labPlanId,
    CRASH_TIME_SCALE: String(TIME_SCALE),
    CRASH_CLOCK_ORIGIN: String(origin),
    LEASE_SECONDS: '1.5',
    REPLICATION_SCAN_SECONDS: '120',
  };
  await Promise.all([1, 2, 3].map(() => fleet.start(botEnv)));
  // A first message binds each channel to the lab plan and stores its reference (through the front: any instance).
  for (const conversationId of CONVERSATIONS) await say(fleet.frontUrl, conversationId, 'status');
}, CASE_TIMEOUT_MS);

afterAll(async () => {
  tap?.release();
  await fleet?.close();
  await tap?.close();
  await connector?.close();
  await emulator?.close();
});

async function post(url: string, activity: Record<string, unknown>): Promise<void> {
  said.add(String(activity.id));
  const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity), signal: AbortSignal.timeout(20_000) });
  expect(response.status).toBe(200);
}

async function say(url: string, conversationId: string, text: string): Promise<void> {
  await post(url, teamsMessage(connector.url, text, { aadObjectId: ADMIN, conversationId }));
}

/** The proposal card's Confirm button, as Teams posts it. */
function confirmClick(conversationId: string, confirmationId: string): Record<string, unknown> {
  return { ...teamsMessage(connector.url, '', { aadObjectId: ADMIN, conversationId }), value: { verb: 'confirm', confirmationId, answer: 'yes' } };
}

const textOf = (activity: Record<string, unknown>) => (typeof activity.text === 'string' && activity.text !== '' ? activity.text : String(activity.summary ?? ''));
/**
 * New proactive messages: not replies to a message the test sent, nor updates in place (PUTs to the id the
 * connector gave the card, activity-N). A proactive post answers the continuation activity botbuilder makes up.
 */
const proactive = (conversationId: string) =>
  connector.received
    .filter((a) => a.conversationId === conversationId && !said.has(a.replyToId ?? '') && !(a.replyToId ?? '').startsWith('activity-'))
    .map((a) => textOf(a.activity));

/**
 * What each message of the conversation says in the end: every post (the connector numbers them activity-N in
 * arrival order, updates included), as its last update in place left it. An operation's report updates its card.
 */
const outcomes = (conversationId: string) => {
  const byId = new Map<string, string>();
  connector.received.forEach((a, i) => {
    if (a.conversationId !== conversationId) return;
    byId.set(a.method === 'PUT' ? (a.replyToId ?? '') : `activity-${i + 1}`, textOf(a.activity));
  });
  return [...byId.values()];
};

const alive = () => fleet.bots.filter((b) => b.alive());
const botOfInstance = (instance: string | null | undefined): BotProcess | undefined => fleet.bots.find((b) => b.pid === pidOf(instance));

async function leaseHolder(): Promise<{ holder: string | null; token: number } | undefined> {
  const [row] = await fleet.query<{ holder: string | null; token: number }>('SELECT holder, token FROM leases WHERE name = $1', [TRACKER_LEASE]);
  return row;
}

describe('three bot processes on one PostgreSQL database (issue 15)', () => {
  it('a replication: the tracker instance is SIGKILLed half way, another takes over; each channel gets one progress card and one announcement', async () => {
    await until('one instance holds the tracker lease', async () => Boolean((await leaseHolder())?.holder));
    const first = (await leaseHolder())!;
    const leader = botOfInstance(first.holder);
    expect(leader?.alive()).toBe(true);

    const published = await fetch(`${emulator.url}/_admin/imageVersions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ galleryId: DEMO_IDS.physicsGalleryId, definition: 'physics-win11', version: '9.0.0', regions: REGIONS, replicationDurationMs: 2 * 60 * 60_000 }),
    });
    expect(published.status).toBe(201);
    const versionId = ((await published.json()) as { id: string }).id;
    const isCard = (t: string) => t.startsWith('Replication of physics-win11 9.0.0');
    const isAnnouncement = (t: string) => /physics-win11\*\* 9\.0\.0 is replicated to all 3 regions/.test(t);
    await until('both channels have the progress card', () => CONVERSATIONS.every((c) => proactive(c).some(isCard)));
    // Killed once the cards are recorded as delivered: a kill between a post and its record would post it again
    // (Teams has no idempotency key; the outbox's crash cases test that), which is not what this case is about.
    await until('the outbox has recorded the cards', async () => (await fleet.query("SELECT 1 FROM outbox WHERE status = 'pending'")).length === 0);
    expect(await fleet.query("SELECT status FROM replication_watches WHERE version_id ILIKE '%/9.0.0'")).toEqual([{ status: 'watching' }]);

    await leader!.kill('SIGKILL');
    await until('another instance holds the lease', async () => {
      const now = await leaseHolder();
      return now !== undefined && now.token > first.token && botOfInstance(now.holder)?.alive() === true;
    });
    // The replication, far from done (2 h), finishes once another tracker holds the lease: however slow the machine,
    // the kill comes half way, and the case waits for no simulated hours. The new tracker reads it at its next poll.
    for (const region of REGIONS) emulator.state.galleries.setReplication(versionId, region, { durationMs: 0 });
    await until('both channels have the announcement', () => CONVERSATIONS.every((c) => proactive(c).some(isAnnouncement)), 60_000);
    await until('the watch is settled and nothing is left to send', async () => {
      const [counts] = await fleet.query<{ unsettled: number; pending: number }>(
        "SELECT (SELECT count(*) FROM replication_watches WHERE unsettled)::int AS unsettled, (SELECT count(*) FROM outbox WHERE status = 'pending')::int AS pending",
      );
      return counts?.unsettled === 0 && counts.pending === 0;
    });
    for (const conversationId of CONVERSATIONS) {
      expect(proactive(conversationId).filter(isCard)).toHaveLength(1);
      expect(proactive(conversationId).filter(isAnnouncement)).toHaveLength(1);
    }
  }, CASE_TIMEOUT_MS);

  it('a detach confirmed on two instances at once starts one operation; its instance is SIGKILLed mid-operation and a survivor finishes and reports it once', async () => {
    expect(alive()).toHaveLength(2);
    // The next case's bot loads its code meanwhile.
    fleet.preload();
    const conversationId = CONVERSATIONS[0]!;
    await say(alive()[0]!.url, conversationId, 'detach');
    const [proposal] = await fleet.query<{ id: string }>("SELECT id FROM confirmations WHERE action = 'detach' AND used_at IS NULL");
    expect(proposal).toBeDefined();

    const held = tap.hold('PATCH', PLAN_UPDATE);
    await Promise.all(alive().map((bot) => post(bot.url, confirmClick(conversationId, proposal!.id))));
    await held;
    const ops = await fleet.query<{ id: string; owner: string }>("SELECT id, owner FROM operations WHERE kind = 'detach'");
    expect(ops).toHaveLength(1);
    const owner = botOfInstance(ops[0]!.owner);
    expect(owner?.alive()).toBe(true);
    await owner!.kill('SIGKILL');
    tap.release();

    await until('the detach is finished and reported', async () => {
      const [op] = await fleet.query<{ status: string; reported_at: number | null }>('SELECT status, reported_at FROM operations WHERE id = $1', [ops[0]!.id]);
      return op?.status === 'succeeded' && op.reported_at !== null;
    });
    await until('its report is delivered', () => outcomes(conversationId).some((t) => /was detached/i.test(t)));
    await until('nothing is left to send', async () => (await fleet.query("SELECT 1 FROM outbox WHERE status = 'pending'")).length === 0);
    expect(outcomes(conversationId).filter((t) => /was detached/i.test(t))).toHaveLength(1);
    expect(await fleet.query("SELECT outcome FROM audit_log WHERE command = 'detach'")).toEqual([{ outcome: 'succeeded' }]);
    expect(emulator.state.labPlans.get(DEMO_IDS.labPlanId)?.sharedGalleryId).toBeUndefined();
  }, CASE_TIMEOUT_MS);

  it('an attach whose instance is SIGKILLed mid-operation is finished by a survivor and reported once', async () => {
    await fleet.start(botEnv);
    expect(alive()).toHaveLength(2);
    fleet.preload();
    const conversationId = CONVERSATIONS[1]!;
    await say(alive()[0]!.url, conversationId, 'attach shared_images');
    const [proposal] = await fleet.query<{ id: string }>("SELECT id FROM confirmations WHERE action = 'attach' AND used_at IS NULL");
    expect(proposal).toBeDefined();

    const held = tap.hold('PATCH', PLAN_UPDATE);
    await Promise.all(alive().map((bot) => post(bot.url, confirmClick(conversationId, proposal!.id))));
    await held;
    const ops = await fleet.query<{ id: string; owner: string }>("SELECT id, owner FROM operations WHERE kind = 'attach'");
    expect(ops).toHaveLength(1);
    const owner = botOfInstance(ops[0]!.owner);
    await owner!.kill('SIGKILL');
    tap.release();

    await until('the attach is finished and reported', async () => {
      const [op] = await fleet.query<{ status: string; reported_at: number | null }>('SELECT status, reported_at FROM operations WHERE id = $1', [ops[0]!.id]);
      return op?.status === 'succeeded' && op.reported_at !== null;
    });
    const attached = (t: string) => /is now attached to/.test(t);
    await until('its report is delivered', () => outcomes(conversationId).some(attached));
    await until('nothing is left to send', async () => (await fleet.query("SELECT 1 FROM outbox WHERE status = 'pending'")).length === 0);
    expect(outcomes(conversationId).filter(attached)).toHaveLength(1);
    expect(await fleet.query("SELECT outcome FROM audit_log WHERE command = 'attach'")).toEqual([{ outcome: 'succeeded' }]);
    expect(emulator.state.labPlans.get(DEMO_IDS.labPlanId)?.sharedGalleryId?.toLowerCase()).toBe(DEMO_IDS.sharedImagesGalleryId.toLowerCase());
  }, CASE_TIMEOUT_MS);

  it('SIGTERM: the instance hands its lease and claims back at once, and another runs the tracker', async () => {
    await fleet.start(botEnv);
    expect(alive()).toHaveLength(2);
    await until('a live instance holds the tracker lease', async () => botOfInstance((await leaseHolder())?.holder)?.alive() === true);
    const before = (await leaseHolder())!;
    const leader = botOfInstance(before.holder)!;
    expect(await leader.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(leader.log()).toContain('replication lease released');
    const after = await leaseHolder();
    // Released (no holder), or already taken by the survivor: never left to expire under the stopped instance's name.
    expect(after?.holder === null || (after!.token > before.token && botOfInstance(after!.holder)?.alive() === true)).toBe(true);
    expect(await fleet.query('SELECT id FROM operations WHERE owner = $1', [before.holder])).toEqual([]);
    await until('the survivor runs the tracker', async () => botOfInstance((await leaseHolder())?.holder)?.alive() === true);
  }, CASE_TIMEOUT_MS);
});
