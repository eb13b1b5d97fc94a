import { ActivityTypes, CardFactory, type Activity } from 'botbuilder';
import type { Reply } from '../interaction';

/** A Reply as a Bot Framework activity. */
export function toActivity(reply: Reply): Partial<Activity> {
  if (reply.kind === 'text') return { type: ActivityTypes.Message, text: reply.text, textFormat: 'markdown' };
  return { type: ActivityTypes.Message, summary: reply.summary, attachments: [CardFactory.adaptiveCard(reply.card)] };
}
