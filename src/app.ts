import { ConversationState } from 'botbuilder';
import { setUpAzure, type AzureSetup } from './azureSetup';
import { LabGalleryBot } from './bot/labGalleryBot';
import { createCommandRegistry } from './commands';
import { CommandDispatcher } from './commands/dispatcher';
import type { CommandServices } from './commands/services';
import type { Config } from './config';
import { CachedLabHostGateway } from './core/cachedLabHostGateway';
import { ConfigAccessPolicy } from './core/configAccessPolicy';
import { ConversationDirectory } from './core/conversationDirectory';
import { GatewayHostDirectory } from './core/gatewayHostDirectory';
import { HighestRoleAccessPolicy } from './core/highestRoleAccessPolicy';
import { RbacAccessPolicy } from './core/rbacAccessPolicy';
import type { AccessPolicy } from './ports/accessPolicy';
import { systemClock, type Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import { startServer, type RunningServer } from './server';
import {
  openSqliteDatabase,
  SqliteAuditLog,
  SqliteBindingStore,
  SqliteBotStorage,
  SqliteConversationRefStore,
  type SqliteDatabase,
} from './storage/sqlite';

/** A host read is reused this long by status and role checks; mutations drop it at once. */
const HOST_CACHE_MS = 60_000;

export interface BotParts {
  db: SqliteDatabase;
  azure: AzureSetup;
  access: Config['access'];
  clock: Clock;
  log: Logger;
}

export interface BuiltBot {
  bot: LabGalleryBot;
  services: CommandServices;
  policy: AccessPolicy;
}

/** Wires the bot over storage and Azure. Shared by startApp and the bot-level tests. */
export function buildBot({ db, azure, access, clock, log }: BotParts): BuiltBot {
  const { gateways } = azure;
  const labHosts = new CachedLabHostGateway(gateways.labHosts, clock, HOST_CACHE_MS);
  const services: CommandServices = {
    bindings: new SqliteBindingStore(db),
    audit: new SqliteAuditLog(db),
    clock,
    hosts: new GatewayHostDirectory(labHosts),
    labHosts,
    locations: gateways.locations,
  };
  const policy = new HighestRoleAccessPolicy(
    [
      new ConfigAccessPolicy(access),
      new RbacAccessPolicy(gateways.roles, clock, { ttlMs: access.roleCacheTtlSeconds * 1000, logger: log }),
    ],
    (error) => log.warn({ err: error }, 'role source failed; counted as member'),
  );
  const bot = new LabGalleryBot({
    dispatcher: new CommandDispatcher(createCommandRegistry(), services, policy),
    conversations: new ConversationDirectory(new SqliteConversationRefStore(db), services.bindings, clock, () => azure.defaultHostId),
    conversationState: new ConversationState(new SqliteBotStorage(db)),
    log,
  });
  return { bot, services, policy };
}

export interface AppOptions {
  log: Logger;
  clock?: Clock;
  /** Tests hand in their own emulator and gateways; otherwise built from the configuration. */
  azure?: AzureSetup;
}

export interface RunningApp {
  server: RunningServer;
  services: CommandServices;
  azure: AzureSetup;
  /** Stops accepting, lets turns in flight finish, closes storage (and the demo emulator). Idempotent. */
  close(): Promise<void>;
}

/** Builds everything from the configuration and starts listening. */
export async function startApp(config: Config, options: AppOptions): Promise<RunningApp> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  const db = openSqliteDatabase({ dataDir: config.dataDir, clock });
  if (db.migrationsApplied.length) log.info({ versions: db.migrationsApplied, file: db.filePath }, 'database migrated');
  let azure: AzureSetup | undefined;
  const ownsAzure = !options.azure;

  try {
    azure = options.azure ?? (await setUpAzure(config, clock, log));
    const { gateways } = azure;
    const { bot, services } = buildBot({ db, azure, access: config.access, clock, log });
    const server = await startServer(
      {
        bot,
        botFramework: config.botFramework,
        log,
        readiness: [
          { name: 'storage', check: async () => db.ping() },
          { name: 'azure', check: async () => (await gateways.locations.listRegions()).length > 0 },
        ],
      },
      config.port,
      config.host,
    );

    const setup = azure;
    let closing: Promise<void> | undefined;
    return {
      server,
      services,
      azure: setup,
      close() {
        closing ??= (async () => {
          await server.close(config.shutdownTimeoutSeconds * 1000);
          db.close();
          if (ownsAzure) await setup.close();
          log.info('stopped');
        })();
        return closing;
      },
    };
  } catch (error) {
    db.close();
    if (azure && ownsAzure) await azure.close();
    throw error;
  }
}
