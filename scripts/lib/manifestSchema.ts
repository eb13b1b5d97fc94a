import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { COMMAND_LIST_LIMITS, type TeamsManifest } from './appManifest';

export type ManifestSchema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

/** Where @microsoft/app-manifest keeps its copy of the Teams schema of `version` ("1.30"). */
export function bundledSchemaPath(version: string): string {
  const packageRoot = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return path.join(packageRoot, 'build', 'json-schemas', 'teams', `v${version}`, 'MicrosoftTeams.schema.json');
}

/**
 * The bundled schema, read from disk. Passing it to validateAgainstSchema is what keeps validation offline:
 * without a schema argument the package looks for its local copy and, if that is missing, fetches `$schema`.
 */
export function loadBundledSchema(version: string): ManifestSchema {
  const file = bundledSchemaPath(version);
  if (!fs.existsSync(file)) throw new Error(`@microsoft/app-manifest bundles no Teams manifest schema v${version} (no ${file})`);
  // The package's own loader does the same: ajv compiles patterns with the `u` flag, which rejects \a and \v.
  const text = fs.readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return JSON.parse(text) as ManifestSchema;
}

/**
 * Problems with a filled manifest: JSON schema errors (offline, against the bundled schema of its
 * manifestVersion) and the command-menu limits Teams documents beyond the schema. Empty when it is valid.
 */
export async function manifestProblems(manifest: TeamsManifest, schema?: ManifestSchema): Promise<string[]> {
  const problems: string[] = [];
  const expectedSchemaUrl = `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`;
  if (manifest.$schema !== expectedSchemaUrl) problems.push(`$schema should be ${expectedSchemaUrl}`);
  const errors = await AppManifestUtils.validateAgainstSchema(manifest as AppManifest, schema ?? loadBundledSchema(manifest.manifestVersion));
  problems.push(...errors.map((e) => `schema: ${e.trim()}`));
  problems.push(...commandListProblems(manifest));
  return problems;
}

function commandListProblems(manifest: TeamsManifest): string[] {
  const problems: string[] = [];
  for (const [i, list] of (manifest.bots?.[0]?.commandLists ?? []).entries()) {
    if (list.commands.length > COMMAND_LIST_LIMITS.commands) {
      problems.push(`command list ${i} has ${list.commands.length} commands; Teams shows ${COMMAND_LIST_LIMITS.commands}`);
    }
    for (const command of list.commands) {
      if (command.title.length > COMMAND_LIST_LIMITS.title) problems.push(`command title "${command.title}" is over ${COMMAND_LIST_LIMITS.title} characters`);
      if ((command.description ?? '').length > COMMAND_LIST_LIMITS.description) {
        problems.push(`the description of command "${command.title}" is over ${COMMAND_LIST_LIMITS.description} characters`);
      }
    }
  }
  return problems;
}
