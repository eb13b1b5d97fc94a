import { PLAYGROUND_USERS, seedDemo, startEmulator } from './index';

interface Flags {
  port: number;
  timeScale: number;
  owners: string[];
  teachers: string[];
}

const USAGE = 'usage: node dist/src/emulator/main.js [--port N] [--time-scale N] [--owner OBJECT_ID]... [--teacher OBJECT_ID]...';

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
    else throw new Error(`unknown argument '${arg}'\n${USAGE}`);
  }
  return flags;
}

function toNumber(name: string, raw: string, valid: (n: number) => boolean): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || !valid(n)) throw new Error(`${name}: invalid value '${raw}'\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const emulator = await startEmulator({
    port: flags.port,
    timeScale: flags.timeScale,
    seed: (state) =>
      seedDemo(state, {
        ownerPrincipalIds: flags.owners.length > 0 ? flags.owners : [PLAYGROUND_USERS.currentUser],
        teacherPrincipalIds: flags.teachers.length > 0 ? flags.teachers : [PLAYGROUND_USERS.teacher],
      }),
  });
  // A command-line entry point: it talks to the person who started it, on stdout and stderr.
  process.stdout.write(`ARM emulator listening on ${emulator.url}\n`);
  process.stdout.write(`facade origin ${emulator.facadeOrigin}, subscription ${emulator.subscriptionId}, time scale ${flags.timeScale}\n`);
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

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
