/** ARM ids as the emulator stores them: canonical casing on write, case-insensitive everywhere else. */

/** Leading slash, no doubled or trailing slash. */
export function normalizeId(id: string): string {
  const trimmed = id.trim().replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * Map key for an id: ARM compares ids case-insensitively. Memoized: stores scan thousands of ids per request
 * (a plan's images, a gallery's versions), and the regex normalization dominated those scans.
 */
export function idKey(id: string): string {
  let key = ID_KEYS.get(id);
  if (key === undefined) {
    if (ID_KEYS.size >= ID_KEY_CACHE_LIMIT) ID_KEYS.clear();
    key = normalizeId(id).toLowerCase();
    ID_KEYS.set(id, key);
  }
  return key;
}

/** A pure function's cache, bounded: it holds no state of any emulator. */
const ID_KEYS = new Map<string, string>();
const ID_KEY_CACHE_LIMIT = 100_000;

export function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && idKey(a) === idKey(b);
}

/** True when `ancestor` is `scope` itself or one of its parents (segment-wise). `/` is everyone's ancestor. */
export function isSameOrAncestorScope(ancestor: string, scope: string): boolean {
  const a = idKey(ancestor);
  const s = idKey(scope);
  return a === '/' || s === a || s.startsWith(`${a}/`);
}

export function lastSegment(id: string): string {
  const parts = normalizeId(id).split('/');
  return parts[parts.length - 1] ?? '';
}

export interface ParsedResourceId {
  subscriptionId: string;
  resourceGroup?: string;
  provider?: string;
  /** `[type, name]` pairs after the provider namespace, e.g. `[['galleries','g'],['images','d']]`. */
  resources: [type: string, name: string][];
}

/** Parses `/subscriptions/{s}[/resourceGroups/{rg}[/providers/{ns}/{type}/{name}...]]`; undefined when malformed. */
export function parseResourceId(id: string): ParsedResourceId | undefined {
  const parts = normalizeId(id).split('/').slice(1);
  if (parts[0]?.toLowerCase() !== 'subscriptions' || !parts[1]) return undefined;
  const parsed: ParsedResourceId = { subscriptionId: parts[1], resources: [] };
  if (parts.length === 2) return parsed;
  if (parts[2]?.toLowerCase() !== 'resourcegroups' || !parts[3]) return undefined;
  parsed.resourceGroup = parts[3];
  if (parts.length === 4) return parsed;
  if (parts[4]?.toLowerCase() !== 'providers' || !parts[5]) return undefined;
  parsed.provider = parts[5];
  const rest = parts.slice(6);
  if (rest.length === 0 || rest.length % 2 !== 0) return undefined;
  for (let i = 0; i < rest.length; i += 2) parsed.resources.push([rest[i] as string, rest[i + 1] as string]);
  return parsed;
}

/** True when the id is a resource of `provider` with exactly these nested types (case-insensitive). */
export function isResourceOfType(id: string, provider: string, types: readonly string[]): boolean {
  const parsed = parseResourceId(id);
  return (
    parsed !== undefined &&
    parsed.provider?.toLowerCase() === provider.toLowerCase() &&
    parsed.resources.length === types.length &&
    parsed.resources.every(([t], i) => t.toLowerCase() === types[i]?.toLowerCase())
  );
}

export const armIds = {
  subscription: (sub: string) => `/subscriptions/${sub}`,
  resourceGroup: (sub: string, rg: string) => `/subscriptions/${sub}/resourceGroups/${rg}`,
  labPlan: (sub: string, rg: string, name: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.LabServices/labPlans/${name}`,
  planImage: (planId: string, name: string) => `${planId}/images/${name}`,
  lab: (sub: string, rg: string, name: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.LabServices/labs/${name}`,
  labAccount: (sub: string, rg: string, name: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.LabServices/labaccounts/${name}`,
  accountLab: (accountId: string, name: string) => `${accountId}/labs/${name}`,
  accountSharedGallery: (accountId: string, name: string) => `${accountId}/sharedGalleries/${name}`,
  accountSharedImage: (accountId: string, name: string) => `${accountId}/sharedImages/${name}`,
  gallery: (sub: string, rg: string, name: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/galleries/${name}`,
  imageDefinition: (galleryId: string, name: string) => `${galleryId}/images/${name}`,
  imageVersion: (definitionId: string, name: string) => `${definitionId}/versions/${name}`,
  roleDefinition: (sub: string, guid: string) => `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
  roleAssignment: (scope: string, guid: string) => `${normalizeId(scope) === '/' ? '' : normalizeId(scope)}/providers/Microsoft.Authorization/roleAssignments/${guid}`,
};
