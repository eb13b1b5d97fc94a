import { audited } from '../core/audit';
import { lastSegment } from '../kernel';
import { actingUser, type CommandServices, textReply } from '../interaction';
import { defineCommand, noArgs } from './types';

export const unbindCommand = defineCommand<void, CommandServices>({
  id: 'unbind',
  aliases: ['delier'],
  summary: 'unbind.summary',
  usage: 'unbind.usage',
  role: 'admin',
  sideEffects: true,
  group: 'setup',
  // Works in a conversation bound to a gallery alone too.
  needsHost: false,
  parse: noArgs,
  async handle({ t, request, bound, services }) {
    // Either kind: a gallery binding is removed as a host binding is.
    const binding = bound?.binding;
    if (!binding) return textReply(t('unbind.nothing'));
    await audited(
      services.audit,
      services.clock,
      { ...actingUser(request.user), conversationId: request.conversation.id, command: 'unbind', target: binding.hostId, correlationId: request.correlationId },
      () => services.bindings.delete(request.conversation.id, { ifMatch: binding.eTag }),
    );
    return textReply(t('unbind.done', { host: lastSegment(binding.hostId) }));
  },
});
