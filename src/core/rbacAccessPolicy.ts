import type { AccessPolicy, Principal, Role } from '../ports/accessPolicy';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { RoleAssignment, RoleGateway } from '../ports/roleGateway';
import { BuiltInRole, isSameOrUnder, normalizeArmId, parseGalleryId } from '../kernel';

const adminRoles: ReadonlySet<string> = new Set([BuiltInRole.owner, BuiltInRole.contributor, BuiltInRole.labServicesContributor]);
const teacherRoles: ReadonlySet<string> = new Set([BuiltInRole.labCreator, BuiltInRole.labContributor, BuiltInRole.labOperator]);
/** On a gallery (a conversation bound to a gallery alone), only the roles that may write it make an admin. */
const galleryAdminRoles: ReadonlySet<string> = new Set([BuiltInRole.owner, BuiltInRole.contributor]);

export interface RbacAccessPolicyOptions {
  /** How long a looked-up role is trusted. Default 5 min. */
  ttlMs?: number;
  /** How long a failed lookup keeps answering 'member' before Azure is asked again. Default 10 s. */
  errorTtlMs?: number;
  /** Cache size bound. Default 5000 (user, host) pairs. */
  maxEntries?: number;
  logger?: Pick<Logger, 'warn'>;
}

interface Entry {
  role: Promise<Role>;
  expiresAt: number;
}

/**
 * Roles from Azure RBAC on the lab host: admin = Owner / Contributor / Lab Services Contributor at or
 * above the host; teacher = Lab Creator / Lab Contributor / Lab Operator; everyone else member. On a gallery
 * bound alone: admin = Owner / Contributor at or above it; everyone else member.
 * Fails closed: no user, no host or any error means 'member'.
 */
export class RbacAccessPolicy implements AccessPolicy {
  private readonly cache = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly errorTtlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly roles: RoleGateway,
    private readonly clock: Clock,
    private readonly options: RbacAccessPolicyOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.errorTtlMs = options.errorTtlMs ?? 10_000;
    this.maxEntries = options.maxEntries ?? 5_000;
  }

  roleOf(principal: Principal, hostId?: string): Promise<Role> {
    const user = principal.aadObjectId?.trim();
    const host = hostId?.trim();
    if (!user || !host) return Promise.resolve('member');
    const key = `${user.toLowerCase()}|${normalizeArmId(host)}`;
    const now = this.clock.now();
    const cached = this.cache.get(key);
    if (cached && now < cached.expiresAt) return cached.role;
    const entry: Entry = { role: Promise.resolve('member'), expiresAt: now + this.ttlMs };
    entry.role = this.lookUp(user, host).then((found) => {
      if (found === undefined) entry.expiresAt = Math.min(entry.expiresAt, this.clock.now() + this.errorTtlMs);
      return found ?? 'member';
    });
    this.remember(key, entry, now);
    return entry.role;
  }

  /** Forget what is known about a user (e.g. after an admin changed role assignments). */
  forget(aadObjectId: string): void {
    const prefix = `${aadObjectId.toLowerCase()}|`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  /** Undefined when Azure could not say. */
  private async lookUp(user: string, host: string): Promise<Role | undefined> {
    try {
      const assignments = await this.roles.listAssignments(host, { assignedTo: user });
      const applying = assignments.filter((a) => appliesTo(a, host));
      return parseGalleryId(host) ? galleryRoleFrom(applying) : roleFrom(applying);
    } catch (error) {
      this.options.logger?.warn({ err: error, hostId: host }, 'role lookup failed; treating the user as member');
      return undefined;
    }
  }

  private remember(key: string, entry: Entry, now: number): void {
    this.cache.delete(key);
    if (this.cache.size >= this.maxEntries) {
      for (const [k, e] of this.cache) if (e.expiresAt <= now) this.cache.delete(k);
      const oldest = this.cache.keys().next();
      if (this.cache.size >= this.maxEntries && !oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(key, entry);
  }
}

function roleFrom(assignments: readonly RoleAssignment[]): Role {
  const guids = assignments.map((a) => a.roleDefinitionGuid.toLowerCase());
  if (guids.some((g) => adminRoles.has(g))) return 'admin';
  if (guids.some((g) => teacherRoles.has(g))) return 'teacher';
  return 'member';
}

/** Lab Services roles mean nothing on a gallery: Owner or Contributor makes an admin there, anything else a member. */
function galleryRoleFrom(assignments: readonly RoleAssignment[]): Role {
  return assignments.some((a) => galleryAdminRoles.has(a.roleDefinitionGuid.toLowerCase())) ? 'admin' : 'member';
}

/** Only assignments made at the host or one of its ancestors count (a list for a scope may include ones below it). */
function appliesTo(assignment: RoleAssignment, hostId: string): boolean {
  return assignment.scope.trim() !== '' && isSameOrUnder(hostId, assignment.scope);
}
