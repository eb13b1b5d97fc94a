import { UserError } from '../kernel';
import type { ActionParseResult, CardData, CardValue } from './types';

/** Longest string a card field may hold; a forged 10 KB value is refused before any action sees it. */
const MAX_CARD_STRING = 200;
/** A page of toggles plus the card's own fields, with room to spare. */
const MAX_CARD_KEYS = 64;
/** No image list has this many pages; anything above is forged. */
const MAX_PAGE = 10_000;

/**
 * The shape every action's data must have: a flat JSON object of short strings, finite numbers and booleans
 * (absent data counts as empty). Undefined when it has anything else.
 */
export function checkCardData(data: unknown): CardData | undefined {
  if (data === undefined || data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) return undefined;
  const entries = Object.entries(data as Record<string, unknown>);
  if (entries.length > MAX_CARD_KEYS) return undefined;
  for (const [key, value] of entries) {
    if (key.length > MAX_CARD_STRING + 16 || !isCardValue(value)) return undefined;
  }
  // fromEntries defines own properties: a `__proto__` key stays a plain key.
  return Object.fromEntries(entries) as CardData;
}

function isCardValue(value: unknown): value is CardValue {
  if (typeof value === 'string') return value.length <= MAX_CARD_STRING;
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'boolean';
}

export const invalidData = (): ActionParseResult<never> => ({ ok: false, error: new UserError('actions.invalid') });

/** A page number as the card wrote it: an integer from 0. */
export function readPage(data: CardData): number | undefined {
  return readCount(data, 'page');
}

/** A small count or page number (an integer from 0) the card wrote under this key. */
export function readCount(data: CardData, key: string): number | undefined {
  const value = Object.hasOwn(data, key) ? data[key] : undefined;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_PAGE ? value : undefined;
}

/** A string field that must be present (it may be empty when `allowEmpty`). */
export function readString(data: CardData, key: string, { allowEmpty = false } = {}): string | undefined {
  const value = Object.hasOwn(data, key) ? data[key] : undefined;
  if (typeof value !== 'string') return undefined;
  return allowEmpty || value.trim() !== '' ? value : undefined;
}
