import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../../src/config';
import { ICONS, type IconSpec } from './appIcons';
import { commandListsFromRegistry, committedCommandLists, COMMAND_LIST_LIMITS, withCommandLists, type CommandList } from './appManifest';
import { APP_PACKAGE_FILE, AppPackageError, buildAppPackage, LOCAL_APP_ID, packageIdentity } from './appPackage';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface PackageAppOptions {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** Repository root: appPackage/ and package.json are read from here. */
  root: string;
  /** Where the zip is written; dist/appPackage under the root by default. */
  outDir?: string;
  io: CliIo;
}

export const USAGE = `usage: tsx scripts/packageApp.ts [--sync]
  (no option)  build dist/appPackage/${APP_PACKAGE_FILE} from appPackage/, the command registry and the
               configuration (environment and .env, as the bot reads it); prints the zip's path
  --sync       rewrite the command lists of appPackage/manifest.json from the command registry`;

/** scripts/packageApp.ts, as a function of its arguments, environment and output streams. Resolves with the exit code. */
export async function runPackageApp(options: PackageAppOptions): Promise<number> {
  const { argv, io } = options;
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  const unknown = argv.filter((a) => a !== '--sync');
  if (unknown.length) {
    io.err(`unknown argument: ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  const manifestPath = path.join(options.root, 'appPackage', 'manifest.json');
  const templateText = await fs.readFile(manifestPath, 'utf8');
  const generated = commandListsFromRegistry();
  if (generated.omitted.length) {
    io.err(`warning: a Teams command list holds ${COMMAND_LIST_LIMITS.commands} commands; left out of the command menu (still typed commands): ${generated.omitted.join(', ')}`);
  }
  return argv.includes('--sync')
    ? sync(manifestPath, templateText, generated.commandLists, io)
    : packageApp(options, templateText, generated.commandLists);
}

async function sync(manifestPath: string, templateText: string, commandLists: CommandList[], io: CliIo): Promise<number> {
  const committed = committedCommandLists(templateText);
  if (isDeepStrictEqual(committed, commandLists)) {
    io.out('appPackage/manifest.json: command lists already match the command registry');
    return 0;
  }
  await fs.writeFile(manifestPath, withCommandLists(templateText, commandLists), 'utf8');
  const before = new Set(committed.flatMap((l) => l.commands.map((c) => c.title)));
  const after = new Set(commandLists.flatMap((l) => l.commands.map((c) => c.title)));
  const added = [...after].filter((t) => !before.has(t));
  const removed = [...before].filter((t) => !after.has(t));
  const changes = [added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  io.out(`appPackage/manifest.json: command lists updated from the command registry (${changes || 'descriptions or order changed'})`);
  return 0;
}

async function packageApp(options: PackageAppOptions, templateText: string, commandLists: CommandList[]): Promise<number> {
  const { io, root } = options;
  let config: Config;
  try {
    config = loadConfig(options.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 2;
    }
    throw error;
  }
  if (!isDeepStrictEqual(committedCommandLists(templateText), commandLists)) {
    io.err('warning: appPackage/manifest.json lists other commands than the registry; the package follows the registry. Run `npm run manifest:sync` and commit the result.');
  }
  const icons = await readIcons(path.join(root, 'appPackage'));
  if (typeof icons === 'string') {
    io.err(icons);
    return 1;
  }
  const identity = packageIdentity(config);
  let built;
  try {
    built = await buildAppPackage({ template: JSON.parse(templateText), icons, version: await packageVersion(root), identity, commandLists });
  } catch (error) {
    if (error instanceof AppPackageError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
  const outDir = options.outDir ?? path.join(root, 'dist', 'appPackage');
  await fs.mkdir(outDir, { recursive: true });
  const zipPath = path.join(outDir, APP_PACKAGE_FILE);
  await fs.writeFile(zipPath, built.zip);
  if (identity.local) {
    io.err(`note: MicrosoftAppId is not set, so the package uses the local placeholder id ${LOCAL_APP_ID} and is named "${built.manifest.name.short}". Set MicrosoftAppId to package for a bot registration.`);
  }
  io.out(zipPath);
  return 0;
}

async function readIcons(appPackageDir: string): Promise<Record<IconSpec['file'], Buffer> | string> {
  const icons: Partial<Record<IconSpec['file'], Buffer>> = {};
  for (const spec of ICONS) {
    try {
      icons[spec.file] = await fs.readFile(path.join(appPackageDir, spec.file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return `appPackage/${spec.file} is missing: run \`npm run icons\``;
      throw error;
    }
  }
  return icons as Record<IconSpec['file'], Buffer>;
}

async function packageVersion(root: string): Promise<string> {
  const { version } = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || !version) throw new Error('package.json has no version');
  return version;
}
