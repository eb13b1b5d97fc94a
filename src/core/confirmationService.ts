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
    const seen = await this.inspect(id, conversationId, userId);
    if (seen.kind !== 'open') return seen;
    const outcome: ConfirmationOutcome = answer === 'yes' ? 'confirmed' : 'cancelled';
    if (!(await this.consume(id, outcome))) return this.raced(seen.confirmation);
    return outcome === 'confirmed' ? { kind: 'confirmed', confirmation: seen.confirmation } : { kind: 'cancelled', confirmation: seen.confirmation };
  }

  /**
   * Whether this user may answer this proposal now, without using it up ('open'): a confirmation is consumed
   * only once what it confirms has started. An expired one is consumed as such.
   */
  async inspect(id: string, conversationId: string, userId: string): Promise<Exclude<AnswerResult, { kind: 'confirmed' | 'cancelled' }> | { kind: 'open'; confirmation: Confirmation }> {
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
    return { kind: 'open', confirmation };
  }

  /** Uses the proposal up; false when another answer did first. */
  consume(id: string, outcome: ConfirmationOutcome): Promise<boolean> {
    return this.store.consume(id, outcome, this.clock.now());
  }

  /** What a losing answer is told: the winner's outcome. */
  async raced(confirmation: Confirmation): Promise<Extract<AnswerResult, { kind: 'alreadyAnswered' }>> {
    const raced = (await this.store.get(confirmation.id)) ?? confirmation;
    return { kind: 'alreadyAnswered', confirmation: raced, outcome: raced.outcome ?? 'cancelled' };
  }

  attachOperation(id: string, operationId: string): Promise<void> {
    return this.store.attachOperation(id, operationId);
  }
}
