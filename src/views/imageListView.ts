import { renderCard } from '../cards/renderCard';
import { imagesCard, type ImageListCardData, type ImageListItem } from '../cards/templates';
import { IMAGE_VERBS, imageToggleId, type Reply, TEMPLATE_PICK_VERB, textReply } from '../interaction';
import { AzureError, lastSegment } from '../kernel';
import { OS_DISK_LIMIT_GB } from '../core/imageEligibility';
import type { ImageDetails, ImageService, ImageView } from '../core/imageService';
import type { Translator } from '../i18n/catalog';
import type { Role } from '../ports/accessPolicy';
import type { LabHost } from '../ports/labHostGateway';

/**
 * Images per card page. At its worst (80-character names, long display names, many regions, every reason and
 * an Apply failure on each image, in French) an admin page is about 22 KB, under Teams' 28 KB with room for the
 * message around it; 25 would be about 35 KB (samples in test/support/cardSamples.ts). A page costs at most
 * this many version reads (ImageService.details reads up to 25).
 */
export const IMAGES_PAGE_SIZE = 15;
/** Longest filter a user may type or a card may carry. */
export const MAX_FILTER_LENGTH = 100;
const SHOWN_DISPLAY_NAME = 100;
const SHOWN_REGIONS = 8;
const SHOWN_FILTER = 60;

export interface ImageListQuery {
  /** From 0; past the last page shows the last page. */
  page: number;
  /** Case-insensitive substring of the name or display name; empty: every image. */
  filter: string;
}

/** Whose view: admins get toggles, teachers the enabled images that can back a template, members the list. */
export interface ImageListViewer {
  role: Role;
  /** Channel user id the card refreshes itself for. */
  userId: string;
}

export interface ImageListOutcome {
  notice?: { text: string; color: ImageListCardData['noticeColor'] };
  /** What Apply could not change, by lowercase image name. */
  failures?: ReadonlyMap<string, string>;
}

/**
 * The image list of the host's attached gallery as a card, for one viewer and one page. Costs one image list
 * (and the host, cached) plus the latest versions of the page's images (cached by ImageService).
 */
export async function imageListReply(
  images: ImageService,
  t: Translator,
  hostId: string,
  viewer: ImageListViewer,
  query: ImageListQuery,
  outcome: ImageListOutcome = {},
): Promise<Reply> {
  const { host, images: all } = await images.snapshot(hostId);
  if (!host.sharedGalleryId) return textReply(t('images.listNoGallery', { host: host.name }));
  const gallery = lastSegment(host.sharedGalleryId);
  const teacher = viewer.role === 'teacher';
  const admin = viewer.role === 'admin';

  const matching = filterImages(all, query.filter);
  // Lab plans say which images have a replica in their region without a version read: teachers never see the others.
  const candidates = teacher ? matching.filter((i) => i.enabled && i.inHostRegion !== false) : matching;
  const pages = Math.max(1, Math.ceil(candidates.length / IMAGES_PAGE_SIZE));
  const page = Math.min(query.page, pages - 1);
  const slice = candidates.slice(page * IMAGES_PAGE_SIZE, (page + 1) * IMAGES_PAGE_SIZE);

  let details: ImageDetails[] | undefined;
  let notice = outcome.notice;
  try {
    details = await images.details(host, slice);
  } catch (error) {
    if (!(error instanceof AzureError)) throw error;
    notice ??= { text: t('images.eligibilityUnknown', { reason: t(`azure.${error.kind}`, { target: gallery }) }), color: 'Warning' };
  }

  const items = slice.flatMap((image, i): ImageListItem[] => {
    const detail = details?.[i];
    if (teacher && !detail?.eligible) return [];
    return [toItem(t, host, image, detail, outcome.failures?.get(image.name.toLowerCase()))];
  });

  const filter = query.filter.trim();
  const enabledCount = all.filter((i) => i.enabled).length;
  const intro = [
    t('images.hostLine', { host: host.name, region: host.location, enabled: enabledCount, total: all.length }),
    ...(filter ? [t('images.filterLine', { filter: clip(filter, SHOWN_FILTER), count: matching.length })] : []),
    ...(teacher ? [t('images.teacherIntro')] : []),
  ].join(' · ');

  const data: ImageListCardData = {
    title: t('images.title', { gallery }),
    intro,
    notice: notice?.text ?? '',
    noticeColor: notice?.color ?? 'Default',
    images: items,
    empty: items.length > 0 ? '' : emptyText(t, all.length, filter, teacher),
    pageLine: t('images.pageLine', { page: page + 1, pages, count: candidates.length }),
    admin,
    teacher,
    toggleLabel: t('images.toggle'),
    pickLabel: t('images.useAsTemplate'),
    applyLabel: t('images.apply'),
    enableAllLabel: t(filter ? 'images.enableMatching' : 'images.enableAll'),
    disableAllLabel: t(filter ? 'images.disableMatching' : 'images.disableAll'),
    refreshLabel: t('images.refresh'),
    previousLabel: t('common.previous'),
    nextLabel: t('common.next'),
    verbs: { ...IMAGE_VERBS, pick: TEMPLATE_PICK_VERB },
    page,
    filter,
    hasPrevious: page > 0,
    previousPage: Math.max(0, page - 1),
    hasNext: page < pages - 1,
    nextPage: Math.min(pages - 1, page + 1),
    refreshUserIds: [viewer.userId],
  };
  return { kind: 'card', card: renderCard(imagesCard, data), summary: `${data.title}: ${data.pageLine}` };
}

