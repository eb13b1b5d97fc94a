import type { Request } from '../interaction';

export { actingUserId } from '../interaction';

/** Our requester, as every Request, card action and dialog turn carries it. */
export type Requester = Request['user'];

/**
 * A Teams user (the activity's `from`, a ChannelAccount) as our requester: the channel's id always, the Entra object id and the
 * display name when the channel gives them. The one place this mapping is written.
 */
export function requesterOf(from: { id: string; aadObjectId?: string; name?: string }): Requester {
  return {
    id: from.id,
    ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}),
    ...(from.name ? { name: from.name } : {}),
  };
}
