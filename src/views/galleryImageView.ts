import { renderCard } from '../cards/renderCard';
import { statusCard } from '../cards/templates';
import type { Translator } from '../i18n/catalog';
import { regionNames } from '../i18n/azureNames';
import { lastSegment } from '../kernel';
import type { GalleryGateway, ImageDefinition, ImageVersion } from '../ports/galleryGateway';
import { textReply, type Reply } from '../interaction';

/** Images shown at most in one card; a filter narrows the rest. Keeps the card well under Teams' 28 KB. */
export const GALLERY_IMAGES_SHOWN = 20;
/** Versions shown per image, newest first; the older ones are counted. */
const VERSIONS_SHOWN = 3;

/**
 * `images` in a conversation bound to a gallery alone: each image with its OS, OS state, and newest versions
 * (state when not Succeeded, OS disk size, target regions). Read-only: a gallery alone has nothing to enable.
 * ARM reads: one list of definitions, then one list of versions per image shown (never per version).
 */
export async function galleryImagesReply(
  galleries: Pick<GalleryGateway, 'listImageDefinitions' | 'listVersions'>,
  t: Translator,
  galleryId: string,
  filter: string,
): Promise<Reply> {
  const gallery = lastSegment(galleryId);
  const all = (await galleries.listImageDefinitions(galleryId)).sort((a, b) => a.name.localeCompare(b.name));
  if (all.length === 0) return textReply(t('galleryImages.empty', { gallery }));
  const needle = filter.trim().toLowerCase();
  const matching = needle ? all.filter((d) => d.name.toLowerCase().includes(needle)) : all;
  const shown = matching.slice(0, GALLERY_IMAGES_SHOWN);
  const versions = await Promise.all(shown.map((d) => galleries.listVersions(d.id)));
  const facts = shown.map((definition, i) => ({ title: definition.name, value: describe(t, definition, versions[i] ?? []) }));
  const lines = [
    needle ? t('galleryImages.filtered', { filter: filter.trim(), count: matching.length }) : t('galleryImages.summary', { count: all.length, gallery }),
    ...(matching.length > shown.length ? [t('galleryImages.more', { count: matching.length - shown.length })] : []),
    t('galleryImages.readOnly'),
  ];
  const title = t('galleryImages.title', { gallery });
  const card = renderCard(statusCard, { title, facts, warning: '', notice: lines.join(' '), noticeUrl: '', noticeLinkLabel: '' });
  return { kind: 'card', card, summary: `${title}: ${shown.map((d) => d.name).join(', ')}` };
}

function describe(t: Translator, definition: ImageDefinition, versions: readonly ImageVersion[]): string {
  const head = t('galleryImages.line', { os: t(`images.os.${definition.osType}`), state: t(`images.osState.${definition.osState}`) });
  if (versions.length === 0) return `${head} — ${t('galleryImages.noVersion')}`;
  const newest = [...versions].sort((a, b) => compareVersions(b.name, a.name));
  const parts = newest.slice(0, VERSIONS_SHOWN).map((v) => {
    const size = v.osDiskSizeGB !== undefined ? t('galleryImages.size', { size: v.osDiskSizeGB }) : t('galleryImages.sizeUnknown');
    const regions = regionNames(v.targetRegions.map((r) => r.name), t.language) || t('galleryImages.noRegions');
    const state = v.provisioningState && v.provisioningState !== 'Succeeded' ? v.provisioningState : undefined;
    return state ? t('galleryImages.versionState', { version: v.name, state, size, regions }) : t('galleryImages.version', { version: v.name, size, regions });
  });
  const older = newest.length - VERSIONS_SHOWN;
  return [head, ...parts, ...(older > 0 ? [t('galleryImages.olderVersions', { count: older })] : [])].join(' — ');
}

/** Semantic versions, numerically: 1.10.0 after 1.9.0. */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}
