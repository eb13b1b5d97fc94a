import { renderCard } from '../cards/renderCard';
import { auditCard } from '../cards/templates';
import { countsOfDetail, imagesOfDetail } from '../core/audit';
import type { MessageKey, Translator } from '../i18n/catalog';
import { shortTime } from '../i18n/timeFormat';
import { lastSegment, parseImageVersionId, UserError } from '../kernel';
import type { AuditEntry } from '../ports/stores';
import type { CommandServices } from '../interaction';
import { defineCommand } from './types';

const MAX = 50;

/** What each audited command did, in words: the past tense for a success, "tried to …" otherwise. */
const ACTIONS: Readonly<Record<string, { done: MessageKey; tried: MessageKey }>> = {
  enable: { done: 'audit.did.enable', tried: 'audit.try.enable' },
  disable: { done: 'audit.did.disable', tried: 'audit.try.disable' },
  'images.apply': { done: 'audit.did.apply', tried: 'audit.try.apply' },
  'images.enableAll': { done: 'audit.did.enableAll', tried: 'audit.try.enableAll' },
  'images.disableAll': { done: 'audit.did.disableAll', tried: 'audit.try.disableAll' },
  bind: { done: 'audit.did.bind', tried: 'audit.try.bind' },
  unbind: { done: 'audit.did.unbind', tried: 'audit.try.unbind' },
  attach: { done: 'audit.did.attach', tried: 'audit.try.attach' },
  create: { done: 'audit.did.createAndAttach', tried: 'audit.try.createAndAttach' },
  createAndAttach: { done: 'audit.did.createAndAttach', tried: 'audit.try.createAndAttach' },
  detach: { done: 'audit.did.detach', tried: 'audit.try.detach' },
  replicate: { done: 'audit.did.replicate', tried: 'audit.try.replicate' },
  createLab: { done: 'audit.did.createLab', tried: 'audit.try.createLab' },
  retryRegions: { done: 'audit.did.retryRegions', tried: 'audit.try.retryRegions' },
};

const TOGGLES: ReadonlySet<string> = new Set(['enable', 'disable', 'images.apply', 'images.enableAll', 'images.disableAll']);

export const auditCommand = defineCommand<number, CommandServices>({
  id: 'audit',
  aliases: ['journal'],
  summary: 'audit.summary',
  usage: 'audit.usage',
  role: 'admin',
  sideEffects: false,
  // Works in a conversation bound to a gallery alone too.
  needsHost: false,
  parse: (args) => {
    if (!args) return { ok: true, value: 10 };
    const n = Number(args);
    return Number.isInteger(n) && n >= 1 && n <= MAX
      ? { ok: true, value: n }
      : { ok: false, error: new UserError('audit.badCount', { max: MAX }) };
  },
  async handle({ t, request, services }, count) {
    const entries = await services.audit.recent(count, { conversationId: request.conversation.id });
    // An operation's outcome is written by the runner, which knows the person's id only: their latest recorded name stands in.
    const unnamed = entries.filter((e) => !e.userName).map((e) => e.userId);
    const names = unnamed.length ? await services.audit.namesOf(unnamed) : new Map<string, string>();
    const now = services.clock.now();
    const timeZone = request.timeZone;
    const card = renderCard(auditCard, {
      title: t('audit.title', { count: entries.length }),
      entries: entries.map((e, i) => ({
        headline: t('audit.line', {
          action: actionText(t, e, e.userName ?? names.get(e.userId) ?? t('audit.someone')),
          time: shortTime(e.time, t, { now, ...(timeZone ? { timeZone } : {}) }),
        }),
        detailsId: `audit-details-${i}`,
        details: detailsText(e),
      })),
      detailsIds: entries.map((_, i) => `audit-details-${i}`),
      detailsLabel: t('audit.details'),
      empty: entries.length ? '' : t('audit.empty'),
      footer: entries.length && !timeZone ? t('audit.utc') : '',
    });
    return { kind: 'card', card, summary: t('audit.title', { count: entries.length }) };
  },
});

/** "Alex Wilber enabled optics-sim, quantum-gpu"; "Sam tried to enable optics-sim: refused". */
function actionText(t: Translator, e: AuditEntry, user: string): string {
  const keys = ACTIONS[e.command];
  const what = targetText(t, e);
  if (!keys) return t('audit.did.other', { user, command: e.command, what });
  if (e.outcome === 'succeeded') return t(keys.done, { user, what });
  return t('audit.tried', { action: t(keys.tried, { user, what }), outcome: t(`audit.outcome.${e.outcome}`) });
}

/** The images a toggle named, else the target's last segment (an image version as "image version"). */
function targetText(t: Translator, e: AuditEntry): string {
  // Only a toggle's images= lists names: an attach's images= is the gallery's image count.
  const images = TOGGLES.has(e.command) ? imagesOfDetail(e.detail) : [];
  if (images.length) return images.join(', ');
  // A refused or failed toggle names no image: its target is the lab plan or lab account.
  if (TOGGLES.has(e.command)) return t('audit.imagesOn', { host: lastSegment(e.target) });
  const version = parseImageVersionId(e.target);
  if (version) return `${version.imageName} ${version.versionName}`;
  return e.target ? lastSegment(e.target) : '';
}

/** For whoever needs to trace it: ids, codes and references as recorded, never shown unless asked. */
function detailsText(e: AuditEntry): string {
  const counts = countsOfDetail(e.detail);
  const extra = counts ? e.detail?.replace(/ images=\S+$/, '') : e.detail;
  return [
    e.command,
    new Date(e.time).toISOString().replace('T', ' ').slice(0, 19) + ' UTC',
    e.userId,
    e.target,
    e.durationMs === undefined ? undefined : `${Math.round(e.durationMs)} ms`,
    extra,
    `ref ${e.correlationId}`,
  ]
    .filter((part): part is string => !!part)
    .join(' · ');
}
