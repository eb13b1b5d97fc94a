import { imageListReply, MAX_FILTER_LENGTH } from '../views';
import { galleryImagesReply } from '../views/galleryImageView';
import { type CommandServices, textReply } from '../interaction';
import { UserError } from '../kernel';
import { defineCommand, type ParseResult } from './types';

/** Conversations where everyone sees the same card: it offers what everyone may do, and "My options". */
const SHARED_CONVERSATIONS: ReadonlySet<string> = new Set(['channel', 'groupChat']);

/**
 * `images [filter]`: the attached gallery's images as a card (see imageListReply). In a personal chat, the
 * caller's own view; in a channel or group chat, the shared view, refreshed into the caller's own for them.
 */
export const imagesCommand = defineCommand<string, CommandServices>({
  id: 'images',
  aliases: [],
  summary: 'images.summary',
  usage: 'images.usage',
  role: 'member',
  sideEffects: false,
  // Works in a conversation bound to a gallery alone too.
  needsHost: false,
  parse: (args): ParseResult<string> =>
    args.length <= MAX_FILTER_LENGTH ? { ok: true, value: args } : { ok: false, error: new UserError('images.filterTooLong', { max: MAX_FILTER_LENGTH }) },
  async handle({ t, role, binding, bound, request, services }, filter) {
    // A gallery alone has no enabled state: its own read-only view.
    if (bound?.kind === 'gallery') return galleryImagesReply(services.galleries, t, bound.galleryId, filter);
    if (!binding) return textReply(t('status.unbound'));
    const audience = SHARED_CONVERSATIONS.has(request.conversation.type ?? '') ? 'shared' : 'own';
    return imageListReply(services.images, t, binding.hostId, { role, userId: request.user.id, audience }, { page: 0, filter });
  },
});
