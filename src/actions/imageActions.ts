import { actingUser, apology, type CommandServices, IMAGE_TOGGLE_PREFIX, IMAGE_VERBS, type Reply, textReply, userMessageOf } from '../interaction';
import {
  type BulkQuestion,
  type ChangeSet,
  filterImages,
  imageListCapabilities,
  type ImageListOutcome,
  type ImageListQuery,
  imageListReply,
  type ImageListViewer,
  IMAGES_PAGE_SIZE,
  isCarriedCode,
  isListTag,
  MAX_FILTER_LENGTH,
  namesDigest,
  pendingChanges,
} from '../views';
import { audited, toggleAuditDetail } from '../core/audit';
import { UserError } from '../kernel';
import type { ToggleResult } from '../core/imageService';
import type { Translator } from '../i18n/catalog';
import { invalidData, readCount, readPage, readString } from './cardData';
import { defineCardAction, type ActionContext, type ActionParseResult, type CardAction, type CardData } from './types';

/** Failures a late report lists one by one. */
const SHOWN_FAILURES = 10;

/** What every image-list button sends back: the page and filter, the audience, and the changes not applied yet. */
interface CardState {
  query: ImageListQuery;
  audience: 'own' | 'shared';
}

/**
 * The page and filter, the audience (`view: 'shared'`, else own), the carried changes (`changes` and `list`), the
 * page the card was on (`from`), and every `image:<name>` toggle Teams merged into the data ('true' or 'false').
 * `discard` drops the changes and the toggles.
 */
function parseState(data: CardData): ActionParseResult<CardState> {
  const page = readPage(data);
  const filter = readString(data, 'filter', { allowEmpty: true });
  if (page === undefined || filter === undefined || filter.length > MAX_FILTER_LENGTH) return invalidData();
  const view = Object.hasOwn(data, 'view') ? data.view : undefined;
  if (view !== undefined && view !== 'shared') return invalidData();
  const from = readCount(data, 'from');
  if (Object.hasOwn(data, 'from') && from === undefined) return invalidData();
  const code = Object.hasOwn(data, 'changes') ? data.changes : undefined;
  const tag = Object.hasOwn(data, 'list') ? data.list : undefined;
  if ((code === undefined) !== (tag === undefined)) return invalidData();
  if (code !== undefined && (typeof code !== 'string' || typeof tag !== 'string' || !isCarriedCode(code) || !isListTag(tag))) return invalidData();
  const toggles: [string, boolean][] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!key.startsWith(IMAGE_TOGGLE_PREFIX)) continue;
    const name = key.slice(IMAGE_TOGGLE_PREFIX.length);
    if (!name.trim() || (value !== 'true' && value !== 'false')) return invalidData();
    toggles.push([name, value === 'true']);
  }
  if (toggles.length > IMAGES_PAGE_SIZE) return invalidData();
  const discard = Object.hasOwn(data, 'discard');
  const changes: ChangeSet = discard
    ? {}
    : { ...(typeof code === 'string' && typeof tag === 'string' ? { carried: { code, tag } } : {}), ...(toggles.length > 0 ? { toggles: Object.fromEntries(toggles) } : {}) };
  const query: ImageListQuery = { page, filter, changes, ...(from !== undefined ? { from } : {}) };
  return { ok: true, value: { query, audience: view === 'shared' ? 'shared' : 'own' } };
}

interface BulkAnswer extends CardState {
  /** How many images the question said would change, and the digest of their names. */
  count: number;
  digest: string;
}

function parseBulkAnswer(data: CardData): ActionParseResult<BulkAnswer> {
  const state = parseState(data);
  if (!state.ok) return state;
  const count = readCount(data, 'count');
  const digest = readString(data, 'digest');
  if (count === undefined || count === 0 || digest === undefined || !isListTag(digest)) return invalidData();
  return { ok: true, value: { ...state.value, count, digest } };
}

const viewerOf = (ctx: ActionContext<CommandServices>, audience: 'own' | 'shared' = 'own'): ImageListViewer => ({ role: ctx.role, userId: ctx.request.user.id, audience });

/** Next, Previous, Refresh, Cancel and Discard: the same card for the caller, at another page or fresher. */
function viewAction(verb: string): CardAction<CommandServices> {
  return defineCardAction<CardState, CommandServices>({
    verb,
    role: 'member',
    sideEffects: false,
    parse: parseState,
    handle: (ctx, { query, audience }) => imageListReply(ctx.services.images, ctx.t, ctx.binding.hostId, viewerOf(ctx, audience), query),
  });
}

const imagesPageAction = viewAction(IMAGE_VERBS.page);
const imagesRefreshAction = viewAction(IMAGE_VERBS.refresh);

/** "My options" on a shared card: the caller's own view (a teacher's list is another list: its first page). */
const imagesMineAction = defineCardAction<CardState, CommandServices>({
  verb: IMAGE_VERBS.mine,
  role: 'member',
  sideEffects: false,
  parse: parseState,
  handle: (ctx, { query }) => {
    const viewer = viewerOf(ctx);
    const page = imageListCapabilities(viewer).listAll ? query.page : 0;
    return imageListReply(ctx.services.images, ctx.t, ctx.binding.hostId, viewer, { page, filter: query.filter });
  },
});

