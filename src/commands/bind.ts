import { audited } from '../core/audit';
import { resolveGallery } from '../core/galleryDirectory';
import { sameArmId, UserError } from '../kernel';
import { hasRole } from '../ports/accessPolicy';
import type { HostBinding } from '../ports/stores';
import { actingUser, actingUserId, type CommandServices, textReply } from '../interaction';
import { defineCommand, type CommandContext, type ParseResult } from './types';

/** What the directory says when a name fits no host, or several: the caller learns neither. */
const NOT_FOUND_KEYS = new Set(['bind.unknownHost', 'bind.ambiguous']);
const GALLERY_NOT_FOUND_KEYS = new Set(['bind.unknownGallery', 'bind.ambiguousGallery']);
/** `bind gallery ‹name›` (`lier galerie ‹nom›`): the first word says the kind. */
const GALLERY_WORDS = new Set(['gallery', 'galerie']);

export type BindArgs = { kind: 'host'; target: string } | { kind: 'gallery'; target: string };

export function parseBindArgs(args: string): ParseResult<BindArgs> {
  const [first = '', ...rest] = args.split(' ');
  if (GALLERY_WORDS.has(first.toLowerCase())) {
    const target = rest.join(' ').trim();
    return target ? { ok: true, value: { kind: 'gallery', target } } : { ok: false, error: new UserError('bind.galleryMissing') };
  }
  return args ? { ok: true, value: { kind: 'host', target: args } } : { ok: false, error: new UserError('bind.missing') };
}

export const bindCommand = defineCommand<BindArgs, CommandServices>({
  id: 'bind',
  aliases: ['lier'],
  summary: 'bind.summary',
  usage: 'bind.usage',
  role: 'admin',
  sideEffects: true,
  group: 'setup',
  authorizesTarget: true,
  // Works in a conversation bound to a gallery alone too.
  needsHost: false,
  parse: parseBindArgs,
  handle: (ctx, args) => (args.kind === 'gallery' ? bindGallery(ctx, args.target) : bindHost(ctx, args.target)),
});

type BindContext = CommandContext<CommandServices>;

/**
 * "No such host" and "not yours" read the same, so that bind cannot be used to learn which names exist; the
 * refusal is audited with the reason.
 */
function refuser({ request, services, log }: BindContext, key: 'bind.unavailable' | 'bind.galleryUnavailable', shown: string) {
  return async (reason: string, auditTarget: string): Promise<never> => {
    log.info({ command: 'bind', reason }, 'bind refused');
    await services.audit.append({ ...auditBase(request), time: services.clock.now(), target: auditTarget, outcome: 'refused', detail: reason });
    throw new UserError(key, { value: shown });
  };
}

function auditBase(request: BindContext['request']) {
  return { ...actingUser(request.user), conversationId: request.conversation.id, command: 'bind', correlationId: request.correlationId };
}

async function bindHost(ctx: BindContext, target: string) {
  const { t, request, bound, roleOn, services } = ctx;
  const refuse = refuser(ctx, 'bind.unavailable', target.slice(0, 200));
  let host;
  try {
    host = await services.hosts.resolve(target);
  } catch (error) {
    if (error instanceof UserError && NOT_FOUND_KEYS.has(error.key)) return refuse(error.key === 'bind.ambiguous' ? 'ambiguous' : 'notFound', target.slice(0, 200));
    throw error;
  }
  if (bound?.kind === 'host' && sameArmId(bound.hostId, host.id)) return textReply(t('bind.unchanged', { host: host.name }));
  // Binding moves a conversation onto a host: the caller must be admin there too, not only where it was.
  if (!hasRole(await roleOn(host.id), 'admin')) return refuse('notAdmin', host.id);
  await put(ctx, { conversationId: request.conversation.id, hostId: host.id, boundBy: actingUserId(request.user), boundAt: services.clock.now() }, bound?.binding);
  return textReply(t('bind.done', { host: host.name }));
}

/** Admin of a gallery = Owner or Contributor on it (or above): the role is read on the gallery's own scope. */
async function bindGallery(ctx: BindContext, target: string) {
  const { t, request, bound, roleOn, services } = ctx;
  const refuse = refuser(ctx, 'bind.galleryUnavailable', target.slice(0, 200));
  let gallery;
  try {
    gallery = await resolveGallery(services.galleries, target);
  } catch (error) {
    if (error instanceof UserError && GALLERY_NOT_FOUND_KEYS.has(error.key)) return refuse(error.key === 'bind.ambiguousGallery' ? 'ambiguous' : 'notFound', target.slice(0, 200));
    throw error;
  }
  if (bound?.kind === 'gallery' && sameArmId(bound.galleryId, gallery.id)) return textReply(t('bind.galleryUnchanged', { gallery: gallery.name }));
  if (!hasRole(await roleOn(gallery.id), 'admin')) return refuse('notAdmin', gallery.id);
  await put(ctx, { conversationId: request.conversation.id, hostId: gallery.id, kind: 'gallery', boundBy: actingUserId(request.user), boundAt: services.clock.now() }, bound?.binding);
  return textReply(t('bind.galleryDone', { gallery: gallery.name }));
}

/** Audited, and conditional on the binding read at the start of the turn (of two racing binds, one wins). */
async function put({ request, services }: BindContext, binding: Omit<HostBinding, 'eTag'>, current: HostBinding | undefined): Promise<void> {
  await audited(services.audit, services.clock, { ...auditBase(request), target: binding.hostId }, () =>
    services.bindings.put(binding, current ? { ifMatch: current.eTag } : { ifNoneMatch: '*' }),
  );
}
