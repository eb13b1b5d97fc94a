/** Who asked for a journaled operation, and where its outcome is reported: carried from the turn to the journal. */
export interface Requester {
  requestedBy: string;
  conversationId: string;
  locale: string;
  correlationId: string;
}
