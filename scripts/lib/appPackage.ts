import type { Config } from '../../src/config';
import { ICONS, iconProblems, type IconSpec } from './appIcons';
import { fillManifest, type CommandList, type TeamsManifest } from './appManifest';
import { manifestProblems, type ManifestSchema } from './manifestSchema';
import { writeZip } from './zip';

export const APP_PACKAGE_FILE = 'lab-gallery-bot.zip';

/**
 * Teams app id and bot id of a package made without MicrosoftAppId (demo mode, Agents Playground).
 * Not a registration: such a package can be looked at and validated, not installed for a real bot.
 */
export const LOCAL_APP_ID = '00000000-0000-4000-8000-000000000001';

export interface PackageIdentity {
  teamsAppId: string;
  botId: string;
  local: boolean;
}

/**
 * The bot id is the Azure Bot registration's MicrosoftAppId, and the Teams app id reuses it: one id to manage,
 * which Teams accepts for an app whose only capability is its bot.
 */
export function packageIdentity(config: Config): PackageIdentity {
  const appId = config.botFramework.appId;
  return appId ? { teamsAppId: appId, botId: appId, local: false } : { teamsAppId: LOCAL_APP_ID, botId: LOCAL_APP_ID, local: true };
}

export interface PackageInputs {
  /** appPackage/manifest.json as committed. */
  template: unknown;
  /** The rendered icons, by file name. */
  icons: Readonly<Record<IconSpec['file'], Uint8Array>>;
  version: string;
  identity: PackageIdentity;
  commandLists: CommandList[];
  schema?: ManifestSchema;
}

export interface AppPackage {
  manifest: TeamsManifest;
  zip: Buffer;
}

export class AppPackageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The Teams app package is not valid:\n- ${problems.join('\n- ')}`);
    this.name = 'AppPackageError';
  }
}

/** Fills the manifest, checks it and the icons (reporting every problem at once), and zips the three files flat. */
export async function buildAppPackage(inputs: PackageInputs): Promise<AppPackage> {
  const manifest = fillManifest(inputs.template, { ...inputs.identity, version: inputs.version, commandLists: inputs.commandLists });
  const problems = await manifestProblems(manifest, inputs.schema);
  const iconFiles: Record<string, string> = { color: manifest.icons.color, outline: manifest.icons.outline };
  for (const spec of ICONS) {
    const role = spec.outline ? 'outline' : 'color';
    if (iconFiles[role] !== spec.file) problems.push(`icons.${role} should be "${spec.file}", the file the package holds`);
    problems.push(...iconProblems(spec, inputs.icons[spec.file]));
  }
  if (problems.length) throw new AppPackageError(problems);

  const zip = writeZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    ...ICONS.map((spec) => ({ name: spec.file, data: inputs.icons[spec.file] })),
  ]);
  return { manifest, zip };
}
