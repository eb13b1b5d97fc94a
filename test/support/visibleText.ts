import type { Activity, Attachment } from 'botbuilder';

/** All text a reply shows: its text, or the TextBlocks and facts of its card. */
export function visibleText(activity: Partial<Activity>): string {
  const parts: string[] = [];
  if (activity.text) parts.push(activity.text);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value', 'label', 'placeholder']) if (typeof o[key] === 'string') parts.push(o[key]);
      Object.values(o).forEach(walk);
    }
  };
  for (const a of (activity.attachments ?? []) as Attachment[]) walk(a.content);
  return parts.join('\n');
}
