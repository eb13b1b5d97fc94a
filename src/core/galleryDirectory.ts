import type { Gallery, GalleryGateway } from '../ports/galleryGateway';
import { AzureError, parseGalleryId, UserError } from '../kernel';

/**
 * Turns what an admin typed after `bind gallery` into a gallery: an ARM id (checked to exist) or a name unique in
 * the subscription. Throws UserError `bind.unknownGallery` or `bind.ambiguousGallery` when nothing or several fit.
 */
export async function resolveGallery(galleries: Pick<GalleryGateway, 'getGallery' | 'listGalleries'>, value: string): Promise<Gallery> {
  const shown = value.slice(0, 200);
  if (value.startsWith('/')) {
    const ref = parseGalleryId(value);
    if (!ref) throw new UserError('bind.unknownGallery', { value: shown });
    try {
      return await galleries.getGallery(ref.id);
    } catch (error) {
      if (error instanceof AzureError && error.kind === 'notFound') throw new UserError('bind.unknownGallery', { value: ref.name });
      throw error;
    }
  }
  // Gallery names are letters, digits, underscores and periods.
  if (!/^[\w.]{1,80}$/.test(value)) throw new UserError('bind.unknownGallery', { value: shown });
  const wanted = value.toLowerCase();
  const matches = (await galleries.listGalleries()).filter((g) => g.name.toLowerCase() === wanted);
  if (matches.length > 1) throw new UserError('bind.ambiguousGallery', { value: shown });
  const gallery = matches[0];
  if (!gallery) throw new UserError('bind.unknownGallery', { value: shown });
  return gallery;
}
