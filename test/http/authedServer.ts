import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TurnContext } from 'botbuilder';
import { PasswordServiceClientCredentialFactory, TokenCredentials, type ServiceClientCredentials } from 'botframework-connector';
import { buildBot } from '../../src/app';
import type { BotFrameworkSettings } from '../../src/config';
import { createAdapter, startServer, type RunningServer } from '../../src/server';
import { openSqliteDatabase } from '../../src/storage/sqlite';
import { startDemoAzure, type DemoAzure } from '../support/azureHarness';
import { ADMIN, TEACHER } from '../support/identities';
import { memoryLogger } from '../support/memoryLogger';
import { RecordingNotifier } from '../support/recordingNotifier';
import { CHANNEL_ISSUER } from './tokenAuthority';

export const APP_ID = '0b1e5a4c-1d2f-4a6b-9c8d-7e6f5a4b3c2d';
export const APP_PASSWORD = 'app-password-for-tests';
export const OUTBOUND_TOKEN = 'outbound-token-for-tests';

/** The real password factory for every inbound check; only the outbound token comes without Entra ID. */
class LocalCredentialsFactory extends PasswordServiceClientCredentialFactory {
  override async createCredentials(): Promise<ServiceClientCredentials> {
    return new TokenCredentials(OUTBOUND_TOKEN);
  }
}

export interface AuthedServer {
  server: RunningServer;
  azure: DemoAzure;
  log: ReturnType<typeof memoryLogger>;
  /** Activities that reached the bot (a turn ran). */
  turns: Partial<TurnContext['activity']>[];
  close(): Promise<void>;
}

/** The real server and bot with app credentials set, authenticating against `metadataUrl`. */
export async function startAuthedServer(metadataUrl: string, options: { appId?: string } = {}): Promise<AuthedServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-auth-'));
  const azure = await startDemoAzure({ owners: [ADMIN], teachers: [TEACHER] });
  const db = openSqliteDatabase({ dataDir, clock: azure.clock });
  const log = memoryLogger();
  const appId = options.appId ?? APP_ID;
  const settings: BotFrameworkSettings = {
    appId,
    appPassword: APP_PASSWORD,
    appType: 'MultiTenant',
    appTenantId: '',
    endpoints: { openIdMetadataUrl: metadataUrl, tokenIssuer: CHANNEL_ISSUER, emulatorOpenIdMetadataUrl: metadataUrl },
  };
  const adapter = createAdapter(settings, log, { credentialsFactory: new LocalCredentialsFactory(appId, APP_PASSWORD) });
  const turns: AuthedServer['turns'] = [];
  adapter.use({
    onTurn: async (context, next) => {
      turns.push(context.activity);
      await next();
    },
  });
  const access = { adminIds: [], teacherIds: [], roleCacheTtlSeconds: 300 };
  const { bot, runner } = buildBot({ db, azure: azure.setup, access, clock: azure.clock, log, notifier: new RecordingNotifier() });
  const server = await startServer({ adapter, bot, log, readiness: [] }, 0, '127.0.0.1');
  return {
    server,
    azure,
    log,
    turns,
    close: async () => {
      await server.close(2000);
      await runner.drain(2000);
      db.close();
      await azure.emulator.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
