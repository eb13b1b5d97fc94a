/**
 * emulator/handlers/: the ARM routes, one file per resource type, most through the CRUD route helper.
 */
import { adminRoutes } from './admin';
import type { EmulatorRoute } from './context';
import { galleryImageRoutes } from './galleryImages';
import { galleryImageVersionRoutes } from './galleryImageVersions';
import { galleryRoutes } from './galleries';
import { graphRoutes } from './graph';
import { labAccountEnvironmentSettingRoutes } from './labAccountEnvironmentSettings';
import { labAccountGalleryRoutes } from './labAccountGalleries';
import { labAccountRoutes } from './labAccounts';
import { labPlanImageRoutes } from './labPlanImages';
import { labPlanRoutes } from './labPlans';
import { labRoutes } from './labs';
import { operationRoutes } from './operations';
import { permissionRoutes } from './permissions';
import { roleAssignmentRoutes } from './roleAssignments';
import { roleDefinitionRoutes } from './roleDefinitions';
import { subscriptionRoutes } from './subscriptions';

/** Every route; scope-suffixed (Authorization) routes first, since their scope may look like anything. */
export const ALL_ROUTES: readonly EmulatorRoute[] = [
  ...roleAssignmentRoutes,
  ...roleDefinitionRoutes,
  ...permissionRoutes,
  ...operationRoutes,
  ...labPlanRoutes,
  ...labPlanImageRoutes,
  ...labRoutes,
  ...labAccountRoutes,
  ...labAccountEnvironmentSettingRoutes,
  ...labAccountGalleryRoutes,
  ...galleryRoutes,
  ...galleryImageRoutes,
  ...galleryImageVersionRoutes,
  ...subscriptionRoutes,
  ...graphRoutes,
  ...adminRoutes,
];
