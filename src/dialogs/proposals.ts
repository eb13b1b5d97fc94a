import { lastSegment, UserError } from '../kernel';
import type { Answer, AnswerResult, ConfirmationService } from '../core/confirmationService';
import type { GalleryService } from '../core/galleryService';
import type { OperationRunner } from '../core/operationRunner';
import { createTranslator, type Translator } from '../i18n/catalog';
import { hasRole, type AccessPolicy } from '../ports/accessPolicy';
import type { Confirmation } from '../ports/confirmations';
import type { OperationKind } from '../ports/operations';
import type { Clock } from '../ports/clock';
import type { AuditLog } from '../ports/stores';
import { actingUserId, textReply, type Reply, type Request } from '../interaction';

/** Who answers, and where: never taken from card data. */
export interface Answerer {
  userId: string;
  aadObjectId?: string;
  conversationId: string;
  locale?: string;
  correlationId: string;
}

/** The answerer of a turn: the acting user (their Entra object id: the one identity rule), in this conversation. */
export function answererOf(turn: Omit<Request, 'text'>): Answerer {
  const userId = actingUserId(turn.user);
  return {
    userId,
    aadObjectId: userId,
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
  audit: AuditLog;
  clock: Clock;
}

const OPERATION_OF: Readonly<Record<string, OperationKind>> = {
  attach: 'attach',
  create: 'createAndAttach',
  detach: 'detach',
  replicate: 'replicate',
  retryRegions: 'retryRegions',
};

/**
 * Answers a proposal (typed yes/no in a dialog, or a card button) and, when confirmed by its proposer who is
 * still an admin of the host, journals the operation and launches it. The turn never waits on Azure.
 */
export class ProposalHandler {
  constructor(private readonly deps: ProposalDeps) {}

  async answer(confirmationId: string, answer: Answer, who: Answerer, extras: { removeRole?: boolean } = {}): Promise<Reply> {
    const t = createTranslator(who.locale);
    const { confirmations } = this.deps;
    if (answer === 'no') {
      const result = await confirmations.answer(confirmationId, who.conversationId, who.userId, 'no');
      // A 'no' never confirms; the narrowing is for the compiler.
      return textReply(result.kind === 'confirmed' ? t('proposal.unknown') : describe(t, result));
    }
    const seen = await confirmations.inspect(confirmationId, who.conversationId, who.userId);
    if (seen.kind !== 'open') return textReply(describe(t, seen));
    return this.execute(seen.confirmation, who, t, extras);
  }

  /**
   * Journals the operation first and consumes the proposal only once it is journaled: a host busy with another
   * change leaves the proposal open (and is audited), and of two racing answers the one that does not consume
   * abandons its journal entry unlaunched.
   */
  private async execute(confirmation: Confirmation, who: Answerer, t: Translator, extras: { removeRole?: boolean }): Promise<Reply> {
    const { deps } = this;
    const hostId = String(confirmation.params.hostId ?? '');
    // Ten minutes may have passed: the role is checked again, at the moment it matters.
    const role = await deps.policy.roleOf(who.aadObjectId ? { aadObjectId: who.aadObjectId } : {}, hostId);
    if (!hasRole(role, 'admin')) return textReply(t('proposal.noLongerAdmin'));
    const kind = OPERATION_OF[confirmation.action];
    if (!kind) return textReply(t('proposal.unknown'));
    const params = kind === 'detach' ? { ...confirmation.params, removeRole: extras.removeRole === true } : confirmation.params;
    let operation;
    try {
      operation = await deps.galleryService.start(kind, {
        hostId,
        target: confirmation.target,
        requestedBy: who.userId,
        conversationId: who.conversationId,
        locale: who.locale ?? 'en-US',
        correlationId: who.correlationId,
        params,
      });
    } catch (error) {
      if (!(error instanceof UserError) || error.key !== 'operation.busy') throw error;
      // A second click racing the first finds the host busy with this very proposal's operation.
      const now = await deps.confirmations.inspect(confirmation.id, who.conversationId, who.userId);
      if (now.kind !== 'open') return textReply(describe(t, now));
      return this.refuseBusy(confirmation, hostId, who, t, error);
    }
    if (!(await deps.confirmations.consume(confirmation.id, 'confirmed'))) {
      await deps.galleryService.abandon(operation);
      return textReply(describe(t, await deps.confirmations.raced(confirmation)));
    }
    await deps.confirmations.attachOperation(confirmation.id, operation.id);
    deps.runner.launch(operation.id);
    if (kind === 'replicate' || kind === 'retryRegions') {
      const regions = Array.isArray(params.regions) ? params.regions.length : 0;
      return textReply(t(`operation.started.${kind}`, { image: String(params.image ?? ''), version: String(params.version ?? ''), count: regions }));
    }
    return textReply(t(`operation.started.${kind}`, { gallery: lastSegment(confirmation.target), host: lastSegment(hostId) }));
  }

  /** What runs on the host, and since when; the proposal is left as it was. */
  private async refuseBusy(confirmation: Confirmation, hostId: string, who: Answerer, t: Translator, error: UserError): Promise<Reply> {
    const { deps } = this;
    const now = deps.clock.now();
    const running = await deps.galleryService.runningOn(hostId);
    const runningKind = running?.kind ?? String(error.params.kind ?? '');
    const what = t(isOperationKind(runningKind) ? `operation.what.${runningKind}` : 'operation.what.other');
    await deps.audit.append({
      time: now,
      userId: who.userId,
      conversationId: who.conversationId,
      command: confirmation.action,
      target: confirmation.target,
      outcome: 'refused',
      correlationId: who.correlationId,
      detail: `operation.busy running=${runningKind || 'unknown'}${running ? ` operation=${running.id}` : ''}`,
    });
    return textReply(
      t('proposal.hostBusy', {
        host: lastSegment(hostId),
        what,
        minutes: running ? Math.max(0, Math.round((now - running.createdAt) / 60_000)) : 0,
        left: Math.max(1, Math.ceil((confirmation.expiresAt - now) / 60_000)),
      }),
    );
  }
}

const OPERATION_KINDS: ReadonlySet<string> = new Set<OperationKind>(['attach', 'createAndAttach', 'detach', 'replicate', 'createLab', 'retryRegions']);

function isOperationKind(value: string): value is OperationKind {
  return OPERATION_KINDS.has(value);
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
