import { stringAtAnyCase } from '../json';
import { planImageView } from '../views/labServicesViews';
import { API_VERSIONS, rgProvider, type EmulatorRoute } from './context';
import { hostImageRoutes, parseEnabledState } from './hostImages';
import { planId } from './labPlans';

/** Images of a lab plan: one per image definition of the attached gallery; only `enabledState` is writable. */
export const labPlanImageRoutes: EmulatorRoute[] = hostImageRoutes({
  name: 'images',
  listOperation: 'listByLabPlan',
  apiVersion: API_VERSIONS.labPlans,
  path: `${rgProvider('Microsoft.LabServices')}/labPlans/{labPlan}/images/{image}`,
  hostId: planId,
  store: (ctx) => ctx.state.labPlans,
  view: planImageView,
  requestedState: (properties) => parseEnabledState(stringAtAnyCase(properties, 'enabledState'), 'properties.enabledState'),
});
