import { imageListReply, MAX_FILTER_LENGTH } from '../views';
import { galleryImagesReply } from '../views/galleryImageView';
import { type CommandServices, textReply } from '../interaction';
import { UserError } from '../kernel';
import { defineCommand, type ParseResult } from './types';

/** `images [filter]`: the attached gallery's images as a card, in the caller's view (see imageListReply). */
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
    return imageListReply(services.images, t, binding.hostId, { role, userId: request.user.id }, { page: 0, filter });
  },
});
