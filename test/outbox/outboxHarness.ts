import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BotConnectorTransport } from '../../src/bot/botConnectorTransport';
import { Outbox, type OutboxOptions } from '../../src/outbox';
import { ScaledClock, systemClock } from '../../src/ports/clock';
import type { OutgoingMessage } from '../../src/ports/notifier';
import { createAdapter } from '../../src/server';
import { SqliteConversationRefStore, SqliteOutboxStore, type SqliteDatabase } from '../../src/storage/sqlite';
import { memoryLogger } from '../support/memoryLogger';
import { startFakeBotConnector, type FakeBotConnector, type FakeBotConnectorOptions } from '../support/fakeBotConnector';
import { openMigratedSqlite } from '../support/migratedSqlite';

export const text = (t: string): OutgoingMessage => ({ kind: 'text', text: t });

/** Retries in milliseconds rather than seconds, so that fault tests stay fast. */
export const FAST_RETRY: OutboxOptions['retry'] = { baseBackoffMs: 5, maxBackoffMs: 40 };

export type OutboxOverrides = Partial<Omit<OutboxOptions, 'store' | 'transport' | 'refs' | 'clock' | 'logger'>>;

export interface OutboxHarness {
  connector: FakeBotConnector;
  db: SqliteDatabase;
  refs: SqliteConversationRefStore;
  store: SqliteOutboxStore;
  log: ReturnType<typeof memoryLogger>;
  outbox: Outbox;
  transport: BotConnectorTransport;
  /** Stores a reference whose serviceUrl is the fake connector (with an activityId, as a turn would leave it). */
  addConversation(conversationId: string, tenantId?: string): Promise<void>;
  /** Stops the outbox, closes the database, and opens a new outbox over the same file. */
  restart(overrides?: OutboxOverrides): Promise<Outbox>;
  /** Resolves once nothing is pending in the store. */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /**
   * The outbox (and the fake connector) run on time this many times faster than real time: rate windows of
   * seconds pass in a fraction of one. The transport's request timeout stays on real time.
   */
  timeScale?: number;
}

/**
 * Outbox → BotConnectorTransport → the real CloudAdapter (no auth) → the fake Bot Connector over loopback,
 * with a real SQLite file. The outbox is not started: tests queue first when they need to.
 */
export async function createOutboxHarness(
  overrides: OutboxOverrides = {},
  connectorOptions: FakeBotConnectorOptions = {},
  options: HarnessOptions = {},
): Promise<OutboxHarness> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lgb-outbox-'));
  // One clock for the outbox's rate windows and the fake connector's: both see the same time, however scaled.
  const clock = options.timeScale ? new ScaledClock(systemClock, options.timeScale) : systemClock;
  const connector = await startFakeBotConnector({ now: () => clock.now(), ...connectorOptions });
  const log = memoryLogger();
  const adapter = createAdapter({ appId: '', appPassword: '', appType: 'MultiTenant', appTenantId: '' }, log);

  const open = (options: OutboxOverrides) => {
    const db = openMigratedSqlite({ dataDir, clock });
    const refs = new SqliteConversationRefStore(db);
    const store = new SqliteOutboxStore(db);
    const transport = new BotConnectorTransport(adapter, '', refs, { timeoutMs: 5_000 });
    const outbox = new Outbox({ store, transport, refs, clock: db.clock, logger: log, retry: FAST_RETRY, ...options });
    return { db, refs, store, outbox, transport };
  };

  let current = open(overrides);
  const harness: OutboxHarness = {
    connector,
    log,
    get db() {
      return current.db;
    },
    get refs() {
      return current.refs;
    },
    get store() {
      return current.store;
    },
    get outbox() {
      return current.outbox;
    },
    get transport() {
      return current.transport;
    },
    async addConversation(conversationId, tenantId = 'tenant-1') {
      await current.refs.upsert({
        conversationId,
        tenantId,
        reference: {
          channelId: 'msteams',
          serviceUrl: connector.url,
          activityId: `incoming-in-${conversationId}`,
          conversation: { id: conversationId, conversationType: 'personal', tenantId },
          bot: { id: 'bot-1', name: 'Lab Gallery' },
          user: { id: 'user-1', name: 'Test User' },
        },
      });
    },
    async restart(next = overrides) {
      await current.outbox.stop();
      current.db.close();
      current = open(next);
      return current.outbox;
    },
    async settled(timeoutMs = 10_000) {
      for (const started = Date.now(); (await current.store.pendingConversations()).length > 0; ) {
        if (Date.now() - started > timeoutMs) throw new Error(`outbox still has pending messages after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      await current.outbox.stop();
      current.db.close();
      await connector.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
