import { UserError } from '../kernel';
import { boundTarget } from '../ports/stores';
import { actingUserId, DialogIds, parseAttachArgs, parseCreateArgs, parseReplicateArgs, type AttachArgs, type CommandServices, type CreateGalleryArgs, type DialogId, type DialogOptions, type DialogStart, type ReplicateArgs } from '../interaction';
import { defineCommand, type CommandContext, type ParseResult } from './types';

/** Typed text is bounded before it is parsed: a pasted paragraph is not a gallery name. */
const MAX_ARGS = 300;

const bounded =
  <A>(parse: (args: string) => A) =>
  (args: string): ParseResult<A> => ({ ok: true, value: parse(args.slice(0, MAX_ARGS)) });

function startDialog<K extends DialogId>(ctx: CommandContext<CommandServices>, dialogId: K, args: Omit<DialogOptions[K], 'hostId' | 'requestedBy'>): DialogStart {
  // Only replicate reaches here in a conversation bound to a gallery alone (the others need a host): it acts on the gallery.
  const bound = ctx.bound ?? (ctx.binding && boundTarget(ctx.binding));
  if (!bound) throw new UserError('status.unbound');
  const options = { ...args, hostId: bound.kind === 'host' ? bound.hostId : bound.galleryId, requestedBy: actingUserId(ctx.request.user) };
  // K is one id, so these options are that dialog's; TypeScript cannot narrow a mapped union through K.
  return { kind: 'dialog', dialogId, options } as DialogStart;
}

export const attachCommand = defineCommand<AttachArgs, CommandServices>({
  id: 'attach',
  aliases: ['attacher'],
  summary: 'attach.summary',
  usage: 'attach.usage',
  role: 'admin',
  sideEffects: true,
  group: 'setup',
  parse: bounded(parseAttachArgs),
  handle: async (ctx, args) => startDialog(ctx, DialogIds.attach, args),
});

export const createCommand = defineCommand<CreateGalleryArgs, CommandServices>({
  id: 'create',
  aliases: ['creer'],
  summary: 'create.summary',
  usage: 'create.usage',
  role: 'admin',
  sideEffects: true,
  group: 'setup',
  parse: bounded(parseCreateArgs),
  handle: async (ctx, args) => startDialog(ctx, DialogIds.createGallery, args),
});

export const detachCommand = defineCommand<void, CommandServices>({
  id: 'detach',
  aliases: ['detacher'],
  summary: 'detach.summary',
  usage: 'detach.usage',
  role: 'admin',
  sideEffects: true,
  group: 'setup',
  // Anything typed after `detach` is ignored: a host has one gallery at most.
  parse: (): ParseResult<void> => ({ ok: true, value: undefined }),
  handle: async (ctx) => startDialog(ctx, DialogIds.detach, {}),
});

export const replicateCommand = defineCommand<ReplicateArgs, CommandServices>({
  id: 'replicate',
  aliases: ['repliquer'],
  summary: 'replicate.summary',
  usage: 'replicate.usage',
  role: 'admin',
  sideEffects: true,
  // On a gallery alone, the regions added are those of the gallery's geography.
  needsHost: false,
  parse: bounded(parseReplicateArgs),
  handle: async (ctx, args) => startDialog(ctx, DialogIds.replicate, args),
});
