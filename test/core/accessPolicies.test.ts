import { ConfigAccessPolicy } from '../../src/core/configAccessPolicy';
import { HighestRoleAccessPolicy } from '../../src/core/highestRoleAccessPolicy';
import type { AccessPolicy, Role } from '../../src/ports/accessPolicy';

const ADMIN = 'AAAAAAAA-0000-0000-0000-000000000001';
const TEACHER = 'bbbbbbbb-0000-0000-0000-000000000002';
const HOST = '/subscriptions/x/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/p';

const fixed = (role: Role): AccessPolicy => ({ roleOf: async () => role });
const failing: AccessPolicy = {
  roleOf: async () => {
    throw new Error('Azure is down');
  },
};

describe('ConfigAccessPolicy', () => {
  const policy: AccessPolicy = new ConfigAccessPolicy({ adminIds: [ADMIN], teacherIds: [TEACHER] });

  it.each<[string | undefined, Role]>([
    [ADMIN, 'admin'],
    [ADMIN.toLowerCase(), 'admin'],
    [TEACHER.toUpperCase(), 'teacher'],
    ['cccccccc-0000-0000-0000-000000000003', 'member'],
    [undefined, 'member'],
    ['', 'member'],
  ])('%p is %p', async (aadObjectId, role) => {
    expect(await policy.roleOf(aadObjectId === undefined ? {} : { aadObjectId }, HOST)).toBe(role);
  });

  it('grants nothing when unconfigured', async () => {
    expect(await new ConfigAccessPolicy({ adminIds: [], teacherIds: [] }).roleOf({ aadObjectId: ADMIN })).toBe('member');
  });
});

describe('HighestRoleAccessPolicy', () => {
  it.each<[Role[], Role]>([
    [['member', 'teacher'], 'teacher'],
    [['admin', 'member'], 'admin'],
    [['member', 'member'], 'member'],
    [[], 'member'],
  ])('%p → %p', async (roles, expected) => {
    expect(await new HighestRoleAccessPolicy(roles.map(fixed)).roleOf({ aadObjectId: ADMIN }, HOST)).toBe(expected);
  });

  it('counts a failing source as member and reports the error (fails closed)', async () => {
    const errors: unknown[] = [];
    const policy = new HighestRoleAccessPolicy([failing, fixed('teacher')], (e) => errors.push(e));
    expect(await policy.roleOf({ aadObjectId: ADMIN }, HOST)).toBe('teacher');
    expect(await new HighestRoleAccessPolicy([failing]).roleOf({ aadObjectId: ADMIN }, HOST)).toBe('member');
    expect(errors).toHaveLength(1);
  });
});
