import { ConversationState } from 'botbuilder';
import { LabGalleryBot } from './bot/labGalleryBot';
import { createCommandRegistry } from './commands';
import { CommandDispatcher } from './commands/dispatcher';
import type { CommandServices } from './commands/services';
import type { Config } from './config';
import { ConfigAccessPolicy } from './core/configAccessPolicy';
import { ConversationDirectory } from './core/conversationDirectory';
import { HighestRoleAccessPolicy } from './core/highestRoleAccessPolicy';
import { ArmIdHostDirectory } from './core/hostDirectory';
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
} from './storage/sqlite';

export interface AppOptions {
  log: Logger;
  clock?: Clock;
}

export interface RunningApp {
  server: RunningServer;
  services: CommandServices;
  /** Stops accepting, lets turns in flight finish, closes storage. Idempotent. */
  close(): Promise<void>;
}

/** Builds everything from the configuration and starts listening. The only place that wires layers together. */
export async function startApp(config: Config, options: AppOptions): Promise<RunningApp> {
  const { log } = options;
  const clock = options.clock ?? systemClock;

  const db = openSqliteDatabase({ dataDir: config.dataDir, clock });
  if (db.migrationsApplied.length) log.info({ versions: db.migrationsApplied, file: db.filePath }, 'database migrated');

  try {
    const services: CommandServices = {
      bindings: new SqliteBindingStore(db),
      audit: new SqliteAuditLog(db),
      clock,
      hosts: new ArmIdHostDirectory(),
    };
    const policies: AccessPolicy[] = [new ConfigAccessPolicy(config.access)];
    const policy = new HighestRoleAccessPolicy(policies, (error) => log.warn({ err: error }, 'role source failed; counted as member'));
    const conversations = new ConversationDirectory(
      new SqliteConversationRefStore(db),
      services.bindings,
      clock,
      () => config.defaultLabHost,
    );
    const bot = new LabGalleryBot({
      dispatcher: new CommandDispatcher(createCommandRegistry(), services, policy),
      conversations,
      conversationState: new ConversationState(new SqliteBotStorage(db)),
      log,
    });
    const server = await startServer(
      { bot, botFramework: config.botFramework, log, readiness: [{ name: 'storage', check: async () => db.ping() }] },
      config.port,
      config.host,
    );

    let closing: Promise<void> | undefined;
    return {
      server,
      services,
      close() {
        closing ??= (async () => {
          await server.close(config.shutdownTimeoutSeconds * 1000);
          db.close();
          log.info('stopped');
        })();
        return closing;
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
