import { renderCard } from '../cards/renderCard';
import { imagesCard, type ImageListCardData, type ImageListItem } from '../cards/templates';
import { IMAGE_VERBS, imageToggleId, type Reply, TEMPLATE_PICK_VERB, textReply } from '../interaction';
import { AzureError, lastSegment } from '../kernel';
import { OS_DISK_LIMIT_GB } from '../core/imageEligibility';
import { type ImageDetails, type ImageService, type ImageView, MAX_DETAILS } from '../core/imageService';
import type { Translator } from '../i18n/catalog';
import { regionName } from '../i18n/azureNames';
import type { Role } from '../ports/accessPolicy';
import type { LabHost } from '../ports/labHostGateway';
import { type ChangeSet, encodeChanges, MAX_CARRIED_CHANGES, pendingChanges } from './imageChanges';

/**
 * Images per card page. At its worst (80-character names, long display names, many regions, every reason and
 * an Apply failure on each image, in French) an admin page is about 22 KB, under Teams' 28 KB with room for the
 * message around it; 25 would be about 35 KB (samples in test/support/cardSamples.ts). A page costs at most
 * this many version reads (ImageService.details reads up to 25).
 */
export const IMAGES_PAGE_SIZE = 15;
/** A teacher's view reads the versions of this many enabled images at most before it shows a page with its count. */
const TEACHER_COUNT_ALL = 50;
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
  /** Toggles changed but not applied yet (admin view). */
  changes?: ChangeSet;
  /** The page the card showed when Next or Previous was pressed: it stays there if the changes cannot be carried. */
  from?: number;
}

/**
 * Whose view. `own`: what the viewer's role allows (admins get toggles, teachers the enabled images that can back
 * a template, members the list). `shared`: a card everyone in a channel or group chat sees, so only what everyone
 * may do, and "My options" for the rest.
 */
export interface ImageListViewer {
  role: Role;
  /** Channel user id the card refreshes itself for. */
  userId: string;
  audience?: 'own' | 'shared';
}

/** What a card offers: from the viewer (imageListCapabilities); a variant of the list may narrow it. */
export interface ImageListCapabilities {
  /** Every image of the gallery; otherwise only the enabled ones that can back a template. */
  listAll: boolean;
  /** A toggle per image, Apply, Enable all and Disable all. */
  toggles: boolean;
  /** "Use as template" per image. */
  pick: boolean;
  /** "My options": the caller's own view of a shared card. */
  myOptions: boolean;
  /** A member's own view says why it offers nothing. */
  lookOnly: boolean;
}

export function imageListCapabilities(viewer: ImageListViewer): ImageListCapabilities {
  if (viewer.audience === 'shared') return { listAll: true, toggles: false, pick: false, myOptions: true, lookOnly: false };
  const { role } = viewer;
  return { listAll: role !== 'teacher', toggles: role === 'admin', pick: role === 'teacher', myOptions: false, lookOnly: role === 'member' };
}

/** Enable all / Disable all waiting for the admin's yes: the button that says it, with the check the action re-does. */
export interface BulkQuestion {
  text: string;
  confirmLabel: string;
  verb: string;
  /** The number of images it changes and the digest of their names (ImageActions checks both again). */
  count: number;
  digest: string;
}

export interface ImageListOutcome {
  notice?: { text: string; color: ImageListCardData['noticeColor'] };
  /** What Apply could not change, by lowercase image name. */
  failures?: ReadonlyMap<string, string>;
  question?: BulkQuestion;
}

type ActionData = Record<string, string | number>;

interface ShownImage {
  image: ImageView;
  detail: ImageDetails | undefined;
}

/** One page of what the viewer may see, and how many there are in all (undefined: not all were read). */
interface PageOfImages {
  shown: ShownImage[];
  page: number;
  total: number | undefined;
  hasNext: boolean;
  problem?: AzureError;
}

