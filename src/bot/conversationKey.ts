/**
 * Teams gives each thread of a channel its own conversation id, `<channel id>;messageid=<post id>`. Bindings,
 * stored references and proposals belong to the channel, so they are keyed by the id without that suffix;
 * a proactive message to that id starts a new post in the channel.
 */
export function conversationKey(conversationId: string): string {
  const cut = conversationId.search(/;messageid=/i);
  return cut < 0 ? conversationId : conversationId.slice(0, cut);
}

/** The post a channel message's thread hangs off (the `messageid` of its conversation id), if any. */
export function threadOf(conversationId: string): string | undefined {
  return /;messageid=([^;]+)/i.exec(conversationId)?.[1];
}
