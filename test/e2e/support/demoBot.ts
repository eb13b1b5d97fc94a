import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startApp, type RunningApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';

export interface DemoBot {
  app: RunningApp;
  /** What the Playground posts activities to. */
  messagesEndpoint: string;
  /** The in-process ARM emulator (its `/_admin/*` endpoints answer loopback callers). */
  emulatorUrl: string;
  close(): Promise<void>;
}

/**
 * The bot in demo mode, in this process: a temporary DATA_DIR, a free port on 127.0.0.1, the seeded ARM emulator.
 * Its JSON logs go to `logFile`, so a failing run can be read afterwards.
 */
export async function startDemoBot(logFile: string, env: Record<string, string> = {}): Promise<DemoBot> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-e2e-'));
  const logStream = fs.createWriteStream(logFile, { flags: 'a' });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...env });
  const app = await startApp(config, { log: createLogger({ level: config.log.level, format: 'json', destination: logStream }) });
  return {
    app,
    messagesEndpoint: `${app.server.url}/api/messages`,
    emulatorUrl: app.azure.endpoint,
    async close() {
      try {
        await app.close();
      } finally {
        await new Promise<void>((resolve) => logStream.end(resolve));
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
