import path from 'node:path';
import { DEMO_MARKETPLACE_IMAGES, PLAYGROUND_USERS, seedDemo, startEmulator, STATE_FILE_NAME } from './index';

interface Flags {
  port: number;
  timeScale: number;
  owners: string[];
  teachers: string[];
  /** Keep the state in this folder (emulator-state.json) across restarts; none: in memory only. */
  dataDir?: string;
}

const USAGE = 'usage: npm run emulator -- [--port N] [--time-scale N] [--data-dir DIR] [--owner OBJECT_ID]... [--teacher OBJECT_ID]...';

/** `--name value` or `--name=value`; --owner/--teacher may repeat (default: the Agents Playground users). */
export function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = { port: 0, timeScale: 1, owners: [], teachers: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
      return v;
    };
    if (name === '--port') flags.port = toNumber(name, value(), (n) => Number.isInteger(n) && n >= 0 && n <= 65535);
    else if (name === '--time-scale') flags.timeScale = toNumber(name, value(), (n) => n > 0);
    else if (name === '--owner') flags.owners.push(value());
    else if (name === '--teacher') flags.teachers.push(value());
    else if (name === '--data-dir') flags.dataDir = value();
    else throw new Error(`unknown argument '${arg}'\n${USAGE}`);
  }
  return flags;
}

function toNumber(name: string, raw: string, valid: (n: number) => boolean): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || !valid(n)) throw new Error(`${name}: invalid value '${raw}'\n${USAGE}`);
  return n;
}

/** The command line: starts the emulator and stops it on SIGINT/SIGTERM (saving its state first, with --data-dir). */
export function runEmulatorCli(argv: readonly string[]): void {
  main(argv).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

async function main(argv: readonly string[]): Promise<void> {
  const flags = parseFlags(argv);
  const stateFile = flags.dataDir ? path.join(flags.dataDir, STATE_FILE_NAME) : undefined;
  const emulator = await startEmulator({
    port: flags.port,
    timeScale: flags.timeScale,
    marketplaceImages: DEMO_MARKETPLACE_IMAGES,
    ...(stateFile ? { stateFile, onStateWriteError: (error: unknown) => process.stderr.write(`state not saved: ${String(error)}\n`) } : {}),
    seed: (state) =>
      seedDemo(state, {
        ownerPrincipalIds: flags.owners.length > 0 ? flags.owners : [PLAYGROUND_USERS.currentUser],
        teacherPrincipalIds: flags.teachers.length > 0 ? flags.teachers : [PLAYGROUND_USERS.teacher],
        campusGallery: true,
      }),
  });
  // A command-line entry point: it talks to the person who started it, on stdout and stderr.
  process.stdout.write(`ARM emulator listening on ${emulator.url}\n`);
  process.stdout.write(`facade origin ${emulator.facadeOrigin}, subscription ${emulator.subscriptionId}, time scale ${flags.timeScale}\n`);
  if (stateFile) process.stdout.write(`state ${emulator.restored ? 'restored from' : 'kept in'} ${stateFile}\n`);
  process.stdout.write(`run the bot against it: ARM_ENDPOINT=${emulator.url} AZURE_SUBSCRIPTION_ID=${emulator.subscriptionId} npm start\n`);
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) runEmulatorCli(process.argv.slice(2));
