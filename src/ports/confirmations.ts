/**
 * Confirmations of proposed side effects: bound to the person who asked, single-use and expiring.
 * Kept outside dialog state so that a second click, after the dialog has ended, can still be told what happened.
 */
export type ConfirmationOutcome = 'confirmed' | 'cancelled' | 'expired';

export interface Confirmation {
  id: string;
  conversationId: string;
  /** aadObjectId (or channel user id) of the person who proposed it; only they may answer. */
  requestedBy: string;
  /** Command id, e.g. 'detach'. */
  action: string;
  target: string;
  /** What will be done if confirmed (JSON-safe, no secrets): the proposal itself, never taken from card data. */
  params: Readonly<Record<string, unknown>>;
  createdAt: number;
  expiresAt: number;
  usedAt?: number;
  outcome?: ConfirmationOutcome;
  /** The operation a confirmed proposal started, if any. */
  operationId?: string;
}

export interface ConfirmationStore {
  create(confirmation: Omit<Confirmation, 'usedAt' | 'outcome' | 'operationId'>): Promise<void>;
  get(id: string): Promise<Confirmation | undefined>;
  /**
   * Marks an unused confirmation as used with that outcome, atomically: of two racing answers exactly one
   * gets true. False when it was already used (or does not exist).
   */
  consume(id: string, outcome: ConfirmationOutcome, at: number): Promise<boolean>;
  /** Records which operation a confirmed proposal started. */
  attachOperation(id: string, operationId: string): Promise<void>;
}
