export type Role = 'admin' | 'teacher' | 'member';

export const roleRank: Readonly<Record<Role, number>> = { member: 0, teacher: 1, admin: 2 };

export function hasRole(actual: Role, required: Role): boolean {
  return roleRank[actual] >= roleRank[required];
}

export interface Principal {
  /** Entra object id of the user; absent for anonymous or unusual channels. */
  aadObjectId?: string;
}

/** Decides who may do what. Implementations fail closed: any doubt or error means 'member'. */
export interface AccessPolicy {
  roleOf(principal: Principal, hostId?: string): Promise<Role>;
}
