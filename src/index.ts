import 'dotenv/config';
import { ConfigError, loadConfig } from './config';
import { startApp } from './app';
import { createLogger } from './logger';

/** Composition root: the only reader of process.env. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.log);
  const app = await startApp(config, { log });

  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Lab Gallery Bot failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
