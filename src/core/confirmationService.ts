import type { Clock } from '../ports/clock';
import type { Confirmation, ConfirmationOutcome, ConfirmationStore } from '../ports/confirmations';

const CONFIRMATION_TTL_MS = 10 * 60_000;

export type Answer = 'yes' | 'no';

export type AnswerResult =
  | { kind: 'confirmed'; confirmation: Confirmation }
  | { kind: 'cancelled'; confirmation: Confirmation }
  | { kind: 'notYours'; confirmation: Confirmation }
  | { kind: 'alreadyAnswered'; confirmation: Confirmation; outcome: ConfirmationOutcome }
  | { kind: 'expired'; confirmation: Confirmation }
  | { kind: 'unknown' };

/**
 * Proposed side effects wait here for the proposer's answer: anyone else is refused, the first answer wins,
 * a second changes nothing, and after the TTL the proposal is void.
 */
export class ConfirmationService {
  constructor(
    private readonly store: ConfirmationStore,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly ttlMs = CONFIRMATION_TTL_MS,
  ) {}

  async propose(input: {
    conversationId: string;
    requestedBy: string;
    action: string;
    target: string;
    params: Readonly<Record<string, unknown>>;
  }): Promise<Confirmation> {
    const now = this.clock.now();
    const confirmation = { ...input, id: this.newId(), createdAt: now, expiresAt: now + this.ttlMs };
    await this.store.create(confirmation);
    return confirmation;
  }

  async answer(id: string, conversationId: string, userId: string, answer: Answer): Promise<AnswerResult> {
    const confirmation = await this.store.get(id);
    // A confirmation from another conversation is as good as unknown: card data is never trusted.
    if (!confirmation || confirmation.conversationId !== conversationId) return { kind: 'unknown' };
    if (confirmation.requestedBy.toLowerCase() !== userId.toLowerCase()) return { kind: 'notYours', confirmation };
    if (confirmation.usedAt !== undefined) return { kind: 'alreadyAnswered', confirmation, outcome: confirmation.outcome ?? 'cancelled' };
    const now = this.clock.now();
    if (now > confirmation.expiresAt) {
      await this.store.consume(id, 'expired', now);
      return { kind: 'expired', confirmation };
    }
    const outcome: ConfirmationOutcome = answer === 'yes' ? 'confirmed' : 'cancelled';
    if (!(await this.store.consume(id, outcome, now))) {
      const raced = (await this.store.get(id)) ?? confirmation;
      return { kind: 'alreadyAnswered', confirmation: raced, outcome: raced.outcome ?? 'cancelled' };
    }
    return outcome === 'confirmed' ? { kind: 'confirmed', confirmation } : { kind: 'cancelled', confirmation };
  }

  attachOperation(id: string, operationId: string): Promise<void> {
    return this.store.attachOperation(id, operationId);
  }
}
