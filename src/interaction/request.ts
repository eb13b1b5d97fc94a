import { UserError } from '../kernel';

/** What the bot edge makes of a turn: no Bot Framework types beyond this point. */
export interface Request {
  /** Mention stripped, trimmed, whitespace collapsed. */
  text: string;
  locale?: string;
  /** `id` is the channel's account id: for addressing (card refresh lists), never for identity. */
  user: { id: string; aadObjectId?: string; name?: string };
  /** `id` is the channel's (threads share it); `thread` the channel post whose thread the message is in. */
  conversation: { id: string; tenantId?: string; type?: string; thread?: string };
  correlationId: string;
}

/**
 * The one identity rule: who acts is the Entra object id (`from.aadObjectId`), the id roles are read by;
 * never the channel's id, which a forged activity can set to anything. Without one, nobody: the edge lets
 * such a turn reach help and status only, and anything that would act in someone's name refuses here.
 */
export function actingUserId(user: Request['user']): string {
  if (!user.aadObjectId) throw new UserError('identity.required');
  return user.aadObjectId;
}
