import { actingUser, apology, type CommandServices, IMAGE_TOGGLE_PREFIX, IMAGE_VERBS, type Reply, textReply, userMessageOf } from '../interaction';
import { filterImages, type ImageListOutcome, type ImageListQuery, imageListReply, IMAGES_PAGE_SIZE, MAX_FILTER_LENGTH } from '../views';
import { audited, toggleAuditDetail } from '../core/audit';
import { UserError } from '../kernel';
import type { ToggleResult } from '../core/imageService';
import type { Translator } from '../i18n/catalog';
import { invalidData, readPage, readString } from './cardData';
import { defineCardAction, type ActionContext, type ActionParseResult, type CardAction, type CardData } from './types';

/** Failures a late report lists one by one. */
const SHOWN_FAILURES = 10;

function parseQuery(data: CardData): ActionParseResult<ImageListQuery> {
  const page = readPage(data);
  const filter = readString(data, 'filter', { allowEmpty: true });
  if (page === undefined || filter === undefined || filter.length > MAX_FILTER_LENGTH) return invalidData();
  return { ok: true, value: { page, filter } };
}

interface ApplyData extends ImageListQuery {
  /** Wanted state by image name, one entry per toggle on the card. */
  wanted: Record<string, boolean>;
}

/** The page and filter, and every `image:<name>` toggle Teams merged into the data ('true' or 'false'). */
function parseApply(data: CardData): ActionParseResult<ApplyData> {
  const query = parseQuery(data);
  if (!query.ok) return query;
  const wanted: [string, boolean][] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!key.startsWith(IMAGE_TOGGLE_PREFIX)) continue;
    const name = key.slice(IMAGE_TOGGLE_PREFIX.length);
    if (!name.trim() || (value !== 'true' && value !== 'false')) return invalidData();
    wanted.push([name, value === 'true']);
  }
  if (wanted.length > IMAGES_PAGE_SIZE) return invalidData();
  return { ok: true, value: { ...query.value, wanted: Object.fromEntries(wanted) } };
}

const viewerOf = (ctx: ActionContext<CommandServices>) => ({ role: ctx.role, userId: ctx.request.user.id });

/** Next, Previous and Refresh: the caller's own view of the page, whoever the card was made for. */
function viewAction(verb: string): CardAction<CommandServices> {
  return defineCardAction<ImageListQuery, CommandServices>({
    verb,
    role: 'member',
    sideEffects: false,
    parse: parseQuery,
    handle: (ctx, query) => imageListReply(ctx.services.images, ctx.t, ctx.binding.hostId, viewerOf(ctx), query),
  });
}

const imagesPageAction = viewAction(IMAGE_VERBS.page);
const imagesRefreshAction = viewAction(IMAGE_VERBS.refresh);

/** Apply: writes only the toggles that differ from Azure's state, then shows the page as Azure now has it. */
const imagesApplyAction = defineCardAction<ApplyData, CommandServices>({
  verb: IMAGE_VERBS.apply,
  role: 'admin',
  sideEffects: true,
  parse: parseApply,
  images: (data) => Object.keys(data.wanted),
  handle: (ctx, data) => {
    const { services, binding } = ctx;
    const enabling = new Set(Object.entries(data.wanted).filter(([, on]) => on).map(([name]) => name.toLowerCase()));
    return toggleAndShow(ctx, IMAGE_VERBS.apply, data, () => services.images.applyToggles(binding.hostId, data.wanted), enabling);
  },
});