/**
 * The image list of the host's attached gallery as a card, for one viewer and one page. Costs one image list
 * (and the host, cached) plus the latest versions of the page's images (cached by ImageService); a teacher's
 * view reads versions until it has the page, as only those tell which images can back a template.
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
  const can = imageListCapabilities(viewer);
  const shared = viewer.audience === 'shared';

  const matching = filterImages(all, query.filter);
  const { pending, lost } = can.toggles ? pendingChanges(all, query.changes) : { pending: new Map<string, boolean>(), lost: 0 };
  let wantedPage = query.page;
  let tooMany = 0;
  if (can.toggles && query.from !== undefined && query.from !== query.page) {
    const offPage = (page: number) => countOffPage(pending, pageOf(matching, page));
    if (offPage(query.page) > MAX_CARRIED_CHANGES) {
      tooMany = pending.size;
      wantedPage = query.from;
    }
  }
  const view = can.listAll ? await fullPage(images, host, matching, wantedPage) : await eligiblePage(images, host, matching, wantedPage);

  let notice = outcome.notice;
  if (view.problem) notice ??= { text: t('images.eligibilityUnknown', { reason: t(`azure.${view.problem.kind}`, { target: gallery }) }), color: 'Warning' };
  if (tooMany > 0) notice = { text: t('images.tooManyChanges', { count: tooMany, max: MAX_CARRIED_CHANGES }), color: 'Warning' };
  if (lost > 0) notice = { text: [notice?.text, t('images.changesLost', { count: lost })].filter(Boolean).join(' '), color: 'Warning' };
  if (!notice && can.lookOnly) notice = { text: t('images.lookOnly'), color: 'Default' };

  const items = view.shown.map(({ image, detail }) =>
    toItem(t, host, image, detail, outcome.failures?.get(image.name.toLowerCase()), pending.get(image.name.toLowerCase())),
  );

  const filter = query.filter.trim();
  const teacherView = !can.listAll;
  const intro = [
    teacherView
      ? t(view.total === undefined || view.problem ? 'images.teacherHostLineOpen' : 'images.teacherHostLine', { host: host.name, region: regionName(host.location, t.language), count: view.total ?? 0 })
      : t('images.hostLine', { host: host.name, region: regionName(host.location, t.language), enabled: all.filter((i) => i.enabled).length, total: all.length }),
    ...(filter ? [teacherView ? t('images.teacherFilterLine', { filter: clip(filter, SHOWN_FILTER) }) : t('images.filterLine', { filter: clip(filter, SHOWN_FILTER), count: matching.length })] : []),
  ].join(' · ');

  // Every button carries the page, the filter, the audience and the changes not on this page (the client adds the toggles).
  const onPage = new Set(view.shown.map((s) => s.image.name.toLowerCase()));
  const carried = encodeChanges(all, pending, onPage);
  const stateOf = (page: number, extra: ActionData = {}): ActionData => ({
    page,
    filter,
    ...(shared ? { view: 'shared' } : {}),
    ...(carried ? { changes: carried.code, list: carried.tag, from: view.page } : {}),
    ...extra,
  });
  const pages = view.total === undefined ? undefined : Math.max(1, Math.ceil(view.total / IMAGES_PAGE_SIZE));
  const question = outcome.question;

  const data: ImageListCardData = {
    title: t('images.title', { gallery }),
    intro,
    notice: notice?.text ?? '',
    noticeColor: notice?.color ?? 'Default',
    pending: can.toggles && pending.size > 0 && !question ? t('images.pendingLine', { count: pending.size }) : '',
    discardLabel: t('images.discard'),
    discardData: { page: view.page, filter, discard: 1 },
    question: question?.text ?? '',
    confirmLabel: question?.confirmLabel ?? '',
    confirmVerb: question?.verb ?? '',
    confirmData: question ? stateOf(view.page, { count: question.count, digest: question.digest }) : {},
    cancelLabel: t('common.cancel'),
    images: items,
    empty: items.length > 0 ? '' : emptyText(t, all.length, filter, teacherView),
    pageLine: pages === undefined ? t('images.pageLineOpen', { page: view.page + 1 }) : t('images.pageLine', { page: view.page + 1, pages, count: view.total ?? 0 }),
    admin: can.toggles,
    adminActions: can.toggles && !question,
    teacher: can.pick,
    myOptions: can.myOptions,
    toggleLabel: t('images.toggle'),
    pickLabel: t('images.useAsTemplate'),
    applyLabel: t('images.apply'),
    enableAllLabel: t(filter ? 'images.enableMatching' : 'images.enableAll'),
    disableAllLabel: t(filter ? 'images.disableMatching' : 'images.disableAll'),
    refreshLabel: t('images.refresh'),
    myOptionsLabel: t('images.myOptions'),
    previousLabel: t('common.previous'),
    nextLabel: t('common.next'),
    verbs: { ...IMAGE_VERBS, pick: TEMPLATE_PICK_VERB },
    data: stateOf(view.page),
    hasPrevious: view.page > 0,
    previousData: stateOf(Math.max(0, view.page - 1)),
    hasNext: view.hasNext,
    nextData: stateOf(view.page + 1),
    // Whoever gets this card has it refreshed to their own view: a shared card turns into the poster's options.
    refreshData: ownState(stateOf(view.page)),
    refreshUserIds: [viewer.userId],
  };
  return { kind: 'card', card: renderCard(imagesCard, data), summary: `${data.title}: ${data.pageLine}` };
}

function ownState({ view: _audience, ...state }: ActionData): ActionData {
  return state;
}

function pageOf<T>(list: readonly T[], page: number): T[] {
  const pages = Math.max(1, Math.ceil(list.length / IMAGES_PAGE_SIZE));
  const at = Math.min(page, pages - 1);
  return list.slice(at * IMAGES_PAGE_SIZE, (at + 1) * IMAGES_PAGE_SIZE);
}

function countOffPage(pending: ReadonlyMap<string, boolean>, page: readonly ImageView[]): number {
  const here = new Set(page.map((i) => i.name.toLowerCase()));
  return [...pending.keys()].filter((name) => !here.has(name)).length;
}

/** Admins and members: every matching image, one page of them with their details. */
async function fullPage(images: ImageService, host: LabHost, matching: readonly ImageView[], asked: number): Promise<PageOfImages> {
  const pages = Math.max(1, Math.ceil(matching.length / IMAGES_PAGE_SIZE));
  const page = Math.min(asked, pages - 1);
  const slice = matching.slice(page * IMAGES_PAGE_SIZE, (page + 1) * IMAGES_PAGE_SIZE);
  try {
    const details = await images.details(host, slice);
    return { shown: slice.map((image, i) => ({ image, detail: details[i] })), page, total: matching.length, hasNext: page < pages - 1 };
  } catch (error) {
    if (!(error instanceof AzureError)) throw error;
    return { shown: slice.map((image) => ({ image, detail: undefined })), page, total: matching.length, hasNext: page < pages - 1, problem: error };
  }
}

