import { audited } from '../core/audit';
import { sameArmId, UserError } from '../kernel';
import { hasRole } from '../ports/accessPolicy';
import { type CommandServices, textReply } from '../interaction';
import { defineCommand } from './types';

export const bindCommand = defineCommand<string, CommandServices>({
  id: 'bind',
  aliases: ['lier'],
  summary: 'bind.summary',
  usage: 'bind.usage',
  role: 'admin',
  sideEffects: true,
  group: 'setup',
  authorizesTarget: true,
  parse: (args) => (args ? { ok: true, value: args } : { ok: false, error: new UserError('bind.missing') }),
  async handle({ t, request, binding, roleOn, services }, target) {
    const host = await services.hosts.resolve(target);
    if (binding && sameArmId(binding.hostId, host.id)) return textReply(t('bind.unchanged', { host: host.name }));
    // Binding moves a conversation onto a host: the caller must be admin there too, not only where it was.
    if (!hasRole(await roleOn(host.id), 'admin')) throw new UserError('bind.notAdminThere', { host: host.name });
    const userId = request.user.aadObjectId ?? request.user.id;
    await audited(
      services.audit,
      services.clock,
      { userId, conversationId: request.conversation.id, command: 'bind', target: host.id, correlationId: request.correlationId },
      () =>
        services.bindings.put(
          { conversationId: request.conversation.id, hostId: host.id, boundBy: userId, boundAt: services.clock.now() },
          binding ? { ifMatch: binding.eTag } : { ifNoneMatch: '*' },
        ),
    );
    return textReply(t('bind.done', { host: host.name }));
  },
});
