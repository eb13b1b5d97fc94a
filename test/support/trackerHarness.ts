import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createArmConnection } from '../../src/azure/armConnection';
import { createAzureGateways } from '../../src/azure/createAzureGateways';
import { CachedLabHostGateway } from '../../src/core/cachedLabHostGateway';
import { DEMO_IDS, seedDemo, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator';
import { ManualClock } from '../../src/ports/clock';
import type { ConversationNotifier, OutgoingMessage, SendOptions } from '../../src/ports/notifier';
import { GalleryScanner } from '../../src/replication/galleryScanner';
import { ReadBudget } from '../../src/replication/readBudget';
import { ReplicationAudience } from '../../src/replication/replicationAudience';
import { ReplicationTracker, type TrackerDeps } from '../../src/replication/replicationTracker';
import {
  SqliteBindingStore,
  SqliteConversationRefStore,
  SqliteReplicationWatchStore,
  type SqliteDatabase,
} from '../../src/storage/sqlite';
import { memoryLogger } from './memoryLogger';
import { openMigratedSqlite } from './migratedSqlite';

/** What the tracker queued, with the (manual) time it was queued at. */
export interface Queued {
  at: number;
  conversationId: string;
  key: string;
  kind: 'send' | 'update';
  message: OutgoingMessage;
}

/** The outbox as the tracker sees it, remembering keys across tracker restarts like the real one. */
export class TimedNotifier implements ConversationNotifier {
  readonly queued: Queued[] = [];
  constructor(private readonly clock: ManualClock) {}

  async send(conversationId: string, message: OutgoingMessage, options: SendOptions = {}): Promise<boolean> {
    const key = options.key ?? `k${this.queued.length}`;
    if (this.queued.some((q) => q.kind === 'send' && q.key === key)) return false;
    this.queued.push({ at: this.clock.now(), conversationId, key, kind: 'send', message });
    return true;
  }

  async update(conversationId: string, key: string, message: OutgoingMessage): Promise<void> {
    this.queued.push({ at: this.clock.now(), conversationId, key, kind: 'update', message });
  }

  async adopt(conversationId: string, key: string, _activityId: string, message: OutgoingMessage): Promise<boolean> {
    if (this.queued.some((q) => q.kind === 'send' && q.key === key)) return false;
    this.queued.push({ at: this.clock.now(), conversationId, key, kind: 'send', message });
    return true;
  }

  announcements(): Queued[] {
    return this.queued.filter((q) => q.kind === 'send' && q.key.includes(':announce:'));
  }

  cards(): Queued[] {
    return this.queued.filter((q) => q.key.includes(':card:'));
  }
}

export interface TrackerWorld {
  clock: ManualClock;
  emulator: RunningEmulator;
  db: SqliteDatabase;
  dataDir: string;
  notifier: TimedNotifier;
  bindings: SqliteBindingStore;
  refs: SqliteConversationRefStore;
  budget: ReadBudget;
  tracker: ReplicationTracker;
  logs: Record<string, unknown>[];
  /** A tracker as after a restart: new memory, the same database, clock, notifier and budget. */
  restart(): ReplicationTracker;
  /** Ticks, jumping the clock to each wake-up, until `until` returns true or `maxMs` of clock time passed. */
  runUntil(until: () => boolean, maxMs: number): Promise<void>;
  /** GETs of image versions with their replication status so far. */
  statusReads(): number;
  close(): Promise<void>;
}

export const BOUND_CONVERSATION = 'channel-physics';

/**
 * The tracker over the demo world in an ARM emulator on a manual clock: the real SDK adapters (no SDK
 * retries, like production), SQLite stores in a temp dir, one conversation bound to the lab plan.
 */
export async function startTrackerWorld(
  options: { emulator?: EmulatorOptions; tracker?: Partial<TrackerDeps>; readsPerHour?: number; scanIntervalMs?: number } = {},
): Promise<TrackerWorld> {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0));
  const emulator = await startEmulator({ clock, retryAfterSeconds: 0, seed: (state) => seedDemo(state, { ownerPrincipalIds: [], teacherPrincipalIds: [] }), ...options.emulator });
  const connection = createArmConnection(
    { mode: 'emulator', subscriptionId: emulator.subscriptionId, emulatorUrl: emulator.url, facadeOrigin: emulator.facadeOrigin },
    { pollIntervalMs: 5, settleTimeoutMs: 2000, retryOptions: { maxRetries: 0 } },
  );
  const gateways = createAzureGateways(connection, { clock });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-tracker-'));
  const db = openMigratedSqlite({ dataDir, clock });
  const bindings = new SqliteBindingStore(db);
  const refs = new SqliteConversationRefStore(db);
  await bindings.put({ conversationId: BOUND_CONVERSATION, hostId: DEMO_IDS.labPlanId, boundBy: 'test', boundAt: clock.now() });
  await refs.upsert({ conversationId: BOUND_CONVERSATION, reference: { locale: 'en-US', conversation: { id: BOUND_CONVERSATION } } });
  const notifier = new TimedNotifier(clock);
  const budget = new ReadBudget(clock, { readsPerHour: options.readsPerHour ?? 9000 });
  const logs: Record<string, unknown>[] = [];
  const labHosts = new CachedLabHostGateway(gateways.labHosts, clock, 60_000);
  const watches = new SqliteReplicationWatchStore(db, clock);
  const build = () =>
    new ReplicationTracker({
      watches,
      galleries: gateways.galleries,
      scanner: new GalleryScanner({ bindings, labHosts, galleries: gateways.galleries, watches, onRead: () => budget.spend() }),
      audience: new ReplicationAudience(bindings, refs),
      locations: gateways.locations,
      geographyMatch: 'geography',
      notifier,
      budget,
      clock,
      logger: memoryLogger(logs),
      scanIntervalMs: options.scanIntervalMs ?? 300_000,
      random: () => 0.5,
      ...options.tracker,
    });
  const world: TrackerWorld = {
    clock,
    emulator,
    db,
    dataDir,
    notifier,
    bindings,
    refs,
    budget,
    tracker: build(),
    logs,
    restart() {
      world.tracker = build();
      return world.tracker;
    },
    async runUntil(until, maxMs) {
      const end = clock.now() + maxMs;
      while (!until() && clock.now() < end) {
        const next = await world.tracker.tick();
        clock.set(Math.min(end, Math.max(clock.now() + 1, next)));
      }
    },
    statusReads: () => emulator.requestLog.filter((r) => r.method === 'GET' && /\/versions\/[^/]+$/i.test(r.path) && r.query.$expand === 'ReplicationStatus').length,
    async close() {
      await world.tracker.stop();
      db.close();
      await emulator.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}
