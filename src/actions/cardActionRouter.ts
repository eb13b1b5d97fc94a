/**
 * actions/: card-action verbs (Action.Execute / Action.Submit from our cards), one spec per verb, and the router
 * that re-checks every invoke. They return Replies; the edge sends them.
 */
import { lastSegment, UserError } from '../kernel';
import { actingUser, apology, type CommandServices, type Reply, textReply, userMessageOf } from '../interaction';
import { createTranslator, type Translator } from '../i18n/catalog';
import { hasRole, type AccessPolicy, type Role } from '../ports/accessPolicy';
import type { Logger } from '../ports/logger';
import type { ConversationNotifier } from '../ports/notifier';
import type { HostBinding } from '../ports/stores';
import { checkCardData } from './cardData';
import type { ActionAnswer, ActionContext, ActionRequest, CardAction, Settled } from './types';

export interface CardActionRouterDeps<S> {
  services: S;
  policy: AccessPolicy;
  /** Posts what work that outlived the invoke deadline has to say. */
  notifier: ConversationNotifier;
  /** How long an action may wait before answering; Teams gives up after about 5 s. Default 4 s. */
  deadlineMs?: number;
}

const DEFAULT_DEADLINE_MS = 4_000;
const VERB = /^[a-z][a-zA-Z]*(\.[a-z][a-zA-Z]*)+$/;

/**
 * Answers `adaptiveCard/action` invokes. Card data is never trusted: at every invoke the verb must be one of the
 * registered actions, the caller's role is looked up again on this conversation's bound host (failing closed),
 * the data must have the shape the action expects, and every image it names must belong to the gallery attached
 * to that host. A refusal is a localized message and writes nothing to Azure; refusals of actions with side
 * effects are audited.
 */
export class CardActionRouter<S extends CommandServices> {
  private readonly byVerb = new Map<string, CardAction<S>>();
  private readonly background = new Set<Promise<void>>();
  private readonly deadlineMs: number;

  constructor(
    actions: readonly CardAction<S>[],
    private readonly deps: CardActionRouterDeps<S>,
  ) {
    for (const action of actions) {
      if (!VERB.test(action.verb)) throw new Error(`card verb "${action.verb}" must look like "area.action"`);
      if (this.byVerb.has(action.verb)) throw new Error(`card verb "${action.verb}" is registered twice`);
      this.byVerb.set(action.verb, action);
    }
    this.deadlineMs = deps.deadlineMs ?? DEFAULT_DEADLINE_MS;
  }

  get verbs(): string[] {
    return [...this.byVerb.keys()];
  }

  async handle(request: ActionRequest, log: Logger): Promise<ActionAnswer> {
    const t = createTranslator(request.locale);
    const verb = typeof request.verb === 'string' ? request.verb : '';
    const action = this.byVerb.get(verb);
    if (!action) {
      // The verb is card data, i.e. user input: its length, never its text.
      log.warn({ verbChars: verb.length }, 'card action refused: unknown verb');
      return { kind: 'badRequest', text: t('actions.unknownVerb') };
    }

    const { services } = this.deps;
    const binding = await services.bindings.get(request.conversation.id);
    if (!binding) return textReply(t('status.unbound'));
    const principal = request.user.aadObjectId ? { aadObjectId: request.user.aadObjectId } : {};
    const role = await this.deps.policy.roleOf(principal, binding.hostId);
    const refuse = async (reason: string, message: string): Promise<Reply> => {
      log.info({ verb, role, reason }, 'card action refused');
      if (action.sideEffects) await this.auditRefusal(request, action, binding, reason);
      return textReply(message);
    };
    // Most card actions act on a lab host's images or labs: a conversation bound to a gallery alone has none (its
    // image card has no buttons; a replayed or forged one stops here). The retry of failed regions needs no host.
    if (binding.kind === 'gallery' && action.needsHost) return refuse('galleryOnly', t('router.needsHost', { command: verb.slice(0, 40), gallery: lastSegment(binding.hostId) }));

    if (!hasRole(role, action.role)) {
      return refuse(`role=${role}`, t('actions.notAllowed', { role: t(`role.${action.role}`), yourRole: t(`role.${role}`) }));
    }
    const data = checkCardData(request.data);
    if (!data) return refuse('invalidData', t('actions.invalid'));
    const prepared = action.prepare(data);
    if (!prepared.ok) return refuse('invalidData', t(userMessageOf(prepared.error, apology, log)));

    try {
      const unknown = await this.foreignImage(binding.hostId, prepared.value.images);
      if (unknown !== undefined) return await refuse('unknownImage', t('actions.unknownImage', { image: unknown.slice(0, 80) }));
      return await prepared.value.run(this.context(request, t, role, binding, log));
    } catch (error) {
      if (error instanceof UserError) return textReply(t(userMessageOf(error, apology, log)));
      throw error;
    }
  }

  /** Waits for the work an action left running after it answered (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  /** The first name that is not an image of the host's attached gallery (none attached: every name). */
  private async foreignImage(hostId: string, names: readonly string[]): Promise<string | undefined> {
    if (names.length === 0) return undefined;
    const known = new Set((await this.deps.services.images.list(hostId)).map((i) => i.name.toLowerCase()));
    return names.find((name) => !known.has(name.trim().toLowerCase()));
  }

  private context(request: ActionRequest, t: Translator, role: Role, binding: HostBinding, log: Logger): ActionContext<S> {
    return {
      request,
      t,
      role,
      binding,
      services: this.deps.services,
      log,
      withinDeadline: (work) => this.withinDeadline(work),
      later: (work) => this.later(request.conversation.id, work, log),
    };
  }

  private withinDeadline<T>(work: Promise<T>): Promise<Settled<T>> {
    // On the services' clock, so tests reach the deadline by moving their clock rather than by waiting 4 s.
    let expire: (value: Settled<T>) => void = () => undefined;
    const deadline = new Promise<Settled<T>>((resolve) => (expire = resolve));
    const timer = this.deps.services.clock.setTimeout(() => expire({ done: false }), this.deadlineMs);
    const settled = work.then((value): Settled<T> => ({ done: true, value }));
    return Promise.race([settled, deadline]).finally(() => timer.cancel());
  }

  private later(conversationId: string, work: Promise<Reply | undefined>, log: Logger): void {
    const tracked = work
      .then(async (message) => {
        if (message) await this.deps.notifier.send(conversationId, message);
      })
      .catch((error: unknown) => log.error({ err: error }, 'card action failed after its answer'))
      .finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  private async auditRefusal(request: ActionRequest, action: CardAction<S>, binding: HostBinding, reason: string): Promise<void> {
    const { services } = this.deps;
    await services.audit.append({
      time: services.clock.now(),
      ...actingUser(request.user),
      conversationId: request.conversation.id,
      command: action.verb,
      target: binding.hostId,
      outcome: 'refused',
      correlationId: request.correlationId,
      detail: reason,
    });
  }
}
