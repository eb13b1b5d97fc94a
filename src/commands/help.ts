import { renderCard } from '../cards/renderCard';
import type { AdaptiveCard } from '../ports/notifier';
import { helpCard, type HelpCardData } from '../cards/templates';
import type { CommandServices } from '../interaction';
import { defineCommand, noArgs, type Command } from './types';

const MAX_RENDERED_CARDS = 64;

/**
 * Rendered cards by their data: the help card depends only on the language, the role and what that role may
 * run, so a few renderings serve every turn (expanding the template was most of a help turn's cost, bench/turn).
 * The cache belongs to one command instance, built with the registry.
 */
function renderedHelpCards(): (data: HelpCardData) => AdaptiveCard {
  const rendered = new Map<string, AdaptiveCard>();
  return (data) => {
    const key = JSON.stringify(data);
    let card = rendered.get(key);
    if (!card) {
      // Frozen, as every turn shares it (a copy would cost as much as the rendering).
      card = deepFreeze(renderCard(helpCard, data));
      if (rendered.size >= MAX_RENDERED_CARDS) rendered.clear();
      rendered.set(key, card);
    }
    return card;
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function createHelpCommand(): Command<CommandServices> {
  const helpCardFor = renderedHelpCards();
  return defineCommand<void, CommandServices>({
    id: 'help',
    aliases: ['aide', 'commands'],
    summary: 'help.summary',
    usage: 'help.usage',
    role: 'member',
    sideEffects: false,
    parse: noArgs,
    async handle({ t, role, available }) {
      // Card text is HTML-sanitised by Teams clients: <name> would vanish, ‹name› shows.
      const commands = available.map((c) => ({ usage: t(c.usage).replace(/</g, '‹').replace(/>/g, '›'), summary: t(c.summary) }));
      const card = helpCardFor({
        title: t('help.title'),
        intro: t('help.intro'),
        commands,
        roleLine: t('help.roleLine', { role: t(`role.${role}`) }),
        footer: t('help.footer'),
      });
      return { kind: 'card', card, summary: `${t('help.title')}: ${commands.map((c) => c.usage.split(' ')[0]).join(', ')}` };
    },
  });
}
