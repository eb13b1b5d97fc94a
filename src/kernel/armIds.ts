import { AzureError } from './errors';
import type { LabHostKind } from './labHostKind';

/**
 * Azure Resource Manager ids: parsing, building and comparing them. ARM ids compare case-insensitively
 * (Azure itself returns `resourceGroups` and `resourcegroups`); the canonical forms built here spell the
 * provider and type as Azure does and lowercase the subscription.
 */

/** Lab plan (`Microsoft.LabServices/labPlans`) or classic lab account (`Microsoft.LabServices/labaccounts`). */
export type { LabHostKind } from './labHostKind';

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
export function lastSegment(id: string): string {
  const parts = id.split('/').filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? id;
}

/** ARM ids compare case-insensitively, leading and trailing slashes aside; a missing id equals nothing. */
export function sameArmId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && trimSlashes(a).toLowerCase() === trimSlashes(b).toLowerCase();
}

/** The subscription an id or scope (`/subscriptions/{s}…`) lies in; undefined for the root scope or anything else. */
export function subscriptionIdOf(id: string): string | undefined {
  return /^\/?subscriptions\/([^/]+)/i.exec(id)?.[1];
}

/** Whether `id` is `parent` itself or lies below it (segment-wise, case-insensitive). */
export function isSameOrUnder(id: string, parent: string): boolean {
  const child = normalizeArmId(id);
  const root = normalizeArmId(parent);
  return root === '' || child === root || child.startsWith(`${root}/`);
}

export interface LabHostRef {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  kind: LabHostKind;
  name: string;
}

const HOST_ID =
  /^\/+subscriptions\/([0-9a-f-]{36})\/resourcegroups\/([-\w.()]{1,90})\/providers\/microsoft\.labservices\/(labplans|labaccounts)\/([-\w.]{1,100})\/?$/i;

/** Parses the ARM id of a lab plan or lab account; anything else (including child resources) is undefined. */
export function parseLabHostId(value: string): LabHostRef | undefined {
  const m = HOST_ID.exec(value.trim());
  if (!m) return undefined;
  const [, subscriptionId = '', resourceGroup = '', type = '', name = ''] = m;
  const kind: LabHostKind = type.toLowerCase() === 'labplans' ? 'labPlan' : 'labAccount';
  const typeSegment = kind === 'labPlan' ? 'labPlans' : 'labAccounts';
  return {
    id: `/subscriptions/${subscriptionId.toLowerCase()}/resourceGroups/${resourceGroup}/providers/Microsoft.LabServices/${typeSegment}/${name}`,
    subscriptionId: subscriptionId.toLowerCase(),
    resourceGroup,
    kind,
    name,
  };
}

export interface GalleryRef {
  /** Canonical ARM id (lowercase subscription, provider and type as Azure spells them). */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const GALLERY_ID = /^\/+subscriptions\/([0-9a-f-]{36})\/resourcegroups\/([-\w.()]{1,90})\/providers\/microsoft\.compute\/galleries\/([\w.]{1,80})\/?$/i;

/** Parses the ARM id of an Azure Compute Gallery; child resources (images, versions) and anything else are undefined. */
export function parseGalleryId(value: string): GalleryRef | undefined {
  const m = GALLERY_ID.exec(value.trim());
  if (!m) return undefined;
  const [, subscriptionId = '', resourceGroup = '', name = ''] = m;
  return { id: galleryIdOf(subscriptionId, resourceGroup, name), subscriptionId: subscriptionId.toLowerCase(), resourceGroup, name };
}

export function galleryIdOf(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId.toLowerCase()}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/galleries/${name}`;
}

export function galleryNameOf(galleryId: string): string {
  return parseGalleryId(galleryId)?.name ?? lastSegment(galleryId);
}

/** The id of a child resource: `{parentId}/{type}/{name}` (a trailing slash on the parent is dropped). */
export function childIdOf(parentId: string, type: string, name: string): string {
  return `${parentId.replace(/\/+$/, '')}/${type}/${name}`;
}

/** The ARM id a new lab gets: a top-level resource for lab plans (in the plan's resource group), a child of a lab account. */
export function labIdOf(host: LabHostRef, labName: string): string {
  return host.kind === 'labPlan'
    ? `/subscriptions/${host.subscriptionId}/resourceGroups/${host.resourceGroup}/providers/Microsoft.LabServices/labs/${labName}`
    : childIdOf(host.id, 'labs', labName);
}

export interface ImageVersionRef {
  subscriptionId: string;
  /** The gallery's id as the version id spells it (not made canonical). */
  galleryId: string;
  imageName: string;
  versionName: string;
}

const VERSION_ID = /^(\/subscriptions\/([^/]+)\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/galleries\/[^/]+)\/images\/([^/]+)\/versions\/([^/]+)$/i;

/** Parses an image version id as Azure writes it (one leading slash, none trailing); anything else is undefined. */
export function parseImageVersionId(id: string): ImageVersionRef | undefined {
  const m = VERSION_ID.exec(id);
  if (!m) return undefined;
  const [, galleryId = '', subscriptionId = '', imageName = '', versionName = ''] = m;
  return { subscriptionId, galleryId, imageName, versionName };
}

/** The image definition an image version id belongs to: the id without its `/versions/{name}`. */
export function imageDefinitionIdOf(versionId: string): string {
  return versionId.replace(/\/versions\/[^/]+\/?$/i, '');
}

/** A role definition's id in a subscription, as role assignments name it. */
export function roleDefinitionIdOf(subscriptionId: string, roleDefinitionGuid: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleDefinitionGuid}`;
}

export function resourceGroupIdOf(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId.toLowerCase()}/resourceGroups/${resourceGroup}`;
}

/** Lowercase, without leading or trailing slashes: the form ids are compared in. */
export function normalizeArmId(id: string): string {
  return id.trim().toLowerCase().replace(/^\/+|\/+$/g, '');
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}
