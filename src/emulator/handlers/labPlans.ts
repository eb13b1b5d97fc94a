import { ArmError, invalidParameter } from '../armError';
import { armIds, sameId } from '../armIds';
import { hasKey, mergePatch, objectAt, stringAt, type JsonObject } from '../json';
import { json } from '../http/response';
import type { LabPlanRecord } from '../state/records';
import { labPlanView } from '../views/labServicesViews';
import { API_VERSIONS, bodyObject, rgProvider, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { crudRoutes, startLro } from './crudRoutes';
import { withProblemNotFound } from './labServicesErrors';

const PLAN = `${rgProvider('Microsoft.LabServices')}/labPlans/{labPlan}`;

export function planId(req: RoutedRequest, ctx: HandlerContext): string {
  return armIds.labPlan(ctx.subscriptionId, req.params.resourceGroup ?? '', req.params.labPlan ?? '');
}

/**
 * Lab plans (api-version 2022-08-01): reads, a merge-patch update that answers 200 at once (as recorded),
 * and saveImage as a Lab Services LRO (202 + `Location …&monitor=true`). No DELETE: the bot never deletes a plan.
 */
export const labPlanRoutes: EmulatorRoute[] = withProblemNotFound([
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
]);

function updatePlan(req: RoutedRequest, ctx: HandlerContext) {
  const { labPlans } = ctx.state;
  const plan = labPlans.require(planId(req, ctx));
  const properties = objectAt(bodyObject(req), 'properties') ?? {};
  const galleryChange = sharedGalleryChange(properties);
  if (galleryChange?.galleryId !== undefined && !sameId(galleryChange.galleryId, plan.sharedGalleryId)) labPlans.validateAttach(plan.id, galleryChange.galleryId);
  const rest: JsonObject = { ...properties };
  delete rest.sharedGalleryId;
  delete rest.provisioningState;
  ctx.lro.assertIdle(plan.id);
  // Synchronous (labplan-get-patch, labplan-crud recordings): an injected failure is an error answer, nothing changed.
  if (req.operationFailure) throw new ArmError(400, req.operationFailure.code, req.operationFailure.message);
  if (galleryChange) labPlans.setGallery(plan.id, galleryChange.galleryId);
  plan.properties = mergePatch(plan.properties, rest);
  plan.provisioningState = 'Succeeded';
  return json(labPlanView(plan));
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
  const { operation, headers } = startLro(req, ctx, {
    style: 'labServices',
    kind: 'action',
    resourceId: plan.id,
    location: plan.location,
    complete: () => {
      ctx.state.saveLabPlanImage(plan.id, name, labVirtualMachineId);
    },
    fail: () => undefined,
  });
  // The 202 carries the operation result as its body (labplan-save-image-lro recording).
  return json({ id: ctx.lro.idOf(operation), name: operation.id, status: operation.status, startTime: new Date(operation.startTime).toISOString() }, 202, headers);
}
