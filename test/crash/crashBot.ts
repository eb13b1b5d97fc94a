/**
 * The real app in a child process, for the crash test: Azure is an ARM emulator the parent runs, storage a
 * SQLite file in DATA_DIR, the port free. Prints `{"listening":"http://127.0.0.1:PORT"}` on stdout once
 * startApp has returned (so resumeAll has launched what the journal left); logs go to stderr.
 * SIGTERM closes the app gracefully; the test SIGKILLs it to crash it.
 * env: CRASH_EMULATOR_URL, CRASH_FACADE_ORIGIN, CRASH_SUBSCRIPTION_ID, CRASH_DEFAULT_HOST_ID, DATA_DIR, LOG_LEVEL?,
 * CRASH_SETTINGS_ON_STDIN? (then the others may come later, on stdin).
 * Several instances (test/fleet): DATABASE_URL, LEASE_SECONDS, REPLICATION_SCAN_SECONDS, and CRASH_TIME_SCALE with
 * CRASH_CLOCK_ORIGIN: the tracker reads the parent emulator's simulated time (fleetClock), the same in every process.
 * Without CRASH_EMULATOR_URL it is the demo: the emulator runs in this process and keeps its state in DATA_DIR
 * (it dies with the bot and comes back with the same Azure); CRASH_DEFAULT_HOST_ID is then the DEFAULT_LAB_HOST.
 */
import pino from 'pino';
import { startApp } from '../../src/app';
import { createArmConnection } from '../../src/azure/armConnection';
import { createAzureGateways } from '../../src/azure/createAzureGateways';
import type { AzureSetup } from '../../src/azureSetup';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { systemClock, type Clock } from '../../src/ports/clock';
import { fleetClock } from '../support/fleetClock';

/**
 * The bot's retry waits (the runner looks at a busy resource again every 2 s) run this many times faster than
 * real time, so a case waits out a lab plan update in a fraction of a second. Deadlines and the time read stay
 * real: a drain or a delivery is given as long as in production.
 */
const SLEEP_SCALE = 40;

function shortSleeps(scale: number): Clock {
  return { now: () => systemClock.now(), sleep: (ms) => systemClock.sleep(ms / scale), setTimeout: (callback, ms) => systemClock.setTimeout(callback, ms) };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`crashBot: ${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const emulatorUrl = process.env.CRASH_EMULATOR_URL;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: required('DATA_DIR'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    SHUTDOWN_TIMEOUT_SECONDS: '5',
    ...Object.fromEntries(['DATABASE_URL', 'LEASE_SECONDS', 'REPLICATION_SCAN_SECONDS'].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []))),
    ...(emulatorUrl ? {} : { DEFAULT_LAB_HOST: required('CRASH_DEFAULT_HOST_ID') }),
  });
  const log = createLogger({ level: config.log.level, format: 'json', destination: pino.destination({ dest: 2, sync: true }) });
  if (!emulatorUrl) {
    // The demo as `npm start` runs it: the app sets up (and later closes) its own emulator.
    return serve(await startApp(config, { log, clock: shortSleeps(SLEEP_SCALE) }), log);
  }
  const connection = createArmConnection(
    { mode: 'emulator', subscriptionId: required('CRASH_SUBSCRIPTION_ID'), emulatorUrl, facadeOrigin: required('CRASH_FACADE_ORIGIN') },
    { pollIntervalMs: 50, settleTimeoutMs: 5000, retryOptions: { retryDelayInMs: 50, maxRetryDelayInMs: 200 } },
  );
  const azure: AzureSetup = {
    gateways: createAzureGateways(connection, { clock: systemClock, logger: log }),
    defaultHostId: required('CRASH_DEFAULT_HOST_ID'),
    endpoint: emulatorUrl,
    ...(process.env.CRASH_TIME_SCALE ? { simulatedClock: fleetClock(Number(process.env.CRASH_CLOCK_ORIGIN), Number(process.env.CRASH_TIME_SCALE)) } : {}),
    // The emulator belongs to the parent and outlives this process.
    close: async () => undefined,
  };
  serve(await startApp(config, { log, azure, clock: shortSleeps(SLEEP_SCALE) }), log);
}

function serve(app: Awaited<ReturnType<typeof startApp>>, log: ReturnType<typeof createLogger>): void {
  // The handler goes in before the line is printed: the test may SIGTERM as soon as it reads it, and until a
  // handler is installed SIGTERM kills at once.
  process.once('SIGTERM', () => {
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'crashBot: close failed');
        process.exit(1);
      },
    );
  });
  process.stdout.write(`${JSON.stringify({ listening: app.server.url })}\n`);
  // test/support/codeCacheLoader.js saves V8's code cache now, with everything a start compiles.
  (process as NodeJS.EventEmitter).emit('lgb:started');
}

/**
 * With CRASH_SETTINGS_ON_STDIN=1 the process loads everything, then waits for its env as one JSON line on stdin: the
 * test starts the next bot ahead of time, so loading the packages (most of a start) overlaps the case before it.
 */
function settingsFromStdin(): Promise<void> {
  if (process.env.CRASH_SETTINGS_ON_STDIN !== '1') return Promise.resolve();
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end < 0) return;
      process.stdin.off('data', onData);
      // Not waiting on stdin any more: the bot's own handles keep the process alive.
      process.stdin.pause();
      Object.assign(process.env, JSON.parse(text.slice(0, end)) as Record<string, string>);
      resolve();
    };
    process.stdin.on('data', onData);
    process.stdin.once('end', () => reject(new Error('stdin closed before the settings came')));
  });
}

settingsFromStdin().then(main).catch((error: unknown) => {
  process.stderr.write(`crashBot failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
