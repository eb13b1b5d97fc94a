import type { AccessPolicy, Principal, Role } from '../ports/accessPolicy';

/** Roles from configured lists of Entra object ids; anyone not listed is a member. */
export class ConfigAccessPolicy implements AccessPolicy {
  private readonly admins: ReadonlySet<string>;
  private readonly teachers: ReadonlySet<string>;

  constructor(lists: { adminIds: readonly string[]; teacherIds: readonly string[] }) {
    this.admins = new Set(lists.adminIds.map((id) => id.toLowerCase()));
    this.teachers = new Set(lists.teacherIds.map((id) => id.toLowerCase()));
  }

  async roleOf(principal: Principal): Promise<Role> {
    const id = principal.aadObjectId?.toLowerCase();
    if (!id) return 'member';
    if (this.admins.has(id)) return 'admin';
    if (this.teachers.has(id)) return 'teacher';
    return 'member';
  }
}
