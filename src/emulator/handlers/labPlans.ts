import { ArmError, invalidParameter } from '../armError';
import { armIds, sameId } from '../armIds';
import { hasKey, mergePatch, objectAt, stringAt, type JsonObject } from '../json';
import { json } from '../http/response';
import type { LabPlanRecord } from '../state/records';
import { labPlanView } from '../views/labServicesViews';
import { API_VERSIONS, bodyObject, rgProvider, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { crudRoutes, startLro, startWrite } from './crudRoutes';

const PLAN = `${rgProvider('Microsoft.LabServices')}/labPlans/{labPlan}`;

export function planId(req: RoutedRequest, ctx: HandlerContext): string {
  return armIds.labPlan(ctx.subscriptionId, req.params.resourceGroup ?? '', req.params.labPlan ?? '');
}

/** Lab plans (api-version 2022-08-01): reads, merge-patch update (a Location-style LRO) and saveImage. */
export const labPlanRoutes: EmulatorRoute[] = [
  ...crudRoutes<LabPlanRecord>({
    name: 'labPlans',
    apiVersion: API_VERSIONS.labPlans,
    path: PLAN,
    view: labPlanView,
    topLevel: { list: (ctx, resourceGroup) => ctx.state.labPlans.list(resourceGroup) },
    lroId: planId,
    get: (req, ctx) => ctx.state.labPlans.require(planId(req, ctx)),
    patch: updatePlan,
  }),
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
  const headers = startWrite(req, ctx, plan, {
    style: 'location',
    creating: false,
    apply: () => {
      if (galleryChange) labPlans.setGallery(plan.id, galleryChange.galleryId);
      plan.properties = mergePatch(plan.properties, rest);
    },
  });
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
  const { headers } = startLro(req, ctx, {
    style: 'location',
    resourceId: plan.id,
    complete: () => {
      ctx.state.saveLabPlanImage(plan.id, name, labVirtualMachineId);
    },
    fail: () => undefined,
  });
  return { status: 202, headers };
}