/**
 * Teachers: the enabled images that can back a template, counted as listed. Versions are read in batches from
 * the start until the page asked and one more image are known (cached by ImageService, so later pages are cheap);
 * the total is known when every candidate was read.
 */
async function eligiblePage(images: ImageService, host: LabHost, matching: readonly ImageView[], asked: number): Promise<PageOfImages> {
  // Lab plans say which images have a replica in their region without a version read: teachers never see the others.
  const candidates = matching.filter((i) => i.enabled && i.inHostRegion !== false);
  const need = (asked + 1) * IMAGES_PAGE_SIZE + 1;
  // Up to TEACHER_COUNT_ALL candidates are all read, so that a usual gallery shows its exact count at once.
  const readAll = candidates.length <= TEACHER_COUNT_ALL;
  const eligible: ShownImage[] = [];
  let read = 0;
  try {
    while (read < candidates.length && (readAll || eligible.length < need)) {
      const batch = candidates.slice(read, read + MAX_DETAILS);
      const details = await images.details(host, batch);
      batch.forEach((image, i) => {
        if (details[i]?.eligible) eligible.push({ image, detail: details[i] });
      });
      read += batch.length;
    }
  } catch (error) {
    if (!(error instanceof AzureError)) throw error;
    return { shown: [], page: 0, total: 0, hasNext: false, problem: error };
  }
  const complete = read >= candidates.length;
  const pages = Math.max(1, Math.ceil(eligible.length / IMAGES_PAGE_SIZE));
  const page = complete ? Math.min(asked, pages - 1) : asked;
  return {
    shown: eligible.slice(page * IMAGES_PAGE_SIZE, (page + 1) * IMAGES_PAGE_SIZE),
    page,
    total: complete ? eligible.length : undefined,
    hasNext: complete ? page < pages - 1 : true,
  };
}