/** Enable all / Disable all: every image matching the card's filter, on every page. */
function bulkAction(verb: string, enabled: boolean): CardAction<CommandServices> {
  return defineCardAction<ImageListQuery, CommandServices>({
    verb,
    role: 'admin',
    sideEffects: true,
    parse: parseQuery,
    handle: async (ctx, query) => {
      const { services, binding, t } = ctx;
      const names = filterImages(await services.images.list(binding.hostId), query.filter).map((i) => i.name);
      if (names.length === 0) {
        return imageListReply(services.images, t, binding.hostId, viewerOf(ctx), query, { notice: { text: t('images.nothingChanged'), color: 'Default' } });
      }
      const enabling = new Set(enabled ? names.map((n) => n.toLowerCase()) : []);
      return toggleAndShow(ctx, verb, query, () => services.images.setEnabled(binding.hostId, names, enabled), enabling);
    },
  });
}

const imagesEnableAllAction = bulkAction(IMAGE_VERBS.enableAll, true);
const imagesDisableAllAction = bulkAction(IMAGE_VERBS.disableAll, false);

/** The image list's actions, in the order they appear on the card. */
export const imageActions: readonly CardAction<CommandServices>[] = [
  imagesApplyAction,
  imagesEnableAllAction,
  imagesDisableAllAction,
  imagesPageAction,
  imagesRefreshAction,
];

/**
 * Runs an audited toggle and answers with the page as Azure now has it, the outcome on top and each failure on
 * its image. Past the invoke deadline it answers at once with what is known, and posts the outcome when done.
 */
async function toggleAndShow(
  ctx: ActionContext<CommandServices>,
  verb: string,
  query: ImageListQuery,
  toggle: () => Promise<ToggleResult>,
  enabling: ReadonlySet<string>,
): Promise<Reply> {
  const { services, binding, request, t } = ctx;
  const work = audited(
    services.audit,
    services.clock,
    { ...actingUser(request.user), conversationId: request.conversation.id, command: verb, target: binding.hostId, correlationId: request.correlationId },
    toggle,
    toggleAuditDetail,
  );
  const settled = await ctx.withinDeadline(work);
  if (!settled.done) {
    ctx.later(
      work.then(
        (result) => textReply(lateReport(t, result, enabling)),
        (error: unknown) => {
          if (error instanceof UserError) return textReply(t(userMessageOf(error, apology, ctx.log)));
          throw error;
        },
      ),
    );
    return imageListReply(services.images, t, binding.hostId, viewerOf(ctx), query, { notice: { text: t('images.applyPending'), color: 'Default' } });
  }
  return imageListReply(services.images, t, binding.hostId, viewerOf(ctx), query, outcomeOf(t, settled.value, enabling));
}

function outcomeOf(t: Translator, result: ToggleResult, enabling: ReadonlySet<string>): ImageListOutcome {
  // On the card the failure sits under its image: the name is not repeated.
  const failures = new Map(result.failed.map((f) => [f.name.toLowerCase(), t('images.notChanged', { reason: failureReason(t, f) })]));
  return { notice: { text: countsText(t, result, enabling), color: result.failed.length > 0 ? 'Warning' : 'Good' }, failures };
}

/** Counts, not names: a bulk change over hundreds of images must still fit a card or a message. */
function countsText(t: Translator, result: ToggleResult, enabling: ReadonlySet<string>): string {
  if (result.changed.length === 0 && result.failed.length === 0) return t('images.nothingChanged');
  const enabled = result.changed.filter((n) => enabling.has(n.toLowerCase())).length;
  return t('images.applied', { enabled, disabled: result.changed.length - enabled, failed: result.failed.length });
}

function lateReport(t: Translator, result: ToggleResult, enabling: ReadonlySet<string>): string {
  const lines = [countsText(t, result, enabling), ...result.failed.slice(0, SHOWN_FAILURES).map((f) => t('images.failed', { image: f.name, reason: failureReason(t, f) }))];
  if (result.failed.length > SHOWN_FAILURES) lines.push(t('images.moreFailures', { count: result.failed.length - SHOWN_FAILURES }));
  return lines.join('\n\n');
}

function failureReason(t: Translator, failure: ToggleResult['failed'][number]): string {
  const params = { target: failure.name };
  return t(userMessageOf({ key: failure.key, params }, { key: 'azure.operationFailed', params }));
}
