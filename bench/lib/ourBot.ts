import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startApp, type AppOptions } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { RunningBot } from './echoBot';

/** The Entra object id the benchmark's messages come from; configured as an admin so `help` lists everything. */
export const BENCH_ADMIN_ID = '00000000-0000-0000-0000-00000000be01';

export interface OurBotOptions {
  telemetry?: AppOptions['telemetry'];
  /** DATABASE_URL: PostgreSQL instead of the SQLite file in the data dir. */
  databaseUrl?: string;
}

/**
 * The Lab Gallery bot exactly as index.ts would start it, on a loopback port with a throw-away data dir
 * and a silent logger. Whatever else startApp starts (e.g. a demo emulator) is stopped by its close().
 */
export async function startOurBot({ telemetry, databaseUrl }: OurBotOptions = {}): Promise<RunningBot> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-bench-'));
  const removeDataDir = (): void => fs.rmSync(dataDir, { recursive: true, force: true });
  try {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      ADMIN_AAD_OBJECT_IDS: BENCH_ADMIN_ID,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    });
    const app = await startApp(config, { log: createLogger({ level: 'silent', format: 'json' }), ...(telemetry ? { telemetry } : {}) });
    return {
      url: app.server.url,
      close: async () => {
        try {
          await app.close();
        } finally {
          removeDataDir();
        }
      },
    };
  } catch (error) {
    removeDataDir();
    throw error;
  }
}
