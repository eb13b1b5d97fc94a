import { attachCommand, createCommand, detachCommand, replicateCommand } from '../../src/commands/galleryCommands';
import { parseAttachArgs, parseCreateArgs, parseReplicateArgs, type CommandServices } from '../../src/interaction';
import type { Command, CommandContext } from '../../src/commands/types';
import { createTranslator } from '../../src/i18n/catalog';
import { memoryLogger } from '../support/memoryLogger';

describe('gallery command arguments', () => {
  it.each([
    ['', {}],
    ['physics_gallery', { gallery: 'physics_gallery' }],
    ['/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/galleries/g', { gallery: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/galleries/g' }],
  ])('attach %j', (args, expected) => {
    expect(parseAttachArgs(args)).toEqual(expected);
  });

  it.each([
    ['', {}],
    ['gallery', {}],
    ['chem_gallery', { name: 'chem_gallery' }],
    ['gallery chem_gallery', { name: 'chem_gallery' }],
    ['GALLERY chem_gallery', { name: 'chem_gallery' }],
    ['chem_gallery in rg-labs at WestEurope', { name: 'chem_gallery', resourceGroup: 'rg-labs', location: 'westeurope' }],
    ['at westeurope chem_gallery dans rg-labs', { name: 'chem_gallery', resourceGroup: 'rg-labs', location: 'westeurope' }],
    ['chem_gallery à francecentral', { name: 'chem_gallery', location: 'francecentral' }],
    ['chem_gallery a francecentral', { name: 'chem_gallery', location: 'francecentral' }],
    // A dangling keyword or a second word stays in the name, which the name rule then refuses whole.
    ['chem_gallery in', { name: 'chem_gallery in' }],
    ['in', { name: 'in' }],
    ['first second', { name: 'first second' }],
    ['  chem_gallery   in   rg  ', { name: 'chem_gallery', resourceGroup: 'rg' }],
  ])('create %j', (args, expected) => {
    expect(parseCreateArgs(args)).toEqual(expected);
  });

  it.each([
    ['', { image: '' }],
    ['optics-sim', { image: 'optics-sim' }],
    ['optics-sim 1.2.0', { image: 'optics-sim', version: '1.2.0' }],
    ['  optics-sim   1.2.0  extra', { image: 'optics-sim', version: '1.2.0' }],
  ])('replicate %j', (args, expected) => {
    expect(parseReplicateArgs(args)).toEqual(expected);
  });
});

describe('gallery commands start their dialog with typed options', () => {
  const HOST = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/p';
  const ctx = (bound: boolean): CommandContext<CommandServices> => ({
    request: { text: '', user: { id: '29:u', aadObjectId: 'aad-u' }, conversation: { id: 'c' }, correlationId: 'x' },
    t: createTranslator('en-US'),
    role: 'admin',
    ...(bound ? { binding: { conversationId: 'c', hostId: HOST, boundBy: 'a', boundAt: 0, eTag: 'e' } } : {}),
    roleOn: async () => 'admin',
    available: [],
    // Starting a dialog uses no service.
    services: {} as CommandServices,
    log: memoryLogger(),
  });
  const base = { hostId: HOST, requestedBy: 'aad-u' };

  it.each<[string, Command<CommandServices>, string, unknown]>([
    ['attach, named', attachCommand, 'physics_gallery', { kind: 'dialog', dialogId: 'attach', options: { ...base, gallery: 'physics_gallery' } }],
    ['attach, none', attachCommand, '', { kind: 'dialog', dialogId: 'attach', options: base }],
    ['create', createCommand, 'chem_gallery at westeurope', { kind: 'dialog', dialogId: 'createGallery', options: { ...base, name: 'chem_gallery', location: 'westeurope' } }],
    ['detach ignores words', detachCommand, 'whatever', { kind: 'dialog', dialogId: 'detach', options: base }],
    ['replicate', replicateCommand, 'optics-sim 2.0.0', { kind: 'dialog', dialogId: 'replicate', options: { ...base, image: 'optics-sim', version: '2.0.0' } }],
  ])('%s', async (_title, command, args, expected) => {
    await expect(command.run(ctx(true), args)).resolves.toEqual(expected);
  });

  it('bounds what it parses to 300 characters', async () => {
    const result = await attachCommand.run(ctx(true), 'g'.repeat(400));
    expect(result).toMatchObject({ options: { gallery: 'g'.repeat(300) } });
  });

  it('refuses in a conversation bound to no host', async () => {
    await expect(attachCommand.run(ctx(false), 'x')).rejects.toMatchObject({ key: 'status.unbound' });
  });
});
