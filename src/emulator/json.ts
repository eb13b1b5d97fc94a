/** Narrow readers for request bodies, which arrive as `unknown`. */

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function objectAt(value: unknown, ...path: string[]): JsonObject | undefined {
  let current: unknown = value;
  for (const key of path) current = asObject(current)?.[key];
  return asObject(current);
}

export function stringAt(value: unknown, ...path: string[]): string | undefined {
  let current: unknown = value;
  for (const key of path) current = asObject(current)?.[key];
  return typeof current === 'string' ? current : undefined;
}

export function numberAt(value: unknown, ...path: string[]): number | undefined {
  let current: unknown = value;
  for (const key of path) current = asObject(current)?.[key];
  return typeof current === 'number' && Number.isFinite(current) ? current : undefined;
}

export function arrayAt(value: unknown, ...path: string[]): unknown[] | undefined {
  let current: unknown = value;
  for (const key of path) current = asObject(current)?.[key];
  return Array.isArray(current) ? current : undefined;
}

/** Own-property presence, so that `{"x": null}` can be told apart from `{}` (merge-patch). */
export function hasKey(value: unknown, key: string): boolean {
  const obj = asObject(value);
  return obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key);
}

/** Finds a key case-insensitively (`enableState` vs `enabledState` are handled by callers). */
export function stringAtAnyCase(obj: JsonObject | undefined, key: string): string | undefined {
  if (!obj) return undefined;
  const found = Object.keys(obj).find((k) => k.toLowerCase() === key.toLowerCase());
  const value = found === undefined ? undefined : obj[found];
  return typeof value === 'string' ? value : undefined;
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  const result: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (asObject(value) && asObject(result[key])) result[key] = mergePatch(result[key] as JsonObject, value as JsonObject);
    else result[key] = value;
  }
  return result;
}
