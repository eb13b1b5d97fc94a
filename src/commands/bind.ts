import { audited } from '../core/audit';
import { sameArmId, UserError } from '../kernel';
import { hasRole } from '../ports/accessPolicy';
import { actingUser, type CommandServices, textReply } from '../interaction';
import { defineCommand } from './types';

/** What the directory says when a name fits no host, or several: the caller learns neither. */
const NOT_FOUND_KEYS = new Set(['bind.unknownHost', 'bind.ambiguous']);

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
  async handle({ t, request, binding, roleOn, services, log }, target) {
    const actor = actingUser(request.user);
    const { userId } = actor;
    const base = { ...actor, conversationId: request.conversation.id, command: 'bind', correlationId: request.correlationId };
    // "No such host" and "not yours" read the same, so that bind cannot be used to learn which host names exist.
    const refuse = async (reason: string, auditTarget: string): Promise<never> => {
      log.info({ command: 'bind', reason }, 'bind refused');
      await services.audit.append({ ...base, time: services.clock.now(), target: auditTarget, outcome: 'refused', detail: reason });
      throw new UserError('bind.unavailable', { value: target.slice(0, 200) });
    };
    let host;
    try {
      host = await services.hosts.resolve(target);
    } catch (error) {
      if (error instanceof UserError && NOT_FOUND_KEYS.has(error.key)) return refuse(error.key === 'bind.ambiguous' ? 'ambiguous' : 'notFound', target.slice(0, 200));
      throw error;
    }
    if (binding && sameArmId(binding.hostId, host.id)) return textReply(t('bind.unchanged', { host: host.name }));
    // Binding moves a conversation onto a host: the caller must be admin there too, not only where it was.
    if (!hasRole(await roleOn(host.id), 'admin')) return refuse('notAdmin', host.id);
    await audited(services.audit, services.clock, { ...base, target: host.id }, () =>
      services.bindings.put(
        { conversationId: request.conversation.id, hostId: host.id, boundBy: userId, boundAt: services.clock.now() },
        binding ? { ifMatch: binding.eTag } : { ifNoneMatch: '*' },
      ),
    );
    return textReply(t('bind.done', { host: host.name }));
  },
});
