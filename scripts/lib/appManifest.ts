import type { TeamsManifestV1D30 } from '@microsoft/app-manifest';
import { createCommandRegistry } from '../../src/commands';
import { createTranslator, type MessageKey, type Translator } from '../../src/i18n/catalog';

/** The newest Teams manifest schema that @microsoft/app-manifest 1.1.2 bundles (v1.0–v1.30). */
export const MANIFEST_VERSION = '1.30';

export type TeamsManifest = TeamsManifestV1D30.TeamsManifestV1D30;
export type CommandList = TeamsManifestV1D30.CommandList;
export type ManifestCommand = TeamsManifestV1D30.CommandListCommand;
export type BotScope = 'personal' | 'team' | 'groupChat';

/** One command list per scope, in this order. Every command works in every scope. */
export const BOT_SCOPES: readonly BotScope[] = ['personal', 'team', 'groupChat'];

/**
 * Limits of a bot command list. Schema v1.24+ allows 12 commands per list (10 before). Schema v1.30 lets a title
 * run to 128 characters and a description to 4000 (for Copilot prompts), but Teams documents 32 and 128 for the
 * command menu, so those are what we hold to.
 */
export const COMMAND_LIST_LIMITS = { commands: 12, title: 32, description: 128 } as const;

/** Filled at package time: the committed manifest holds these instead of ids, and no version of its own. */
export const PLACEHOLDERS = {
  teamsAppId: '${{TEAMS_APP_ID}}',
  botId: '${{BOT_ID}}',
  version: '${{APP_VERSION}}',
} as const;

/** What a command list needs of a registry command. */
export interface ManifestCommandSource {
  id: string;
  summary: MessageKey;
  usage: MessageKey;
}

export interface GeneratedCommandLists {
  commandLists: CommandList[];
  /** Ids of registry commands beyond the per-list limit, which the lists leave out. */
  omitted: string[];
}

/**
 * Command lists as Teams shows them in its command menu: the title is the command word (what Teams types for the
 * user), the description the help summary, followed by the usage when the command takes arguments.
 * When the registry has more commands than a list holds, the first ones in registry order (help order) are kept:
 * help comes first, so every command stays reachable.
 */
export function commandListsFor(commands: readonly ManifestCommandSource[], t: Translator): GeneratedCommandLists {
  const kept = commands.slice(0, COMMAND_LIST_LIMITS.commands);
  const problems: string[] = [];
  const entries = kept.map((command) => commandEntry(command, t, problems));
  if (problems.length) throw new Error(`The command registry does not fit a Teams command list:\n- ${problems.join('\n- ')}`);
  return {
    commandLists: BOT_SCOPES.map((scope) => ({ scopes: [scope], commands: entries.map((entry) => ({ ...entry })) })),
    omitted: commands.slice(COMMAND_LIST_LIMITS.commands).map((c) => c.id),
  };
}

function commandEntry(command: ManifestCommandSource, t: Translator, problems: string[]): ManifestCommand {
  const { title, description } = COMMAND_LIST_LIMITS;
  if (command.id.length > title) problems.push(`command id "${command.id}" is longer than ${title} characters`);
  const summary = t(command.summary);
  const usage = t(command.usage);
  if (summary.length > description) {
    problems.push(`the summary of "${command.id}" (${command.summary}) has ${summary.length} characters; a command description holds ${description}`);
  }
  const withUsage = usage === command.id ? summary : `${summary} — ${usage}`;
  return { title: command.id, description: withUsage.length <= description ? withUsage : summary };
}

/** The command lists of the bot's own registry, in English (Teams shows the manifest's language). */
export function commandListsFromRegistry(): GeneratedCommandLists {
  return commandListsFor(
    createCommandRegistry().commands.filter((c) => c.inMenu),
    createTranslator('en'),
  );
}

export interface ManifestFill {
  teamsAppId: string;
  botId: string;
  version: string;
  commandLists: CommandList[];
  /** Made without a bot registration (demo, Agents Playground): the app's names say so. */
  local: boolean;
}

/** The committed manifest with ids, version and command lists filled in. Throws if a placeholder is left. */
export function fillManifest(template: unknown, fill: ManifestFill): TeamsManifest {
  const values: Record<string, string> = {
    [PLACEHOLDERS.teamsAppId]: fill.teamsAppId,
    [PLACEHOLDERS.botId]: fill.botId,
    [PLACEHOLDERS.version]: fill.version,
  };
  const manifest = asTeamsManifest(mapStrings(template, (s) => s.replace(/\$\{\{\w+\}\}/g, (p) => values[p] ?? p)));
  const bot = manifest.bots?.[0];
  if (!bot) throw new Error('the manifest declares no bot');
  bot.commandLists = fill.commandLists;
  if (fill.local) {
    manifest.name = { ...manifest.name, short: `${manifest.name.short} (local)` };
    if (manifest.name.full) manifest.name.full = `${manifest.name.full} (local build)`;
  }
  const left = JSON.stringify(manifest).match(/\$\{\{[^}]*\}\}/g);
  if (left) throw new Error(`the manifest still holds placeholders nothing fills: ${[...new Set(left)].join(', ')}`);
  return manifest;
}

/** The committed manifest text with its command lists replaced (every bot scope's list), formatted as committed. */
export function withCommandLists(templateText: string, commandLists: CommandList[]): string {
  const manifest = asTeamsManifest(JSON.parse(templateText));
  const bot = manifest.bots?.[0];
  if (!bot) throw new Error('the manifest declares no bot');
  bot.commandLists = commandLists;
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function committedCommandLists(templateText: string): CommandList[] {
  return asTeamsManifest(JSON.parse(templateText)).bots?.[0]?.commandLists ?? [];
}

/** Shape checks this code relies on; the schema checks the rest. */
function asTeamsManifest(value: unknown): TeamsManifest {
  const manifest = value as Partial<TeamsManifest> | null;
  if (!manifest || typeof manifest !== 'object') throw new Error('the manifest is not a JSON object');
  if (manifest.manifestVersion !== MANIFEST_VERSION) {
    throw new Error(`the manifest is on schema ${String(manifest.manifestVersion)}; this code writes ${MANIFEST_VERSION}`);
  }
  if (!Array.isArray(manifest.bots) || manifest.bots.length !== 1) throw new Error('the manifest must declare exactly one bot');
  if (!manifest.name || typeof manifest.name.short !== 'string') throw new Error('the manifest has no name.short');
  return manifest as TeamsManifest;
}

function mapStrings(value: unknown, map: (s: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, map)]));
  }
  return value;
}
