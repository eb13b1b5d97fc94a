import { BUILT_IN_ROLES, DEMO_IDS, DEMO_NAMES, DEMO_SERVICE_PRINCIPALS, EmulatorState, LAB_SERVICES_APP_IDS, PLAYGROUND_USERS, seedDemo } from '../../src/emulator';
import { ManualClock } from '../../src/ports/clock';

describe('demo seed', () => {
  const clock = new ManualClock();
  const state = new EmulatorState({ subscriptionId: DEMO_IDS.subscriptionId, tenantId: 't', clock });
  const ids = seedDemo(state, { ownerPrincipalIds: ['owner-1'], teacherPrincipalIds: ['teacher-1', 'teacher-2'] });

  it('returns the exported well-known ids', () => {
    expect(ids).toEqual(DEMO_IDS);
    expect(DEMO_IDS.labPlanId).toBe(`/subscriptions/${DEMO_IDS.subscriptionId}/resourceGroups/rg-labs/providers/Microsoft.LabServices/labPlans/physics-plan`);
    expect(PLAYGROUND_USERS.currentUser).not.toBe(PLAYGROUND_USERS.teacher);
  });

  it('has a westus2 lab plan with physics_gallery attached (Owner granted to the Lab Services principal) and labs', () => {
    expect(state.labPlans.get(ids.labPlanId)).toMatchObject({ location: 'westus2', sharedGalleryId: ids.physicsGalleryId });
    expect(state.galleries.gallery(ids.physicsGalleryId)?.location).toBe('westus2');
    expect(state.roles.holdsRole(DEMO_SERVICE_PRINCIPALS.labPlan.objectId, BUILT_IN_ROLES.owner.guid, ids.physicsGalleryId)).toBe(true);
    expect(state.labPlans.images(ids.labPlanId).some((i) => i.enabledState === 'Enabled')).toBe(true);
    for (const id of [...ids.planLabIds, ...ids.accountLabIds]) expect(state.labs.get(id)?.provisioningState).toBe('Succeeded');
  });

  it('has a westeurope lab account with nothing attached and shared_images ready, with 8+ mixed definitions', () => {
    expect(state.labAccounts.get(ids.labAccountId)).toMatchObject({ location: 'westeurope' });
    expect(state.labAccounts.get(ids.labAccountId)?.sharedGallery).toBeUndefined();
    expect(state.galleries.gallery(ids.sharedImagesGalleryId)?.location).toBe('westeurope');
    const definitions = state.galleries.listDefinitions(ids.sharedImagesGalleryId);
    expect(definitions.length).toBeGreaterThanOrEqual(8);
    const kinds = new Set(definitions.map((d) => `${d.osType}/${d.osState}`));
    expect(kinds).toEqual(new Set(['Windows/Generalized', 'Windows/Specialized', 'Linux/Generalized', 'Linux/Specialized']));
    const versions = definitions.flatMap((d) => state.galleries.listVersions(d.id));
    expect(versions.some((v) => v.osDiskSizeGB >= 128)).toBe(true);
    expect(versions.some((v) => v.dataDisks.length > 0)).toBe(true);
    expect(state.galleries.listVersions(ids.physicsGalleryId)).toEqual([]);
  });

  it('starts with one version replicating, which completes later', () => {
    expect(state.galleries.replicationStatus(ids.replicatingVersionId).aggregatedState).toBe('InProgress');
    const others = state.galleries.listDefinitions(ids.sharedImagesGalleryId).flatMap((d) => state.galleries.listVersions(d.id)).filter((v) => v.id !== ids.replicatingVersionId);
    expect(others.every((v) => state.galleries.replicationStatus(v.id).aggregatedState === 'Completed')).toBe(true);
    expect(state.galleries.version(ids.replicatingVersionId)?.name).toBe(DEMO_NAMES.replicatingVersion);
  });

  it('grants owners Owner and teachers Lab Creator on both hosts, and registers both service principals', () => {
    for (const host of [ids.labPlanId, ids.labAccountId]) {
      const at = state.roles.at(host).map((a) => [a.principalId, a.roleDefinitionGuid]);
      expect(at).toEqual([
        ['owner-1', BUILT_IN_ROLES.owner.guid],
        ['teacher-1', BUILT_IN_ROLES.labCreator.guid],
        ['teacher-2', BUILT_IN_ROLES.labCreator.guid],
      ]);
    }
    expect(state.roles.servicePrincipal(LAB_SERVICES_APP_IDS.labPlan)?.objectId).toBe(DEMO_SERVICE_PRINCIPALS.labPlan.objectId);
    expect(state.roles.servicePrincipal(LAB_SERVICES_APP_IDS.labAccount)?.objectId).toBe(DEMO_SERVICE_PRINCIPALS.labAccount.objectId);
  });
});
