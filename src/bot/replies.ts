import { ActivityTypes, CardFactory, type Activity } from 'botbuilder';
import type { Reply } from '../interaction';

/** A Reply as a Bot Framework activity. */
export function toActivity(reply: Reply): Partial<Activity> {
  if (reply.kind === 'text') {
    const entities = (reply.mentions ?? []).map((m) => ({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } }));
    return { type: ActivityTypes.Message, text: reply.text, textFormat: 'markdown', ...(entities.length ? { entities } : {}) };
  }
  return { type: ActivityTypes.Message, summary: reply.summary, attachments: [CardFactory.adaptiveCard(reply.card)] };
}
