import { renderCard } from '../cards/renderCard';
import { statusCard } from '../cards/templates';
import { parseLabHostId, lastSegment } from '../core/labHostId';
import type { CommandServices } from './services';
import { defineCommand, noArgs, textReply } from './types';

export const statusCommand = defineCommand<void, CommandServices>({
  id: 'status',
  aliases: ['etat', 'info'],
  summary: 'status.summary',
  usage: 'status.usage',
  role: 'member',
  sideEffects: false,
  parse: noArgs,
  async handle({ t, role, binding }) {
    if (!binding) return textReply(t('status.unbound'));
    const ref = parseLabHostId(binding.hostId);
    const facts = [
      { title: t('status.host'), value: ref?.name ?? lastSegment(binding.hostId) },
      ...(ref ? [{ title: t('status.kind'), value: t(ref.kind === 'labPlan' ? 'kind.labPlan' : 'kind.labAccount') }] : []),
      { title: t('status.role'), value: t(`role.${role}`) },
      { title: t('status.boundBy'), value: new Date(binding.boundAt).toISOString() },
    ];
    const card = renderCard(statusCard, { title: t('status.title'), facts, warning: '' });
    return { kind: 'card', card, summary: `${t('status.title')}: ${facts[0]?.value ?? ''}` };
  },
});
