import { renderCard } from '../cards/renderCard';
import { auditCard } from '../cards/templates';
import { lastSegment, UserError } from '../kernel';
import type { CommandServices } from '../interaction';
import { defineCommand } from './types';

const MAX = 50;

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
    const card = renderCard(auditCard, {
      title: t('audit.title', { count: entries.length }),
      entries: entries.map((e) => ({
        headline: t('audit.headline', { command: e.command, target: e.target ? lastSegment(e.target) : '-', outcome: t(`audit.outcome.${e.outcome}`) }),
        detail: t('audit.detail', {
          when: new Date(e.time).toISOString().replace('T', ' ').slice(0, 19),
          user: e.userId,
          duration: e.durationMs === undefined ? '-' : `${Math.round(e.durationMs)} ms`,
          extra: e.detail ?? '',
          correlationId: e.correlationId,
        }),
      })),
      empty: entries.length ? '' : t('audit.empty'),
    });
    return { kind: 'card', card, summary: t('audit.title', { count: entries.length }) };
  },
});
