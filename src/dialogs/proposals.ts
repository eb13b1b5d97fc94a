import { lastSegment } from '../kernel';
import type { Answer, AnswerResult, ConfirmationService } from '../core/confirmationService';
import type { GalleryService } from '../core/galleryService';
import type { OperationRunner } from '../core/operationRunner';
import { createTranslator, type Translator } from '../i18n/catalog';
import { hasRole, type AccessPolicy } from '../ports/accessPolicy';
import type { Confirmation } from '../ports/confirmations';
import type { OperationKind } from '../ports/operations';
import { textReply, type Reply, type Request } from '../interaction';

/** Who answers, and where: never taken from card data. */
export interface Answerer {
  userId: string;
  aadObjectId?: string;
  conversationId: string;
  locale?: string;
  correlationId: string;
}

/** The answerer of a turn: the acting user (Entra object id when the channel gives one), in this conversation. */
export function answererOf(turn: Omit<Request, 'text'>): Answerer {
  return {
    userId: turn.user.aadObjectId ?? turn.user.id,
    ...(turn.user.aadObjectId ? { aadObjectId: turn.user.aadObjectId } : {}),
    conversationId: turn.conversation.id,
    ...(turn.locale ? { locale: turn.locale } : {}),
    correlationId: turn.correlationId,
  };
}

export interface ProposalDeps {
  confirmations: ConfirmationService;
  galleryService: GalleryService;
  runner: OperationRunner;
  policy: AccessPolicy;
}

const OPERATION_OF: Readonly<Record<string, OperationKind>> = {
  attach: 'attach',
  create: 'createAndAttach',
  detach: 'detach',
  replicate: 'replicate',
};

/**
 * Answers a proposal (typed yes/no in a dialog, or a card button) and, when confirmed by its proposer who is
 * still an admin of the host, journals the operation and launches it. The turn never waits on Azure.
 */
export class ProposalHandler {
  constructor(private readonly deps: ProposalDeps) {}

  async answer(confirmationId: string, answer: Answer, who: Answerer, extras: { removeRole?: boolean } = {}): Promise<Reply> {
    const t = createTranslator(who.locale);
    const result = await this.deps.confirmations.answer(confirmationId, who.conversationId, who.userId, answer);
    if (result.kind !== 'confirmed') return textReply(describe(t, result));
    return this.execute(result.confirmation, who, t, extras);
  }

  private async execute(confirmation: Confirmation, who: Answerer, t: Translator, extras: { removeRole?: boolean }): Promise<Reply> {
    const hostId = String(confirmation.params.hostId ?? '');
    // Ten minutes may have passed: the role is checked again, at the moment it matters.
    const role = await this.deps.policy.roleOf(who.aadObjectId ? { aadObjectId: who.aadObjectId } : {}, hostId);
    if (!hasRole(role, 'admin')) return textReply(t('proposal.noLongerAdmin'));
    const kind = OPERATION_OF[confirmation.action];
    if (!kind) return textReply(t('proposal.unknown'));
    const params = kind === 'detach' ? { ...confirmation.params, removeRole: extras.removeRole === true } : confirmation.params;
    const operation = await this.deps.galleryService.start(kind, {
      hostId,
      target: confirmation.target,
      requestedBy: who.userId,
      conversationId: who.conversationId,
      locale: who.locale ?? 'en-US',
      correlationId: who.correlationId,
      params,
    });
    await this.deps.confirmations.attachOperation(confirmation.id, operation.id);
    this.deps.runner.launch(operation.id);
    if (kind === 'replicate') {
      const regions = Array.isArray(params.regions) ? params.regions.length : 0;
      return textReply(t('operation.started.replicate', { image: String(params.image ?? ''), version: String(params.version ?? ''), count: regions }));
    }
    return textReply(t(`operation.started.${kind}`, { gallery: lastSegment(confirmation.target), host: lastSegment(hostId) }));
  }
}

function describe(t: Translator, result: Exclude<AnswerResult, { kind: 'confirmed' }>): string {
  switch (result.kind) {
    case 'cancelled':
      return t('proposal.cancelled');
    case 'notYours':
      return t('proposal.notYours');
    case 'expired':
      return t('proposal.expired', { command: result.confirmation.action });
    case 'alreadyAnswered':
      return t(
        result.outcome === 'confirmed' ? 'proposal.alreadyConfirmed' : result.outcome === 'expired' ? 'proposal.alreadyExpired' : 'proposal.alreadyCancelled',
      );
    case 'unknown':
      return t('proposal.unknown');
  }
}
