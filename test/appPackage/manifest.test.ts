import * as fs from 'node:fs';
import * as path from 'node:path';
import { createCommandRegistry } from '../../src/commands';
import type { MessageKey, Translator } from '../../src/i18n/catalog';
import {
  BOT_SCOPES,
  COMMAND_LIST_LIMITS,
  commandListsFor,
  commandListsFromRegistry,
  committedCommandLists,
  fillManifest,
  MANIFEST_VERSION,
  PLACEHOLDERS,
  withCommandLists,
  type CommandList,
  type ManifestCommandSource,
} from '../../scripts/lib/appManifest';
import { bundledSchemaPath, loadBundledSchema } from '../../scripts/lib/manifestSchema';

// @microsoft/app-manifest 1.1.2 loads strip-bom 5, which is ESM-only: jest's CommonJS runtime cannot require it
// before Node 24.9 (Node itself can from 20.19). This stand-in does what it does; the validator stays the real one.
jest.mock('@microsoft/app-manifest/node_modules/strip-bom', () => ({
  __esModule: true,
  default: (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text),
}));

const manifestPath = path.join(__dirname, '../../appPackage/manifest.json');
const committedText = fs.readFileSync(manifestPath, 'utf8');
const committed = JSON.parse(committedText) as Record<string, unknown> & { bots: Array<Record<string, unknown>> };

/** A translator whose messages the test chooses. */
function fakeTranslator(messages: Partial<Record<MessageKey, string>>): Translator {
  const t = ((key: MessageKey) => messages[key] ?? key) as Translator;
  return Object.assign(t, { language: 'en', locale: 'en' });
}

const lists = (commands: Array<{ title: string; description: string }>): CommandList[] =>
  BOT_SCOPES.map((scope) => ({ scopes: [scope], commands }));

