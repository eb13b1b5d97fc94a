/**
 * Zero-width characters (U+200B–U+200D, U+2060, U+FEFF) and bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069): invisible, they can hide or reorder what a reply seems to say
 * ("Trojan Source"). Stripped from what users send before parsing, and from anything quoted back.
 */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/g;

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** The same, through every string of a JSON-like value (card data, a submitted form); other values as they are. */
export function stripInvisibleDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return stripInvisible(value) as T;
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item: unknown) => stripInvisibleDeep(item, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    // defineProperty, not assignment: a "__proto__" key in card data must stay a plain key.
    Object.defineProperty(out, stripInvisible(key), { value: stripInvisibleDeep(item, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}
