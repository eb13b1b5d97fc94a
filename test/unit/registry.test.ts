import { CommandRegistry } from '../../src/commands/registry';
import { createCommandRegistry } from '../../src/commands';
import { defineCommand, noArgs } from '../../src/commands/types';
import { textReply } from '../../src/interaction';
import { normalizeText } from '../../src/bot/normalizeText';

const cmd = (id: string, aliases: string[] = []) =>
  defineCommand<void, unknown>({
    id,
    aliases,
    summary: 'help.summary',
    usage: 'help.usage',
    role: 'member',
    sideEffects: false,
    parse: noArgs,
    handle: async () => textReply(id),
  });

describe('CommandRegistry', () => {
  const registry = createCommandRegistry();

  it.each([
    ['help', 'help', ''],
    ['HELP', 'help', ''],
    ['Status', 'status', ''],
    ['aide', 'help', ''],
    ['bind /subscriptions/x', 'bind', '/subscriptions/x'],
    ['BIND   physics-plan  ', 'bind', 'physics-plan'],
    ['unbind', 'unbind', ''],
    ['enable optics-sim quantum-gpu', 'enable', 'optics-sim quantum-gpu'],
    ['ACTIVER optics-sim', 'enable', 'optics-sim'],
    ['disable a, b', 'disable', 'a, b'],
    ['desactiver a', 'disable', 'a'],
    ['images', 'images', ''],
    ['Images  Physics Win', 'images', 'Physics Win'],
  ])('matches %p to %p by its first word', (text, id, args) => {
    const match = registry.match(normalizeText(text));
    expect(match.kind).toBe('command');
    if (match.kind === 'command') {
      expect(match.command.id).toBe(id);
      expect(match.args).toBe(args);
    }
  });

  it.each(['please detach', 'can you unbind', 'helpme', 'statusbind'])('treats %p as an unknown word', (text) => {
    const match = registry.match(text);
    expect(match.kind).toBe('unknown');
  });

  it('reports the unknown first word only', () => {
    expect(registry.match('please unbind now')).toEqual({ kind: 'unknown', word: 'please' });
  });

  it('treats empty text (a bare mention) as empty', () => {
    expect(registry.match(normalizeText('  ')).kind).toBe('empty');
  });

  it('rejects duplicate ids and aliases at start-up', () => {
    expect(() => new CommandRegistry([cmd('help'), cmd('Help')])).toThrow(/used by both/);
    expect(() => new CommandRegistry([cmd('help', ['aide']), cmd('status', ['AIDE'])])).toThrow(/"aide"/);
  });

  it('refuses command words that are not one word', () => {
    expect(() => new CommandRegistry([cmd('two words')])).toThrow(/one lowercase word/);
  });

  it('lists for help what a role may run', () => {
    expect(registry.visibleTo('member', true).map((c) => c.id)).toEqual(['help', 'status', 'images', 'hello']);
    expect(registry.visibleTo('admin', true).map((c) => c.id)).toEqual(['help', 'status', 'images', 'attach', 'create', 'detach', 'replicate', 'enable', 'disable', 'bind', 'unbind', 'audit', 'inventory', 'doctor', 'hello']);
    expect(registry.visibleTo('teacher', true).map((c) => c.id)).toEqual(['help', 'status', 'images', 'hello']);
    // Unbound: bind is reachable (it checks the role on the host it is given).
    expect(registry.visibleTo('member', false).map((c) => c.id)).toEqual(['help', 'status', 'images', 'bind', 'hello']);
  });
});

describe('normalizeText', () => {
  it.each([
    ['<at>Lab Gallery</at> help', 'help'],
    ['  bind\n\t physics-plan ', 'bind physics-plan'],
    ['status&nbsp;&nbsp;', 'status'],
    ['<p>help</p>', 'help'],
    ['\u200Bhe\u200Dlp\u2060 \uFEFFphys\u202Eics\u202C-plan\u2066\u2069', 'help physics-plan'],
    [undefined, ''],
  ])('%p → %p', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});