describe('appPackage/manifest.json', () => {
  it('lists the command registry\'s commands — after changing a command, run `npm run manifest:sync`', () => {
    expect(committedCommandLists(committedText)).toEqual(commandListsFromRegistry().commandLists);
  });

  it('is formatted as the sync script writes it — run `npm run manifest:sync`', () => {
    expect(withCommandLists(committedText, committedCommandLists(committedText))).toBe(committedText);
  });

  it('holds placeholders, not ids or a version', () => {
    expect(committed.id).toBe(PLACEHOLDERS.teamsAppId);
    expect(committed.version).toBe(PLACEHOLDERS.version);
    expect(committed.bots[0]?.botId).toBe(PLACEHOLDERS.botId);
    expect(committedText).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
  });

  it('declares a conversational bot for personal, team and group chats, one command list per scope', () => {
    const bot = committed.bots[0];
    expect(committed.bots).toHaveLength(1);
    expect(bot).toMatchObject({ scopes: ['personal', 'team', 'groupChat'], supportsFiles: false, isNotificationOnly: false });
    expect(committedCommandLists(committedText).map((l) => l.scopes)).toEqual([['personal'], ['team'], ['groupChat']]);
  });

  it(`is on schema v${MANIFEST_VERSION}, which @microsoft/app-manifest bundles and which allows 12 commands a list`, () => {
    expect(committed.manifestVersion).toBe(MANIFEST_VERSION);
    expect(committed.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`);
    expect(fs.existsSync(bundledSchemaPath(MANIFEST_VERSION))).toBe(true);
    expect(Number(MANIFEST_VERSION.split('.')[1])).toBeGreaterThanOrEqual(24);
  });

  it('holds to limits no looser than the schema', () => {
    const schema = loadBundledSchema(MANIFEST_VERSION) as unknown as {
      properties: { bots: { items: { properties: { commandLists: { items: { properties: { commands: CommandsSchema } } } } } } };
    };
    const commands = schema.properties.bots.items.properties.commandLists.items.properties.commands;
    expect(commands.maxItems).toBe(COMMAND_LIST_LIMITS.commands);
    expect(commands.items.properties.title.maxLength).toBeGreaterThanOrEqual(COMMAND_LIST_LIMITS.title);
    expect(commands.items.properties.description.maxLength).toBeGreaterThanOrEqual(COMMAND_LIST_LIMITS.description);
  });
});

interface CommandsSchema {
  maxItems: number;
  items: { properties: { title: { maxLength: number }; description: { maxLength: number } } };
}

describe('command lists from the registry', () => {
  const generated = commandListsFromRegistry();

  it('has every command word in help order, in each scope, but those kept out of the menu (doctor)', () => {
    const ids = createCommandRegistry()
      .commands.filter((c) => c.inMenu)
      .map((c) => c.id);
    expect(createCommandRegistry().commands.filter((c) => !c.inMenu).map((c) => c.id)).toEqual(['doctor']);
    for (const list of generated.commandLists) {
      expect(list.commands.map((c) => c.title)).toEqual(ids.slice(0, COMMAND_LIST_LIMITS.commands));
    }
    expect(generated.omitted).toEqual(ids.slice(COMMAND_LIST_LIMITS.commands));
  });

  it('describes commands in English, within Teams\' limits', () => {
    const help = generated.commandLists[0]?.commands[0];
    expect(help).toEqual({ title: 'help', description: 'Show the commands you can run' });
    for (const command of generated.commandLists.flatMap((l) => l.commands)) {
      expect(command.title.length).toBeLessThanOrEqual(COMMAND_LIST_LIMITS.title);
      expect((command.description ?? '').length).toBeLessThanOrEqual(COMMAND_LIST_LIMITS.description);
    }
  });
});

describe('commandListsFor', () => {
  const t = fakeTranslator({
    'help.summary': 'Show help',
    'help.usage': 'help',
    'bind.summary': 'Bind here',
    'bind.usage': 'bind <host>',
    'audit.summary': 'x'.repeat(120),
    'audit.usage': 'audit [count]',
  });
  const command = (id: string, summary: MessageKey, usage: MessageKey): ManifestCommandSource => ({ id, summary, usage });

  it('adds the usage when the command takes arguments, and drops it rather than exceed 128 characters', () => {
    const { commandLists } = commandListsFor(
      [command('help', 'help.summary', 'help.usage'), command('bind', 'bind.summary', 'bind.usage'), command('audit', 'audit.summary', 'audit.usage')],
      t,
    );
    expect(commandLists).toEqual(
      lists([
        { title: 'help', description: 'Show help' },
        { title: 'bind', description: 'Bind here — bind <host>' },
        { title: 'audit', description: 'x'.repeat(120) },
      ]),
    );
  });

  it('keeps the first 12 commands in registry order and names the ones it leaves out', () => {
    const ids = Array.from({ length: 14 }, (_, i) => `cmd${i}`);
    const result = commandListsFor(
      ids.map((id) => command(id, 'help.summary', 'help.usage')),
      t,
    );
    for (const list of result.commandLists) expect(list.commands.map((c) => c.title)).toEqual(ids.slice(0, 12));
    expect(result.omitted).toEqual(['cmd12', 'cmd13']);
  });

  it('refuses, naming every offender, a summary over 128 characters or an id over 32', () => {
    const long = fakeTranslator({ 'help.summary': 'y'.repeat(129), 'help.usage': 'help' });
    expect(() => commandListsFor([command('help', 'help.summary', 'help.usage'), command('z'.repeat(33), 'help.usage', 'help.usage')], long)).toThrow(
      /summary of "help".*129 characters[\s\S]*"z{33}" is longer than 32/,
    );
  });
});

describe('fillManifest', () => {
  const commandLists = lists([{ title: 'help', description: 'Show help' }]);
  const fill = { teamsAppId: 'a1b2c3d4-0000-4000-8000-000000000000', botId: 'b1b2c3d4-0000-4000-8000-000000000000', version: '1.2.3', commandLists };

  it('fills ids, version and command lists and leaves the committed manifest alone', () => {
    const manifest = fillManifest(committed, { ...fill, local: false });
    expect(manifest).toMatchObject({ id: fill.teamsAppId, version: '1.2.3', name: { short: 'Lab Gallery Bot' } });
    expect(manifest.bots?.[0]).toMatchObject({ botId: fill.botId, commandLists });
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(committed.id).toBe(PLACEHOLDERS.teamsAppId);
  });

  it('marks a local package in its names', () => {
    const manifest = fillManifest(committed, { ...fill, local: true });
    expect(manifest.name).toEqual({ short: 'Lab Gallery Bot (local)', full: 'Lab Gallery Bot for Azure Lab Services (local build)' });
  });

  it('refuses a placeholder it has no value for', () => {
    const template = { ...committed, developer: { ...(committed.developer as object), websiteUrl: '${{WEBSITE_URL}}' } };
    expect(() => fillManifest(template, { ...fill, local: false })).toThrow('${{WEBSITE_URL}}');
  });
});
