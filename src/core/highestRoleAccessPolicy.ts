import { roleRank, type AccessPolicy, type Principal, type Role } from '../ports/accessPolicy';

/**
 * The highest role any source grants. Each source fails closed on its own, and an error from one
 * source counts as 'member' for that source, so a broken source never grants anything.
 */
export class HighestRoleAccessPolicy implements AccessPolicy {
  constructor(
    private readonly sources: readonly AccessPolicy[],
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async roleOf(principal: Principal, hostId?: string): Promise<Role> {
    const roles = await Promise.all(
      this.sources.map((s) =>
        s.roleOf(principal, hostId).catch((error: unknown): Role => {
          this.onError(error);
          return 'member';
        }),
      ),
    );
    return roles.reduce<Role>((best, r) => (roleRank[r] > roleRank[best] ? r : best), 'member');
  }
}
