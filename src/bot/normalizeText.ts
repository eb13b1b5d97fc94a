import { stripInvisible } from '../kernel';

/**
 * The one place where message text is cleaned before routing: mention already removed by the caller,
 * zero-width and bidi control characters dropped, Teams' HTML leftovers decoded and whitespace collapsed.
 */
export function normalizeText(text: string | undefined): string {
  return stripInvisible(text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;|\u00a0/gi, ' ')
    .replace(/<\/?(p|div|span|br)[^>]*>/gi, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}