/** Images whose name or display name contains the filter, case-insensitively; all of them for an empty filter. */
export function filterImages(images: readonly ImageView[], filter: string): ImageView[] {
  const needle = filter.trim().toLowerCase();
  if (!needle) return [...images];
  return images.filter((i) => i.name.toLowerCase().includes(needle) || i.displayName.toLowerCase().includes(needle));
}

function toItem(t: Translator, host: LabHost, image: ImageView, detail: ImageDetails | undefined, failure: string | undefined): ImageListItem {
  const facts = [
    ...(image.displayName && image.displayName !== image.name ? [clip(image.displayName, SHOWN_DISPLAY_NAME)] : []),
    t(`images.os.${image.osType}`),
    t(`images.osState.${image.osState}`),
    detail ? (detail.latestVersion ? t('images.latestVersion', { version: clip(detail.latestVersion, 40) }) : t('images.noVersion')) : t('images.versionUnknown'),
    t(image.enabled ? 'images.isEnabled' : 'images.isDisabled'),
  ].join(' · ');
  const warning = [
    ...(detail && !detail.eligible ? [t('images.ineligible', { reasons: detail.reasons.map((r) => reasonText(t, r, host, detail)).join('; ') })] : []),
    ...(failure ? [failure] : []),
  ].join(' ');
  return { name: image.name, facts, regions: regionsText(t, host, image, detail), warning, toggleId: imageToggleId(image.name), value: image.enabled ? 'true' : 'false' };
}

/** A plan's image list does not say where an image is available: the page's details (its versions) do. */
function regionsText(t: Translator, host: LabHost, image: ImageView, detail: ImageDetails | undefined): string {
  if (host.kind === 'labAccount') return t('images.regionsByAccount', { region: host.location });
  const regions = image.availableRegions ?? detail?.availableRegions ?? [];
  const inHostRegion = image.inHostRegion ?? detail?.inHostRegion;
  if (regions.length === 0) return t('images.noRegions', { region: host.location });
  const shown = regions.slice(0, SHOWN_REGIONS).join(', ') + (regions.length > SHOWN_REGIONS ? ` +${regions.length - SHOWN_REGIONS}` : '');
  return t(inHostRegion ? 'images.regionsWithHost' : 'images.regionsWithoutHost', { regions: shown, region: host.location });
}

function reasonText(t: Translator, reason: ImageDetails['reasons'][number], host: LabHost, detail: ImageDetails): string {
  switch (reason) {
    case 'osDiskTooLarge':
      return t('images.reason.osDiskTooLarge', { size: detail.osDiskSizeGB ?? '?', limit: OS_DISK_LIMIT_GB });
    case 'dataDisks':
      return t('images.reason.dataDisks', { count: detail.dataDiskCount });
    case 'notInHostRegion':
      return t('images.reason.notInHostRegion', { region: host.location });
    case 'noVersion':
      return t('images.reason.noVersion');
  }
}

function emptyText(t: Translator, total: number, filter: string, teacher: boolean): string {
  if (total === 0) return t('images.empty');
  if (teacher) return t('images.teacherEmpty');
  return t('images.noMatch', { filter: clip(filter, SHOWN_FILTER) });
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
