import type { MessageKey, MessageParams } from '../kernel';

export const GALLERY_NAME_MAX_LENGTH = 80;

export interface NameProblem {
  key: MessageKey;
  params: MessageParams;
}

const ALLOWED = /[A-Za-z0-9_.]/;
const LETTER_OR_DIGIT = /^[A-Za-z0-9]$/;

/**
 * What is wrong with a new Azure Compute Gallery name, or undefined when it is valid: letters, digits, `_` and
 * `.`, starting and ending with a letter or digit, 1–80 characters (Azure's naming rules for galleries).
 * The REST spec's own pattern, `^[^_\W][\w-._]{0,79}(?<![-.])$` (typespec ComputeGallery/Gallery.tsp), is looser
 * (it lets a hyphen through and a trailing `_`, which the service refuses): every name accepted here matches it,
 * so nothing we accept is refused by the SDK or ARM for its shape. One problem at a time, most fundamental
 * first, each precise enough to fix without guessing.
 */
export function galleryNameProblem(name: string): NameProblem | undefined {
  if (name.length === 0) return { key: 'create.name.empty', params: {} };
  const invalid = invalidCharacters(name);
  if (invalid.length > 0) {
    // Spaces are named in the rule's words; the signs are listed as typed (invisible ones by their code point).
    const signs = invalid.filter((c) => !/\s/u.test(c));
    return { key: 'create.name.invalidChars', params: { name: shown(name), chars: signs.map(describeChar).join(' '), count: signs.length } };
  }
  const length = [...name].length;
  if (length > GALLERY_NAME_MAX_LENGTH) return { key: 'create.name.tooLong', params: { length, max: GALLERY_NAME_MAX_LENGTH } };
  // Only `_` and `.` are left that may not stand at either end.
  const first = name.charAt(0);
  const last = name.charAt(name.length - 1);
  const badStart = !LETTER_OR_DIGIT.test(first);
  const badEnd = !LETTER_OR_DIGIT.test(last);
  if (badStart && badEnd) return { key: 'create.name.edgeBoth', params: { name, first, last } };
  if (badStart) return { key: 'create.name.edgeStart', params: { name, char: first } };
  if (badEnd) return { key: 'create.name.edgeEnd', params: { name, char: last } };
  return undefined;
}

/** Distinct offending characters, in order of first appearance (code points, so emoji count once). */
function invalidCharacters(name: string): string[] {
  const seen = new Set<string>();
  for (const char of name) if (!ALLOWED.test(char)) seen.add(char);
  return [...seen];
}

/** Visible characters quoted; control characters as U+XXXX, which a chat would otherwise swallow. */
function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char)) return `"${char}"`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Names echoed back in a message are bounded: a pasted paragraph stays out of the reply. */
function shown(name: string): string {
  const chars = [...name];
  return chars.length > 100 ? `${chars.slice(0, 100).join('')}…` : name;
}
