import type { ConversationNotifier, OutgoingMessage } from '../ports/notifier';

/** Where an operation's one card is, and whom to tell when it ends: kept so that a restarted bot still finds it. */
export interface OperationPost {
  conversationId: string;
  /** The card's message, updated in place through the outbox. */
  activityId: string;
  /** The channel post whose thread the request came from: the ready message goes there. */
  thread?: string;
  /** Who asked: their channel account id (for an @mention) and name. */
  user: { id: string; name?: string };
}

/** The part of botbuilder's Storage this needs (the dialog-state store, either backend). */
export interface KeyValueStorage {
  read(keys: string[]): Promise<Record<string, unknown>>;
  write(changes: Record<string, unknown>): Promise<void>;
}

/** The outbox key of an operation's card: every update of it names this. */
export function operationCardKey(operationId: string): string {
  return `operation:${operationId}:card`;
}

const storageKey = (operationId: string) => `operationPost/${operationId}`;
/** The same post found from its message: a press on a card that became an operation's names only that message. */
const cardKey = (conversationId: string, activityId: string) => `operationCard/${conversationId}/${activityId}`;

/**
 * An operation's card as the turn that started it posted it: recorded in the outbox (so that updates replace it,
 * with Teams' limits and retries) and beside it who asked and in which thread, before the operation is launched.
 */
export class OperationPosts {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly notifier: ConversationNotifier,
  ) {}

  async record(operationId: string, post: OperationPost, card: OutgoingMessage): Promise<void> {
    await this.notifier.adopt(post.conversationId, operationCardKey(operationId), post.activityId, card);
    // '*' overwrites: a record written again (a retried turn) holds the same post.
    await this.storage.write({
      [storageKey(operationId)]: { ...post, eTag: '*' },
      [cardKey(post.conversationId, post.activityId)]: { operationId, eTag: '*' },
    });
  }

  /** The operation whose card this message became, if any (a form or a proposal pressed again from an old render). */
  async operationOfCard(conversationId: string, activityId: string): Promise<string | undefined> {
    const key = cardKey(conversationId, activityId);
    const item = (await this.storage.read([key]))[key] as { operationId?: unknown } | undefined;
    return typeof item?.operationId === 'string' ? item.operationId : undefined;
  }

  async get(operationId: string): Promise<OperationPost | undefined> {
    const item = (await this.storage.read([storageKey(operationId)]))[storageKey(operationId)];
    return isPost(item) ? item : undefined;
  }
}

function isPost(value: unknown): value is OperationPost {
  if (!value || typeof value !== 'object') return false;
  const post = value as Partial<OperationPost>;
  return typeof post.conversationId === 'string' && typeof post.activityId === 'string' && typeof post.user?.id === 'string';
}
