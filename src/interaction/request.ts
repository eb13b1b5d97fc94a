import { stripInvisible, UserError } from '../kernel';

/** What the bot edge makes of a turn: no Bot Framework types beyond this point. */
export interface Request {
  /** Mention stripped, trimmed, whitespace collapsed. */
  text: string;
  locale?: string;
  /** The reader's IANA time zone as Teams tells it (`localTimezone`, or the clientInfo entity), for times shown to them. */
  timeZone?: string;
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

/** Longest display name the audit log keeps: Entra allows 256, but a card line needs far less. */
const MAX_NAME = 100;

/** The display name people read (never an identity), cleaned for a card line or a record; undefined when Teams gave none. */
export function displayNameOf(user: Request['user']): string | undefined {
  const name = stripInvisible(user.name ?? '').trim().slice(0, MAX_NAME);
  return name || undefined;
}

/** The acting user for the audit log: the identity (as `actingUserId`) and, when Teams gave one, the display name people read. */
export function actingUser(user: Request['user']): { userId: string; userName?: string } {
  const userId = actingUserId(user);
  const userName = displayNameOf(user);
  return userName ? { userId, userName } : { userId };
}
