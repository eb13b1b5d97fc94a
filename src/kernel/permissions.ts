/**
 * Azure RBAC permissions as ARM reports them (`{scope}/providers/Microsoft.Authorization/permissions`): which
 * actions the bot's own identity needs for each feature, how ARM's wildcards match, and which built-in role
 * grants a missing action. Shared by `doctor`, the 403 wording and the emulator, which enforces the same rules.
 */
import type { LabHostKind } from './labHostKind';

/** One entry of a permissions list (one per role the principal holds at or above the scope). */
export interface PermissionBlock {
  actions: readonly string[];
  notActions: readonly string[];
  dataActions?: readonly string[];
  notDataActions?: readonly string[];
}

/** The features `doctor` reports on. */
export const BOT_FEATURES = ['attach', 'detach', 'enableImages', 'replicate', 'createLabs'] as const;
export type BotFeature = (typeof BOT_FEATURES)[number];

/** The built-in role doctor names to fix a missing action (Owner would fix any of them). */
export type FixingRole = 'Reader' | 'Contributor' | 'User Access Administrator' | 'Lab Services Contributor' | 'Owner';

export interface RequiredPermission {
  action: string;
  /** Where the bot needs it: on the bound lab host, or on the gallery attached (or to be attached) to it. */
  on: 'host' | 'gallery';
}

const ROLE_ASSIGNMENTS_READ = 'Microsoft.Authorization/roleAssignments/read';

/**
 * What the bot's identity does per feature. Lab accounts' service grants its own Contributor on attach, so
 * attach there needs no role-assignment write (unconfirmed without a subscription: kept in this one table).
 */
const REQUIRED: Readonly<Record<LabHostKind, Readonly<Record<BotFeature, readonly RequiredPermission[]>>>> = {
  labPlan: {
    attach: [
      { action: 'Microsoft.LabServices/labPlans/write', on: 'host' },
      { action: 'Microsoft.Compute/galleries/read', on: 'gallery' },
      { action: ROLE_ASSIGNMENTS_READ, on: 'gallery' },
      { action: 'Microsoft.Authorization/roleAssignments/write', on: 'gallery' },
    ],
    detach: [
      { action: 'Microsoft.LabServices/labPlans/write', on: 'host' },
      { action: ROLE_ASSIGNMENTS_READ, on: 'gallery' },
      { action: 'Microsoft.Authorization/roleAssignments/delete', on: 'gallery' },
    ],
    enableImages: [
      { action: 'Microsoft.LabServices/labPlans/images/read', on: 'host' },
      { action: 'Microsoft.LabServices/labPlans/images/write', on: 'host' },
    ],
    replicate: [
      { action: 'Microsoft.Compute/galleries/images/versions/read', on: 'gallery' },
      { action: 'Microsoft.Compute/galleries/images/versions/write', on: 'gallery' },
    ],
    createLabs: [
      { action: 'Microsoft.LabServices/labPlans/createLab/action', on: 'host' },
      { action: 'Microsoft.LabServices/labs/write', on: 'host' },
    ],
  },
  labAccount: {
    attach: [
      { action: 'Microsoft.LabServices/labAccounts/sharedGalleries/write', on: 'host' },
      { action: 'Microsoft.Compute/galleries/read', on: 'gallery' },
    ],
    detach: [{ action: 'Microsoft.LabServices/labAccounts/sharedGalleries/delete', on: 'host' }],
    enableImages: [
      { action: 'Microsoft.LabServices/labAccounts/sharedImages/read', on: 'host' },
      { action: 'Microsoft.LabServices/labAccounts/sharedImages/write', on: 'host' },
    ],
    replicate: [
      { action: 'Microsoft.Compute/galleries/images/versions/read', on: 'gallery' },
      { action: 'Microsoft.Compute/galleries/images/versions/write', on: 'gallery' },
    ],
    createLabs: [{ action: 'Microsoft.LabServices/labAccounts/createLab/action', on: 'host' }],
  },
};

export function requiredPermissions(kind: LabHostKind, feature: BotFeature): readonly RequiredPermission[] {
  return REQUIRED[kind][feature];
}

/** ARM's wildcard: `*` stands for any run of characters (slashes included); comparison ignores case. */
export function actionMatches(pattern: string, action: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(action);
}

/** Whether some block grants the action: one of its actions matches and none of its notActions does. */
export function isPermitted(blocks: readonly PermissionBlock[], action: string): boolean {
  return blocks.some((b) => b.actions.some((p) => actionMatches(p, action)) && !b.notActions.some((p) => actionMatches(p, action)));
}

/** The narrowest built-in role that grants the action. */
export function fixingRole(action: string): FixingRole {
  const a = action.toLowerCase();
  if (a.startsWith('microsoft.authorization/') && !a.endsWith('/read')) return 'User Access Administrator';
  if (a.endsWith('/read')) return 'Reader';
  if (a.startsWith('microsoft.labservices/')) return 'Lab Services Contributor';
  return 'Contributor';
}

/** The scope an ARM 403 names, without the role-assignment (or other Authorization) child it was about. */
export function resourceOfScope(scope: string): string {
  return scope.replace(/\/providers\/Microsoft\.Authorization\/.*$/i, '');
}

/** What kind of thing a scope is, for wording: `gallery`, `labPlan`, `labAccount`, `resourceGroup`, `subscription`, or `resource`. */
export type ScopeKind = 'gallery' | 'labPlan' | 'labAccount' | 'resourceGroup' | 'subscription' | 'resource';

export function scopeKindOf(scope: string): ScopeKind {
  const s = resourceOfScope(scope).replace(/\/+$/, '');
  if (/\/providers\/Microsoft\.Compute\/galleries\/[^/]+$/i.test(s)) return 'gallery';
  if (/\/providers\/Microsoft\.LabServices\/labPlans\/[^/]+$/i.test(s)) return 'labPlan';
  if (/\/providers\/Microsoft\.LabServices\/labAccounts\/[^/]+$/i.test(s)) return 'labAccount';
  if (/^\/*subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(s)) return 'resourceGroup';
  if (/^\/*subscriptions\/[^/]+$/i.test(s)) return 'subscription';
  return 'resource';
}

/** The management-group scope ARM uses for inherited assignments: an ancestor of every resource in its subscriptions. */
export function isManagementGroupScope(scope: string): boolean {
  return /^\/*providers\/Microsoft\.Management\/managementGroups\/[^/]+\/*$/i.test(scope.trim());
}

/** One feature as doctor reports it: what is missing, where, and the role that grants it. */
export interface FeatureCheck {
  feature: BotFeature;
  missing: { action: string; on: 'host' | 'gallery'; role: FixingRole }[];
}

/** Every feature of a host kind, checked against the permissions read on the host and on the gallery. */
export function checkFeatures(kind: LabHostKind, host: readonly PermissionBlock[], gallery: readonly PermissionBlock[]): FeatureCheck[] {
  return BOT_FEATURES.map((feature) => ({
    feature,
    missing: requiredPermissions(kind, feature)
      .filter((p) => !isPermitted(p.on === 'host' ? host : gallery, p.action))
      .map((p) => ({ action: p.action, on: p.on, role: fixingRole(p.action) })),
  }));
}
