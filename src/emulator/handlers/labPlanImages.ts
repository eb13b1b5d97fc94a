import { objectAt, stringAtAnyCase } from '../json';
import { json } from '../http/response';
import type { EnabledState } from '../state/records';
import { planImageView } from '../views/labServicesViews';
import { API_VERSIONS, bodyObject, page, requiredOneOf, rgProvider, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { planId } from './labPlans';

const IMAGES = `${rgProvider('Microsoft.LabServices')}/labPlans/{labPlan}/images`;

/** Images of a lab plan: one per image definition of the attached gallery; only `enabledState` is writable. */
export const labPlanImageRoutes: EmulatorRoute[] = [
  {
    method: 'GET',
    pattern: IMAGES,
    operation: 'images.listByLabPlan',
    apiVersion: API_VERSIONS.labPlans,
    handler: (req, ctx) => {
      const plan = ctx.state.labPlans.require(planId(req, ctx));
      return json(page(req, ctx, ctx.state.labPlans.images(plan.id).map((i) => planImageView(plan, i))));
    },
  },
  {
    method: 'GET',
    pattern: `${IMAGES}/{image}`,
    operation: 'images.get',
    apiVersion: API_VERSIONS.labPlans,
    handler: (req, ctx) => {
      const plan = ctx.state.labPlans.require(planId(req, ctx));
      return json(planImageView(plan, ctx.state.labPlans.image(plan.id, req.params.image ?? '')));
    },
  },
  { method: 'PATCH', pattern: `${IMAGES}/{image}`, operation: 'images.update', apiVersion: API_VERSIONS.labPlans, handler: setEnabled },
  { method: 'PUT', pattern: `${IMAGES}/{image}`, operation: 'images.createOrUpdate', apiVersion: API_VERSIONS.labPlans, handler: setEnabled },
];

/** Synchronous, as the real API: 200 with the updated image. PUT cannot create images. */
function setEnabled(req: RoutedRequest, ctx: HandlerContext) {
  const plan = ctx.state.labPlans.require(planId(req, ctx));
  const name = req.params.image ?? '';
  ctx.state.labPlans.image(plan.id, name);
  const state = parseEnabledState(stringAtAnyCase(objectAt(bodyObject(req), 'properties'), 'enabledState'));
  return json(planImageView(plan, ctx.state.labPlans.setImageEnabled(plan.id, name, state)));
}

export function parseEnabledState(value: string | undefined, property = 'properties.enabledState'): EnabledState {
  return requiredOneOf<EnabledState>(value, ['Enabled', 'Disabled'], property);
}
