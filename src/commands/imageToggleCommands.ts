import { audited, toggleAuditDetail } from '../core/audit';
import { UserError } from '../kernel';
import type { ToggleResult } from '../core/imageService';
import type { MessageKey, Translator } from '../i18n/catalog';
import { actingUser, type CommandServices, textReply, userMessageOf } from '../interaction';
import { defineCommand, type Command, type CommandContext, type CommandResult, type ParseResult } from './types';

/** Image names separated by spaces or commas. */
function parseImageNames(args: string): string[] {
  return [...new Set(args.split(/[\s,]+/).filter((n) => n.length > 0))];
}

const messages = {
  enable: { summary: 'enable.summary', usage: 'enable.usage', missing: 'enable.missing', changed: 'images.enabled', unchanged: 'images.alreadyEnabled' },
  disable: { summary: 'disable.summary', usage: 'disable.usage', missing: 'disable.missing', changed: 'images.disabled', unchanged: 'images.alreadyDisabled' },
} as const satisfies Record<string, Record<'summary' | 'usage' | 'missing' | 'changed' | 'unchanged', MessageKey>>;

type ToggleId = keyof typeof messages;

function toggleCommand(id: ToggleId, alias: string): Command<CommandServices> {
  const enabled = id === 'enable';
  return defineCommand<string[], CommandServices>({
    id,
    aliases: [alias],
    summary: messages[id].summary,
    usage: messages[id].usage,
    role: 'admin',
    sideEffects: true,
    parse: (args): ParseResult<string[]> => {
      const names = parseImageNames(args);
      return names.length > 0 ? { ok: true, value: names } : { ok: false, error: new UserError(messages[id].missing) };
    },
    handle: (ctx, names) => toggle(ctx, id, names, enabled),
  });
}

async function toggle(ctx: CommandContext<CommandServices>, id: ToggleId, names: string[], enabled: boolean): Promise<CommandResult> {
  const { t, request, binding, services } = ctx;
  if (!binding) throw new UserError('status.unbound');
  const result = await audited(
    services.audit,
    services.clock,
    { ...actingUser(request.user), conversationId: request.conversation.id, command: id, target: binding.hostId, correlationId: request.correlationId },
    () => services.images.setEnabled(binding.hostId, names, enabled),
    toggleAuditDetail,
  );
  return textReply(toggleReport(t, id, result));
}

/** One line per outcome: changed, already so, then each failure with what Azure said, in the user's words. */
function toggleReport(t: Translator, id: ToggleId, result: ToggleResult): string {
  const list = (names: readonly string[]) => names.map((n) => `**${n}**`).join(', ');
  const lines: string[] = [];
  if (result.changed.length) lines.push(t(messages[id].changed, { images: list(result.changed), count: result.changed.length }));
  if (result.unchanged.length) lines.push(t(messages[id].unchanged, { images: list(result.unchanged), count: result.unchanged.length }));
  for (const failure of result.failed) {
    const params = { target: failure.name };
    const reason = t(userMessageOf({ key: failure.key, params }, { key: 'azure.operationFailed', params }));
    lines.push(t('images.failed', { image: failure.name, reason }));
  }
  return lines.join('\n\n');
}

export const enableCommand = toggleCommand('enable', 'activer');
export const disableCommand = toggleCommand('disable', 'desactiver');
