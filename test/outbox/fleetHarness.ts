import { randomBytes } from 'node:crypto';
import { BotConnectorTransport } from '../../src/bot/botConnectorTransport';
import { Outbox, teamsRateLimits, type OutboxOptions } from '../../src/outbox';
import type { Clock } from '../../src/ports/clock';
import type { ConversationTransport } from '../../src/ports/conversationTransport';
import { createAdapter } from '../../src/server';
import { openPostgresDatabase, postgresBackend, type PostgresDatabase, type PostgresMigration, type StorageBackend } from '../../src/storage';
import { memoryLogger } from '../support/memoryLogger';
import { adminQuery, databaseUrl, TEMPLATE_DATABASE, testPostgresUrl } from '../support/postgresServer';
import type { FakeBotConnector } from '../support/fakeBotConnector';
import { FAST_RETRY } from './outboxHarness';

/** One bot instance as far as the outbox goes: its own pool on the shared database, its own outbox. */
export interface FleetInstance {
  name: string;
  db: PostgresDatabase;
  backend: StorageBackend;
  outbox: Outbox;
  /** Requests this instance sent (send or update), in order. */
  sent: string[];
  log: ReturnType<typeof memoryLogger>;
}

/** A database of its own on the test server (cloned from the migrated template), dropped by `drop`. */
export async function createFleetDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = await testPostgresUrl();
  const name = `lgb_fleet_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  return {
    url: databaseUrl(adminUrl, name),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Opens an instance over the connector: the database's limiter (the fleet's), a claim and a rescan on `clock`. */
export async function openFleetInstance(
  name: string,
  url: string,
  clock: Clock,
  overrides: Partial<OutboxOptions> & { migrations?: readonly PostgresMigration[] } = {},
): Promise<FleetInstance> {
  const { migrations, ...outboxOverrides } = overrides;
  const db = await openPostgresDatabase({ url, clock, maxConnections: 4, ...(migrations ? { migrations } : {}) });
  const backend = postgresBackend(db);
  const log = memoryLogger();
  const adapter = createAdapter({ appId: '', appPassword: '', appType: 'MultiTenant', appTenantId: '' }, log);
  const real = new BotConnectorTransport(adapter, '', backend.conversationRefs, { timeoutMs: 5_000 });
  const sent: string[] = [];
  const transport: ConversationTransport = {
    send: (conversationId, message) => {
      sent.push(conversationId);
      return real.send(conversationId, message);
    },
    update: (conversationId, activityId, message) => {
      sent.push(conversationId);
      return real.update(conversationId, activityId, message);
    },
  };
  const outbox = new Outbox({
    store: backend.outbox,
    transport,
    refs: backend.conversationRefs,
    clock,
    logger: log,
    retry: FAST_RETRY,
    limiter: backend.outboxRateLimiter(teamsRateLimits),
    refsShareStore: true,
    fleet: { instanceId: name, rescanEveryMs: 1_000 },
    ...outboxOverrides,
  });
  return { name, db, backend, outbox, sent, log };
}

/** A reference whose serviceUrl is the fake connector. */
export async function addConversation(backend: StorageBackend, connector: FakeBotConnector, conversationId: string, tenantId: string): Promise<void> {
  await backend.conversationRefs.upsert({
    conversationId,
    tenantId,
    reference: {
      channelId: 'msteams',
      serviceUrl: connector.url,
      conversation: { id: conversationId, conversationType: 'channel', tenantId },
      bot: { id: 'bot-1', name: 'Lab Gallery' },
    },
  });
}

/** Lines logged at warn or above, for "ran without errors". */
export function problems(instance: FleetInstance): Record<string, unknown>[] {
  return instance.log.lines.filter((line) => line.level === 'error' || line.level === 'fatal' || line.level === 'warn');
}
