import { AzureError, BuiltInRole } from '../../src/kernel';
import { RbacAccessPolicy } from '../../src/core/rbacAccessPolicy';
import { ManualClock } from '../../src/ports/clock';
import type { GrantResult, RoleAssignment, RoleGateway } from '../../src/ports/roleGateway';

const sub = '/subscriptions/00000000-0000-0000-0000-000000000001';
const rg = `${sub}/resourceGroups/labs`;
const host = `${rg}/providers/Microsoft.LabServices/labPlans/physics`;
const otherHost = `${rg}/providers/Microsoft.LabServices/labPlans/chemistry`;
const alice = 'aaaaaaaa-0000-0000-0000-000000000001';

/** Hand-written fake: answers from a list of assignments, like ARM's listForScope + assignedTo(). */
class FakeRoleGateway implements RoleGateway {
  assignments: RoleAssignment[] = [];
  calls: { scope: string; assignedTo?: string }[] = [];
  failWith?: Error;

  assign(scope: string, principalId: string, roleDefinitionGuid: string): void {
    this.assignments.push({ id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${this.assignments.length}`, scope, principalId, roleDefinitionGuid });
  }

  async listAssignments(scope: string, options: { assignedTo?: string } = {}): Promise<RoleAssignment[]> {
    this.calls.push({ scope, ...(options.assignedTo ? { assignedTo: options.assignedTo } : {}) });
    if (this.failWith) throw this.failWith;
    return this.assignments.filter((a) => !options.assignedTo || a.principalId === options.assignedTo);
  }

  async grant(): Promise<GrantResult> {
    throw new Error('not used');
  }

  async revoke(): Promise<void> {
    throw new Error('not used');
  }
}

function setup(options: ConstructorParameters<typeof RbacAccessPolicy>[2] = {}) {
  const roles = new FakeRoleGateway();
  const clock = new ManualClock();
  const policy = new RbacAccessPolicy(roles, clock, options);
  return { roles, clock, policy };
}

describe('RbacAccessPolicy', () => {
  it.each([
    ['Owner', 'admin', BuiltInRole.owner],
    ['Contributor', 'admin', BuiltInRole.contributor],
    ['Lab Services Contributor', 'admin', BuiltInRole.labServicesContributor],
    ['Lab Creator', 'teacher', BuiltInRole.labCreator],
    ['Lab Contributor', 'teacher', BuiltInRole.labContributor],
    ['Lab Operator', 'teacher', BuiltInRole.labOperator],
    ['Reader', 'member', BuiltInRole.reader],
    ['Lab Services Reader', 'member', BuiltInRole.labServicesReader],
  ])('%s on the host makes a %s', async (_name, expected, guid) => {
    const { roles, policy } = setup();
    roles.assign(host, alice, guid);
    await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe(expected);
    expect(roles.calls).toEqual([{ scope: host, assignedTo: alice }]);
  });

  it('counts roles inherited from the resource group, the subscription and the root', async () => {
    for (const scope of [rg, sub, '/']) {
      const { roles, policy } = setup();
      roles.assign(scope, alice, BuiltInRole.owner);
      await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe('admin');
    }
  });

  it('ignores assignments on another host or below it, and ones without a scope', async () => {
    const { roles, policy } = setup();
    roles.assign(otherHost, alice, BuiltInRole.owner);
    roles.assign(`${host}/images/win11`, alice, BuiltInRole.owner);
    roles.assign('', alice, BuiltInRole.owner);
    await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe('member');
  });

  it('matches scopes case-insensitively', async () => {
    const { roles, policy } = setup();
    roles.assign(rg.toUpperCase(), alice, BuiltInRole.labCreator.toUpperCase());
    await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe('teacher');
  });

  it('takes the highest role when several apply', async () => {
    const { roles, policy } = setup();
    roles.assign(host, alice, BuiltInRole.labOperator);
    roles.assign(sub, alice, BuiltInRole.contributor);
    await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe('admin');
  });

  it('is member without a user or a host, without asking Azure', async () => {
    const { roles, policy } = setup();
    roles.assign(host, alice, BuiltInRole.owner);
    await expect(policy.roleOf({}, host)).resolves.toBe('member');
    await expect(policy.roleOf({ aadObjectId: '  ' }, host)).resolves.toBe('member');
    await expect(policy.roleOf({ aadObjectId: alice })).resolves.toBe('member');
    expect(roles.calls).toHaveLength(0);
  });

  it('caches per user and host until the TTL runs out', async () => {
    const { roles, clock, policy } = setup({ ttlMs: 60_000 });
    roles.assign(host, alice, BuiltInRole.owner);
    await policy.roleOf({ aadObjectId: alice }, host);
    await policy.roleOf({ aadObjectId: alice.toUpperCase() }, host.toLowerCase());
    expect(roles.calls).toHaveLength(1);

    await policy.roleOf({ aadObjectId: alice }, otherHost);
    expect(roles.calls).toHaveLength(2);

    roles.assignments = [];
    clock.advance(59_999);
    await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe('admin');
    clock.advance(1);
    await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe('member');
    expect(roles.calls).toHaveLength(3);
  });

  it('shares one lookup between concurrent callers', async () => {
    const { roles, policy } = setup();
    roles.assign(host, alice, BuiltInRole.labCreator);
    const all = await Promise.all([1, 2, 3].map(() => policy.roleOf({ aadObjectId: alice }, host)));
    expect(all).toEqual(['teacher', 'teacher', 'teacher']);
    expect(roles.calls).toHaveLength(1);
  });

  it('fails closed on errors and asks again soon', async () => {
    const warnings: unknown[] = [];
    const { roles, clock, policy } = setup({ ttlMs: 300_000, errorTtlMs: 10_000, logger: { warn: (o) => warnings.push(o) } });
    roles.assign(host, alice, BuiltInRole.owner);
    roles.failWith = new AzureError('throttled', { retryAfterSeconds: 5 });

    await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe('member');
    expect(warnings).toHaveLength(1);
    clock.advance(9_999);
    await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe('member');
    expect(roles.calls).toHaveLength(1);

    roles.failWith = undefined;
    clock.advance(1);
    await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe('admin');
    expect(roles.calls).toHaveLength(2);
  });

  it('fails closed when the gateway throws synchronously', async () => {
    const { roles, clock, policy } = setup({ errorTtlMs: 1_000 });
    roles.listAssignments = () => {
      throw new Error('boom');
    };
    await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe('member');
    clock.advance(1_000);
    roles.listAssignments = FakeRoleGateway.prototype.listAssignments.bind(roles);
    roles.assign(host, alice, BuiltInRole.owner);
    await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe('admin');
  });

  it('forgets a user on demand', async () => {
    const { roles, policy } = setup();
    await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe('member');
    roles.assign(host, alice, BuiltInRole.owner);
    policy.forget(alice);
    await expect(policy.roleOf({ aadObjectId: alice }, host)).resolves.toBe('admin');
  });

  it('stays within its size bound', async () => {
    const { roles, policy } = setup({ maxEntries: 2 });
    for (const user of ['u1', 'u2', 'u3']) await policy.roleOf({ aadObjectId: user }, host);
    await policy.roleOf({ aadObjectId: 'u3' }, host);
    await policy.roleOf({ aadObjectId: 'u1' }, host);
    expect(roles.calls.map((c) => c.assignedTo)).toEqual(['u1', 'u2', 'u3', 'u1']);
  });
});

describe('RbacAccessPolicy on a gallery bound alone', () => {
  const gallery = `${rg}/providers/Microsoft.Compute/galleries/campus_images`;

  it.each([
    ['Owner on the gallery', gallery, BuiltInRole.owner, 'admin'],
    ['Contributor on its resource group', rg, BuiltInRole.contributor, 'admin'],
    ['Lab Services Contributor on its resource group', rg, BuiltInRole.labServicesContributor, 'member'],
    ['Lab Creator on the gallery', gallery, BuiltInRole.labCreator, 'member'],
    ['Owner on another gallery', `${rg}/providers/Microsoft.Compute/galleries/other`, BuiltInRole.owner, 'member'],
  ] as const)('%s: %s', async (_label, scope, guid, expected) => {
    const { roles, policy } = setup();
    roles.assign(scope, alice, guid);
    expect(await policy.roleOf({ aadObjectId: alice }, gallery)).toBe(expected);
  });
});
