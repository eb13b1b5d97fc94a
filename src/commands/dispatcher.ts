import { lastSegment, UserError } from '../kernel';
import { boundTarget } from '../ports/stores';
import { createTranslator } from '../i18n/catalog';
import type { AccessPolicy } from '../ports/accessPolicy';
import type { Logger } from '../ports/logger';
import { noTelemetry, type Telemetry } from '../ports/telemetry';
import { allows, commandWord, type CommandRegistry, type Suggestion } from './registry';
import { actingUser, apology, type CommandServices, type Request, textReply, userMessageOf } from '../interaction';
import type { CommandContext, CommandResult } from './types';
import { commandButtonsCard } from '../cards/templates';
import { renderCard } from '../cards/renderCard';
import type { MessageKey, Translator } from '../i18n/catalog';

/**
 * Turns a Request into a Reply: finds the command, checks the caller's role on this conversation's host,
 * runs it, and turns UserErrors into localized text. Anything else propagates to the turn error boundary.
 */
export class CommandDispatcher<S extends CommandServices> {
  constructor(
    private readonly registry: CommandRegistry<S>,
    private readonly services: S,
    private readonly policy: AccessPolicy,
    private readonly telemetry: Pick<Telemetry, 'annotateTurn'> = noTelemetry,
  ) {}

  /** Whether the text starts with a command word (a pending dialog then gives way to it). */
  isCommand(text: string): boolean {
    return this.registry.match(text).kind === 'command';
  }

  /** The command the text names (help for an empty text), or undefined for an unknown word: never the text itself. */
  commandOf(text: string): string | undefined {
    const match = this.registry.match(text);
    if (match.kind === 'empty') return 'help';
    return match.kind === 'command' ? match.command.id : undefined;
  }

  async dispatch(request: Request, log: Logger): Promise<CommandResult> {
    const t = createTranslator(request.locale);
    const binding = await this.services.bindings.get(request.conversation.id);
    const bound = binding && boundTarget(binding);
    const galleryOnly = bound?.kind === 'gallery';
    const principal = request.user.aadObjectId ? { aadObjectId: request.user.aadObjectId } : {};
    // The role on what the conversation is bound to: the lab host, or the gallery itself.
    const role = await this.policy.roleOf(principal, binding?.hostId);
    const ctx: CommandContext<S> = {
      request,
      t,
      role,
      ...(bound?.kind === 'host' ? { binding: bound.binding } : {}),
      ...(bound ? { bound } : {}),
      roleOn: (scopeId) => this.policy.roleOf(principal, scopeId),
      available: this.registry.visibleTo(role, binding !== undefined).filter((c) => !(galleryOnly && c.needsHost)),
      services: this.services,
      log,
    };

    const match = this.registry.match(request.text);
    if (match.kind === 'unknown') {
      this.telemetry.annotateTurn({ command: 'unknown', role, outcome: 'unknown' });
      return unknownWordReply(t, match.word.slice(0, 40), match.suggestion && spokenSuggestion(t, match.suggestion));
    }
    const command = match.kind === 'empty' ? this.registry.get('help') : match.command;
    if (!command) return textReply(t('router.unknown', { word: '' }));
    const args = match.kind === 'command' ? match.args : '';
    this.telemetry.annotateTurn({ command: command.id, role });

    if (bound?.kind === 'gallery' && command.needsHost) {
      this.telemetry.annotateTurn({ outcome: 'refused' });
      return textReply(t('router.needsHost', { command: spokenWord(t, command), gallery: lastSegment(bound.galleryId) }));
    }
    if (!allows(command, role, binding !== undefined)) {
      log.info({ command: command.id, role }, 'command refused');
      this.telemetry.annotateTurn({ outcome: 'refused' });
      if (command.sideEffects) {
        await this.services.audit.append({
          time: this.services.clock.now(),
          ...actingUser(request.user),
          conversationId: request.conversation.id,
          command: command.id,
          target: binding?.hostId ?? '',
          outcome: 'refused',
          correlationId: request.correlationId,
          detail: `role=${role}`,
        });
      }
      return textReply(
        t('router.notAllowed', { role: t(`role.${command.role}`), command: spokenWord(t, command), yourRole: t(`role.${role}`) }),
      );
    }

    try {
      return await command.run(ctx, args);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.telemetry.annotateTurn({ outcome: 'userError' });
      return textReply(t(userMessageOf(error, apology, log)));
    }
  }
}

/** The command as the reader would type it: the first word of its usage line in their language ("répliquer"). */
function spokenWord(t: Translator, command: { id: string; usage: MessageKey }): string {
  return t(command.usage).split(' ')[0] || command.id;
}

/** The corrected text with the command word as the reader writes it: "répliquer", not the key "repliquer". */
function spokenSuggestion(t: Translator, suggestion: Suggestion<CommandServices>): string {
  const [word = '', ...rest] = suggestion.text.split(' ');
  const spoken = spokenWord(t, suggestion.command);
  return commandWord(spoken) === word ? [spoken, ...rest].join(' ') : suggestion.text;
}

/** One line; with a close command word, the corrected text as a button (it runs nothing by itself). */
function unknownWordReply(t: Translator, word: string, suggestion: string | undefined): CommandResult {
  if (!suggestion) return textReply(t('router.unknown', { word }));
  const text = t('router.didYouMean', { word, suggestion: suggestion.split(' ')[0] ?? suggestion });
  const card = renderCard(commandButtonsCard, { title: '', lines: [{ text }], buttons: [{ title: suggestion.slice(0, 40), command: suggestion }] });
  return { kind: 'card', card, summary: text };
}
