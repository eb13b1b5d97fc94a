import { ArmError, invalidParameter } from '../armError';
import { armIds, sameId } from '../armIds';
import { hasKey, mergePatch, objectAt, stringAt, type JsonObject } from '../json';
import { json } from '../http/response';
import { labPlanView } from '../views/labServicesViews';
import { API_VERSIONS, bodyObject, page, rgProvider, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';

const PLAN = `${rgProvider('Microsoft.LabServices')}/labPlans/{labPlan}`;

export function planId(req: RoutedRequest, ctx: HandlerContext): string {
  return armIds.labPlan(ctx.subscriptionId, req.params.resourceGroup ?? '', req.params.labPlan ?? '');
}

/** Lab plans (api-version 2022-08-01): reads, merge-patch update (a Location-style LRO) and saveImage. */
export const labPlanRoutes: EmulatorRoute[] = [
  {
    method: 'GET',
    pattern: '/subscriptions/{subscriptionId}/providers/Microsoft.LabServices/labPlans',
    operation: 'labPlans.listBySubscription',
    apiVersion: API_VERSIONS.labPlans,
    handler: (req, ctx) => json(page(req, ctx, ctx.state.labPlans.list().map(labPlanView))),
  },
  {
    method: 'GET',
    pattern: `${rgProvider('Microsoft.LabServices')}/labPlans`,
    operation: 'labPlans.listByResourceGroup',
    apiVersion: API_VERSIONS.labPlans,
    handler: (req, ctx) => json(page(req, ctx, ctx.state.labPlans.list(req.params.resourceGroup).map(labPlanView))),
  },
  {
    method: 'GET',
    pattern: PLAN,
    operation: 'labPlans.get',
    apiVersion: API_VERSIONS.labPlans,
    handler: (req, ctx) => {
      const id = planId(req, ctx);
      ctx.lro.touch(id);
      return json(labPlanView(ctx.state.labPlans.require(id)));
    },
  },
  { method: 'PATCH', pattern: PLAN, operation: 'labPlans.update', apiVersion: API_VERSIONS.labPlans, handler: updatePlan },
  { method: 'POST', pattern: `${PLAN}/saveImage`, operation: 'labPlans.saveImage', apiVersion: API_VERSIONS.labPlans, handler: saveImage },
];

function updatePlan(req: RoutedRequest, ctx: HandlerContext) {
  const { labPlans } = ctx.state;
  const plan = labPlans.require(planId(req, ctx));
  const properties = objectAt(bodyObject(req), 'properties') ?? {};
  const galleryChange = sharedGalleryChange(properties);
  if (galleryChange?.galleryId !== undefined && !sameId(galleryChange.galleryId, plan.sharedGalleryId)) labPlans.validateAttach(plan.id, galleryChange.galleryId);
  const rest: JsonObject = { ...properties };
  delete rest.sharedGalleryId;
  delete rest.provisioningState;
  const { operation, headers } = ctx.lro.start({
    style: 'location',
    resourceId: plan.id,
    apiVersion: req.apiVersion,
    complete: () => {
      if (galleryChange) labPlans.setGallery(plan.id, galleryChange.galleryId);
      plan.properties = mergePatch(plan.properties, rest);
      plan.provisioningState = 'Succeeded';
    },
    fail: () => {
      plan.provisioningState = 'Failed';
    },
    ...(req.operationFailure ? { injectedFailure: req.operationFailure } : {}),
  });
  if (operation.status === 'InProgress') plan.provisioningState = 'Updating';
  return json(labPlanView(plan), 202, headers);
}

/** `sharedGalleryId: null` (or "") detaches; a string attaches; absent changes nothing. */
function sharedGalleryChange(properties: JsonObject): { galleryId: string | undefined } | undefined {
  if (!hasKey(properties, 'sharedGalleryId')) return undefined;
  const value = properties.sharedGalleryId;
  if (value === null || value === '') return { galleryId: undefined };
  if (typeof value === 'string') return { galleryId: value };
  throw invalidParameter('properties.sharedGalleryId must be a compute gallery id or null.', 'properties.sharedGalleryId');
}

function saveImage(req: RoutedRequest, ctx: HandlerContext) {
  const plan = ctx.state.labPlans.require(planId(req, ctx));
  const body = bodyObject(req);
  const name = stringAt(body, 'name');
  const labVirtualMachineId = stringAt(body, 'labVirtualMachineId');
  if (!name) throw invalidParameter('The image name is required.', 'name');
  if (!labVirtualMachineId) throw invalidParameter('The lab virtual machine id is required.', 'labVirtualMachineId');
  if (!plan.sharedGalleryId) throw new ArmError(400, 'NoSharedGalleryAttached', `Lab plan '${plan.name}' has no compute gallery attached to save images to.`);
  const { headers } = ctx.lro.start({
    style: 'location',
    resourceId: plan.id,
    apiVersion: req.apiVersion,
    complete: () => {
      ctx.state.saveLabPlanImage(plan.id, name, labVirtualMachineId);
    },
    fail: () => undefined,
    ...(req.operationFailure ? { injectedFailure: req.operationFailure } : {}),
  });
  return { status: 202, headers };
}
