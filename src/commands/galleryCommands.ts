import { UserError } from '../kernel';
import { type CommandServices, DialogIds } from '../interaction';
import { defineCommand, type CommandContext, type CommandResult } from './types';

function startDialog(ctx: CommandContext<CommandServices>, dialogId: string, args: string): CommandResult {
  if (!ctx.binding) throw new UserError('status.unbound');
  return {
    kind: 'dialog',
    dialogId,
    options: { hostId: ctx.binding.hostId, requestedBy: ctx.request.user.aadObjectId ?? ctx.request.user.id, args },
  };
}

const anyArgs = (args: string) => ({ ok: true as const, value: args.slice(0, 300) });

export const attachCommand = defineCommand<string, CommandServices>({
  id: 'attach',
  aliases: ['attacher'],
  summary: 'attach.summary',
  usage: 'attach.usage',
  role: 'admin',
  sideEffects: true,
  parse: anyArgs,
  handle: async (ctx, args) => startDialog(ctx, DialogIds.attach, args),
});

export const createCommand = defineCommand<string, CommandServices>({
  id: 'create',
  aliases: ['creer'],
  summary: 'create.summary',
  usage: 'create.usage',
  role: 'admin',
  sideEffects: true,
  parse: anyArgs,
  handle: async (ctx, args) => startDialog(ctx, DialogIds.createGallery, args),
});

export const detachCommand = defineCommand<void, CommandServices>({
  id: 'detach',
  aliases: ['detacher'],
  summary: 'detach.summary',
  usage: 'detach.usage',
  role: 'admin',
  sideEffects: true,
  parse: () => ({ ok: true, value: undefined }),
  handle: async (ctx) => startDialog(ctx, DialogIds.detach, ''),
});

export const replicateCommand = defineCommand<string, CommandServices>({
  id: 'replicate',
  aliases: ['repliquer'],
  summary: 'replicate.summary',
  usage: 'replicate.usage',
  role: 'admin',
  sideEffects: true,
  parse: anyArgs,
  handle: async (ctx, args) => startDialog(ctx, DialogIds.replicate, args),
});
