import { invalidParameter } from '../armError';
import { asObject, type JsonObject } from '../json';

const CLAUSE = /^\s*([A-Za-z]+)\/([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*/;

/**
 * The `$filter` of a lab plan's `images` list, evaluated on each image's JSON: `Properties/<name> eq '<value>'`
 * clauses joined by `and`, compared case-insensitively. The recording shows `Properties/DisplayName eq '…'`
 * answered server-side; other properties (`SharedGalleryId`) are the emulator's extrapolation. Anything else
 * is refused with a 400 rather than ignored.
 */
export function planImageFilter(expression: string | undefined): (image: JsonObject) => boolean {
  if (expression === undefined || expression.trim() === '') return () => true;
  const clauses: { property: string; value: string }[] = [];
  let rest = expression;
  for (;;) {
    const match = CLAUSE.exec(rest);
    if (!match || match[1]?.toLowerCase() !== 'properties') throw invalidFilter(expression);
    clauses.push({ property: (match[2] ?? '').toLowerCase(), value: (match[3] ?? '').replace(/''/g, "'").toLowerCase() });
    rest = rest.slice(match[0].length);
    if (rest === '') break;
    const and = /^and\s+/i.exec(rest);
    if (!and) throw invalidFilter(expression);
    rest = rest.slice(and[0].length);
  }
  return (image) => {
    const properties = asObject(image.properties) ?? {};
    const lower = new Map(Object.entries(properties).map(([k, v]) => [k.toLowerCase(), v]));
    return clauses.every(({ property, value }) => {
      const actual = lower.get(property);
      return typeof actual === 'string' && actual.toLowerCase() === value;
    });
  };
}

function invalidFilter(expression: string) {
  return invalidParameter(`The filter '${expression}' is not supported: use Properties/<name> eq '<value>' clauses joined by 'and'.`, '$filter');
}
