import { AzureError } from '../core/errors';

export interface ArmId {
  subscriptionId: string;
  resourceGroup: string;
  /** Provider namespace as written, e.g. `Microsoft.Compute`. */
  provider: string;
  /** Resource type path and names, outermost first: `[{type:'galleries',name:'g'},{type:'images',name:'d'}]`. */
  resources: { type: string; name: string }[];
}

/** Parses `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{type}/{name}…]`; keys match case-insensitively. */
export function parseArmId(id: string): ArmId | undefined {
  const parts = id.split('/').filter((p) => p.length > 0);
  if (parts.length < 8 || parts.length % 2 !== 0) return undefined;
  const [subs, subscriptionId, rgs, resourceGroup, providers, provider, ...rest] = parts;
  if (subs?.toLowerCase() !== 'subscriptions' || rgs?.toLowerCase() !== 'resourcegroups') return undefined;
  if (providers?.toLowerCase() !== 'providers' || !subscriptionId || !resourceGroup || !provider) return undefined;
  const resources: { type: string; name: string }[] = [];
  for (let i = 0; i + 1 < rest.length; i += 2) resources.push({ type: rest[i] as string, name: rest[i + 1] as string });
  return { subscriptionId, resourceGroup, provider, resources };
}

/** `microsoft.compute/galleries/images` — lowercase, for comparisons. */
export function resourceTypeOf(id: ArmId): string {
  return [id.provider, ...id.resources.map((r) => r.type)].join('/').toLowerCase();
}

/**
 * Parses an id that must be of `type` (e.g. `Microsoft.Compute/galleries/images`) and returns it with
 * the resource names outermost first. Anything else is a bad request, not something to send to Azure.
 */
export function expectArmId(id: string, type: string): ArmId & { names: string[] } {
  const parsed = parseArmId(id);
  if (!parsed || resourceTypeOf(parsed) !== type.toLowerCase()) {
    throw new AzureError('badRequest', { target: id, armMessage: `not a ${type} id` });
  }
  return { ...parsed, names: parsed.resources.map((r) => r.name) };
}

/** The last path segment of an ARM id: the resource name, for messages. */
export function nameOf(id: string): string {
  const parts = id.split('/').filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? id;
}

/** ARM ids compare case-insensitively. */
export function sameArmId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && trimSlashes(a).toLowerCase() === trimSlashes(b).toLowerCase();
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}
