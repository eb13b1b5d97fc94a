import { renderCard } from '../cards/renderCard';
import { helpCard } from '../cards/templates';
import type { CommandServices } from './services';
import { defineCommand, noArgs } from './types';

export const helpCommand = defineCommand<void, CommandServices>({
  id: 'help',
  aliases: ['aide', 'commands'],
  summary: 'help.summary',
  usage: 'help.usage',
  role: 'member',
  sideEffects: false,
  parse: noArgs,
  async handle({ t, role, available }) {
    const commands = available.map((c) => ({ usage: t(c.usage), summary: t(c.summary) }));
    const card = renderCard(helpCard, {
      title: t('help.title'),
      intro: t('help.intro'),
      commands,
      roleLine: t('help.roleLine', { role: t(`role.${role}`) }),
      footer: t('help.footer'),
    });
    return { kind: 'card', card, summary: `${t('help.title')}: ${commands.map((c) => c.usage.split(' ')[0]).join(', ')}` };
  },
});
