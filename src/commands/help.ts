import { renderCard } from '../cards/renderCard';
import { helpCard } from '../cards/templates';
import type { CommandServices, Reply } from '../interaction';
import { defineCommand, noArgs, type Command, type CommandGroup } from './types';

const MAX_RENDERED_CARDS = 64;
const HELP_GROUPS: readonly CommandGroup[] = ['everyday', 'setup'];
/** The two things anyone does first, one tap away. */
const HELP_BUTTONS = ['status', 'images'] as const;

/**
 * Help replies by what they depend on: the language, the role and the commands that role may run here. A few
 * renderings serve every turn (expanding the template, and the thirty-odd catalog look-ups before it, were most
 * of a help turn's own cost, bench/turn). The cache belongs to one command instance, built with the registry.
 */
function cachedHelpReplies(): (key: string, render: () => Reply) => Reply {
  const rendered = new Map<string, Reply>();
  return (key, render) => {
    let reply = rendered.get(key);
    if (!reply) {
      // Frozen, as every turn shares it (a copy would cost as much as the rendering).
      reply = deepFreeze(render());
      if (rendered.size >= MAX_RENDERED_CARDS) rendered.clear();
      rendered.set(key, reply);
    }
    return reply;
  };
}

/** The commands help lists, in its order: everyday ones, then setup; greetings left out. */
export function helpOrder<S>(available: readonly Command<S>[]): Command<S>[] {
  return HELP_GROUPS.flatMap((group) => available.filter((c) => c.listed && c.group === group));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function createHelpCommand(): Command<CommandServices> {
  const helpReply = cachedHelpReplies();
  return defineCommand<void, CommandServices>({
    id: 'help',
    aliases: ['aide', 'commands'],
    summary: 'help.summary',
    usage: 'help.usage',
    role: 'member',
    sideEffects: false,
    // Works in a conversation bound to a gallery alone too.
    needsHost: false,
    parse: noArgs,
    async handle({ t, role, available }) {
      return helpReply(`${t.language}|${role}|${available.map((c) => c.id).join(' ')}`, () => {
        const line = (c: Command<CommandServices>) => ({ usage: t(c.usage), summary: t(c.summary) });
        const groups = HELP_GROUPS.map((group) => ({
          heading: t(`help.group.${group}`),
          commands: helpOrder(available).filter((c) => c.group === group).map(line),
        })).filter((g) => g.commands.length > 0);
        const buttons = HELP_BUTTONS.filter((id) => available.some((c) => c.id === id)).map((id) => ({ title: t(`help.button.${id}`), command: id }));
        const card = renderCard(helpCard, {
          title: t('help.title'),
          intro: t('help.intro'),
          groups,
          roleLine: t('help.roleLine', { role: t(`role.${role}`) }),
          footer: t('help.footer'),
          buttons,
        });
        const usages = groups.flatMap((g) => g.commands.map((c) => c.usage.split(' ')[0]));
        return { kind: 'card', card, summary: `${t('help.title')}: ${usages.join(', ')}` };
      });
    },
  });
}
