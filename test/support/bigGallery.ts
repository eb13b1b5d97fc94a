import { DEMO_NAMES, DEMO_SERVICE_PRINCIPALS, BUILT_IN_ROLES, type EmulatorState } from '../../src/emulator';

export interface BigGallery {
  planId: string;
  galleryId: string;
}

/**
 * A lab plan with a gallery of `count` images attached (the Lab Services principal holding Owner on it),
 * half Windows, half Linux, each with one version replicated to the plan's region.
 */
export function addBigGallery(state: EmulatorState, count: number, name = `big_gallery_${count}`): BigGallery {
  const rg = DEMO_NAMES.resourceGroup;
  const location = DEMO_NAMES.labPlanLocation;
  const galleryId = state.addGallery({ resourceGroup: rg, name, location });
  for (let i = 0; i < count; i++) {
    const definitionId = state.addImageDefinition({
      galleryId,
      name: `image-${String(i).padStart(4, '0')}`,
      osType: i % 2 ? 'Linux' : 'Windows',
      osState: i % 3 ? 'Generalized' : 'Specialized',
    });
    state.addImageVersion({ definitionId, name: '1.0.0', targetRegions: [location], replicationDurationsMs: 0 });
  }
  state.addRoleAssignment({
    scope: galleryId,
    roleDefinitionGuid: BUILT_IN_ROLES.owner.guid,
    principalId: DEMO_SERVICE_PRINCIPALS.labPlan.objectId,
    principalType: 'ServicePrincipal',
  });
  const planId = state.addLabPlan({ resourceGroup: rg, name: `plan-${name}`.replace(/_/g, '-'), location, sharedGalleryId: galleryId });
  return { planId, galleryId };
}
