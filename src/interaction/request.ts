/** What the bot edge makes of a turn: no Bot Framework types beyond this point. */
export interface Request {
  /** Mention stripped, trimmed, whitespace collapsed. */
  text: string;
  locale?: string;
  user: { id: string; aadObjectId?: string; name?: string };
  conversation: { id: string; tenantId?: string; type?: string };
  correlationId: string;
}