/** Images whose name or display name contains the filter, case-insensitively; all of them for an empty filter. */
export function filterImages(images: readonly ImageView[], filter: string): ImageView[] {
  const needle = filter.trim().toLowerCase();
  if (!needle) return [...images];
  return images.filter((i) => i.name.toLowerCase().includes(needle) || i.displayName.toLowerCase().includes(needle));
}

function toItem(t: Translator, host: LabHost, image: ImageView, detail: ImageDetails | undefined, failure: string | undefined, pending: boolean | undefined): ImageListItem {
  const facts = [
    ...(image.displayName && image.displayName !== image.name ? [clip(image.displayName, SHOWN_DISPLAY_NAME)] : []),
    t(`images.os.${image.osType}`),
    t(`images.osState.${image.osState}`),
    detail ? (detail.latestVersion ? t('images.latestVersion', { version: clip(detail.latestVersion, 40) }) : t('images.noVersion')) : t('images.versionUnknown'),
    t(image.enabled ? 'images.isEnabled' : 'images.isDisabled'),
    ...(pending === undefined ? [] : [t(pending ? 'images.pendingEnable' : 'images.pendingDisable')]),
  ].join(' · ');
  const warning = [
    ...(detail && !detail.eligible ? [t('images.ineligible', { reasons: detail.reasons.map((r) => reasonText(t, r, host, detail)).join('; ') })] : []),
    ...(failure ? [failure] : []),
  ].join(' ');
  return { name: image.name, facts, regions: regionsText(t, host, image, detail), warning, toggleId: imageToggleId(image.name), value: (pending ?? image.enabled) ? 'true' : 'false' };
}

/** A plan's image list does not say where an image is available: the page's details (its versions) do. */
function regionsText(t: Translator, host: LabHost, image: ImageView, detail: ImageDetails | undefined): string {
  if (host.kind === 'labAccount') return t('images.regionsByAccount', { region: regionName(host.location, t.language) });
  const regions = image.availableRegions ?? detail?.availableRegions ?? [];
  const inHostRegion = image.inHostRegion ?? detail?.inHostRegion;
  if (regions.length === 0) return t('images.noRegions', { region: regionName(host.location, t.language) });
  const shown = regions.slice(0, SHOWN_REGIONS).map((r) => regionName(r, t.language)).join(', ') + (regions.length > SHOWN_REGIONS ? ` +${regions.length - SHOWN_REGIONS}` : '');
  return t(inHostRegion ? 'images.regionsWithHost' : 'images.regionsWithoutHost', { regions: shown, region: regionName(host.location, t.language) });
}

function reasonText(t: Translator, reason: ImageDetails['reasons'][number], host: LabHost, detail: ImageDetails): string {
  switch (reason) {
    case 'osDiskTooLarge':
      return t('images.reason.osDiskTooLarge', { size: detail.osDiskSizeGB ?? '?', limit: OS_DISK_LIMIT_GB });
    case 'dataDisks':
      return t('images.reason.dataDisks', { count: detail.dataDiskCount });
    case 'notInHostRegion':
      return t('images.reason.notInHostRegion', { region: regionName(host.location, t.language) });
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
