import { objectAt, stringAtAnyCase } from '../json';
import { json } from '../http/response';
import type { EnabledState, HostImageRecord } from '../state/records';
import { planImageView } from '../views/labServicesViews';
import { API_VERSIONS, bodyObject, requiredOneOf, rgProvider, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { crudRoutes } from './crudRoutes';
import { planId } from './labPlans';

/** Images of a lab plan: one per image definition of the attached gallery; only `enabledState` is writable. */
export const labPlanImageRoutes: EmulatorRoute[] = crudRoutes<HostImageRecord>({
  name: 'images',
  apiVersion: API_VERSIONS.labPlans,
  path: `${rgProvider('Microsoft.LabServices')}/labPlans/{labPlan}/images/{image}`,
  view: planImageView,
  lists: { listByLabPlan: (req, ctx) => ctx.state.labPlans.images(planId(req, ctx)) },
  get: (req, ctx) => ctx.state.labPlans.image(planId(req, ctx), req.params.image ?? ''),
  put: setEnabled,
  patch: setEnabled,
});

/** Synchronous, as the real API: 200 with the updated image. PUT cannot create images. */
function setEnabled(req: RoutedRequest, ctx: HandlerContext) {
  const id = planId(req, ctx);
  const name = req.params.image ?? '';
  ctx.state.labPlans.image(id, name);
  const state = parseEnabledState(stringAtAnyCase(objectAt(bodyObject(req), 'properties'), 'enabledState'));
  return json(planImageView(ctx.state.labPlans.setImageEnabled(id, name, state)));
}

export function parseEnabledState(value: string | undefined, property = 'properties.enabledState'): EnabledState {
  return requiredOneOf<EnabledState>(value, ['Enabled', 'Disabled'], property);
}