/** Apply: writes only the wanted states (this page's toggles, the changes carried from others) that differ from Azure's. */
const imagesApplyAction = defineCardAction<CardState, CommandServices>({
  verb: IMAGE_VERBS.apply,
  role: 'admin',
  sideEffects: true,
  parse: parseState,
  images: (state) => Object.keys(state.query.changes?.toggles ?? {}),
  handle: async (ctx, { query }) => {
    const { services, binding } = ctx;
    const { pending, lost } = pendingChanges(await services.images.list(binding.hostId), { ...(query.changes?.carried ? { carried: query.changes.carried } : {}) });
    const wanted: Record<string, boolean> = { ...Object.fromEntries(pending), ...query.changes?.toggles };
    const enabling = new Set(Object.entries(wanted).filter(([, on]) => on).map(([name]) => name.toLowerCase()));
    const shown = { page: query.page, filter: query.filter };
    return toggleAndShow(ctx, IMAGE_VERBS.apply, shown, () => services.images.applyToggles(binding.hostId, wanted), enabling, lost);
  },
});

/** Which images Enable all / Disable all would write: those matching the card's filter, on every page, not already so. */
async function bulkPlan(ctx: ActionContext<CommandServices>, filter: string, enabled: boolean) {
  const matching = filterImages(await ctx.services.images.list(ctx.binding.hostId), filter);
  const changing = matching.filter((i) => i.enabled !== enabled).map((i) => i.name);
  return { matching: matching.map((i) => i.name), changing, digest: namesDigest(changing) };
}

/** The question the card asks before Enable all / Disable all, with the count it would change. */
function bulkQuestion(t: Translator, enabled: boolean, filter: string, count: number, digest: string): BulkQuestion {
  const key = enabled ? (filter ? 'images.confirmEnableMatching' : 'images.confirmEnableAll') : filter ? 'images.confirmDisableMatching' : 'images.confirmDisableAll';
  return {
    text: t(key, { count, filter: filter.slice(0, 60) }),
    confirmLabel: t(enabled ? 'images.confirmEnable' : 'images.confirmDisable', { count }),
    verb: enabled ? IMAGE_VERBS.confirmEnableAll : IMAGE_VERBS.confirmDisableAll,
    count,
    digest,
  };
}

/**
 * Enable all / Disable all: nothing is written yet. The card asks "Disable all 16 images?" in place, with the
 * count and what teachers lose; when nothing would change it says so and asks nothing.
 */
function bulkAsk(verb: string, enabled: boolean): CardAction<CommandServices> {
  return defineCardAction<CardState, CommandServices>({
    verb,
    role: 'admin',
    sideEffects: false,
    parse: parseState,
    handle: async (ctx, { query }) => {
      const { services, binding, t } = ctx;
      const filter = query.filter.trim();
      const plan = await bulkPlan(ctx, filter, enabled);
      if (plan.changing.length === 0) {
        const notice = { text: nothingToDo(t, enabled, plan.matching.length), color: 'Default' as const };
        return imageListReply(services.images, t, binding.hostId, viewerOf(ctx), query, { notice });
      }
      return imageListReply(services.images, t, binding.hostId, viewerOf(ctx), query, { question: bulkQuestion(t, enabled, filter, plan.changing.length, plan.digest) });
    },
  });
}

/**
 * The admin's yes: it writes only if the images to change are still those the question counted (same digest);
 * otherwise it asks again with the new count. Audited as the Enable all / Disable all it confirms.
 */
function bulkConfirm(verb: string, audited: string, enabled: boolean): CardAction<CommandServices> {
  return defineCardAction<BulkAnswer, CommandServices>({
    verb,
    role: 'admin',
    sideEffects: true,
    parse: parseBulkAnswer,
    handle: async (ctx, answer) => {
      const { services, binding, t } = ctx;
      const { query } = answer;
      const filter = query.filter.trim();
      const plan = await bulkPlan(ctx, filter, enabled);
      if (plan.changing.length === 0) {
        return imageListReply(services.images, t, binding.hostId, viewerOf(ctx), query, { notice: { text: nothingToDo(t, enabled, plan.matching.length), color: 'Default' } });
      }
      if (plan.changing.length !== answer.count || plan.digest !== answer.digest) {
        const question = bulkQuestion(t, enabled, filter, plan.changing.length, plan.digest);
        return imageListReply(services.images, t, binding.hostId, viewerOf(ctx), query, { notice: { text: t('images.bulkChanged'), color: 'Warning' }, question });
      }
      const enabling = new Set(enabled ? plan.matching.map((n) => n.toLowerCase()) : []);
      // The bulk change overrides what was waiting for these images, and the page's toggles (the client sends them
      // as they were before it); changes carried for other images stay pending.
      const carried = query.changes?.carried;
      const shown: ImageListQuery = { page: query.page, filter: query.filter, changes: { ...(carried ? { carried } : {}), forget: plan.matching } };
      return toggleAndShow(ctx, audited, shown, () => services.images.setEnabled(binding.hostId, plan.matching, enabled), enabling);
    },
  });
}

function nothingToDo(t: Translator, enabled: boolean, total: number): string {
  if (total === 0) return t('images.nothingChanged');
  return t(enabled ? 'images.allEnabledAlready' : 'images.allDisabledAlready', { count: total });
}

/** The image list's actions, in the order they appear on the card. */
export const imageActions: readonly CardAction<CommandServices>[] = [
  imagesApplyAction,
  bulkAsk(IMAGE_VERBS.enableAll, true),
  bulkAsk(IMAGE_VERBS.disableAll, false),
  bulkConfirm(IMAGE_VERBS.confirmEnableAll, IMAGE_VERBS.enableAll, true),
  bulkConfirm(IMAGE_VERBS.confirmDisableAll, IMAGE_VERBS.disableAll, false),
  imagesPageAction,
  imagesRefreshAction,
  imagesMineAction,
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
  lost = 0,
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
  const outcome = outcomeOf(t, settled.value, enabling);
  if (lost > 0 && outcome.notice) outcome.notice = { text: `${outcome.notice.text} ${t('images.changesLost', { count: lost })}`, color: 'Warning' };
  return imageListReply(services.images, t, binding.hostId, viewerOf(ctx), query, outcome);
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
