import { renderCard } from '../cards/renderCard';
import { commandButtonsCard } from '../cards/templates';
import type { CommandServices, Reply } from '../interaction';
import type { Translator } from '../i18n/catalog';
import { defineCommand, noArgs, type Command } from './types';

/** What a newcomer is offered first: where things stand, the images, and everything else. */
const FIRST_STEPS = [
  { command: 'status', title: 'help.button.status' },
  { command: 'images', title: 'help.button.images' },
  { command: 'help', title: 'welcome.button.help' },
] as const;

/** The welcome card: sent when the app is installed or the bot added, and as the answer to a greeting. */
export function welcomeReply(t: Translator): Reply {
  const card = renderCard(commandButtonsCard, {
    title: t('welcome.title'),
    lines: [{ text: t('welcome.intro') }, { text: t('welcome.try') }],
    buttons: FIRST_STEPS.map((s) => ({ title: t(s.title), command: s.command })),
  });
  return { kind: 'card', card, summary: t('welcome.title') };
}

/** Greetings ("hi", "bonjour") answer with the welcome card; help does not list them. */
export const helloCommand: Command<CommandServices> = defineCommand<void, CommandServices>({
  id: 'hello',
  aliases: ['hi', 'hey', 'bonjour', 'salut', 'coucou'],
  summary: 'welcome.summary',
  usage: 'welcome.usage',
  role: 'member',
  sideEffects: false,
  // Works in a conversation bound to a gallery alone too.
  needsHost: false,
  listed: false,
  parse: noArgs,
  async handle({ t }) {
    return welcomeReply(t);
  },
});
