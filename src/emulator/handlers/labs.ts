import { ArmError, EMULATOR_ERROR_CODES, invalidParameter } from '../armError';
import { armIds } from '../armIds';
import { objectAt, stringAt, type JsonObject } from '../json';
import { findPhysicalRegion } from '../regions';
import { json } from '../http/response';
import { canonicalRegion } from '../state/galleryStore';
import type { LabRecord } from '../state/records';
import { labView } from '../views/labServicesViews';
import { API_VERSIONS, bodyObject, rgProvider, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { crudRoutes, startWrite } from './crudRoutes';
import { withProblemNotFound } from './labServicesErrors';

const LAB = `${rgProvider('Microsoft.LabServices')}/labs/{lab}`;

function labId(req: RoutedRequest, ctx: HandlerContext): string {
  return armIds.lab(ctx.subscriptionId, req.params.resourceGroup ?? '', req.params.lab ?? '');
}

/** Labs of lab plans (top-level resources that point at their plan). */
export const labRoutes: EmulatorRoute[] = withProblemNotFound(crudRoutes<LabRecord>({
  name: 'labs',
  apiVersion: API_VERSIONS.labPlans,
  path: LAB,
  view: labView,
  topLevel: { list: (ctx, resourceGroup) => ctx.state.labs.list({ hostKind: 'labPlan', resourceGroup }) },
  lroId: labId,
  get: (req, ctx) => ctx.state.labs.require(labId(req, ctx)),
  put: putLab,
  delete: (req, ctx) => ctx.state.labs.remove(labId(req, ctx)),
  deleteLro: 'labServices',
}));

/**
 * Creates (201, provisioningState Creating) or replaces (200, Updating) a lab; a Lab Services LRO
 * (lab-create-lro recording: `Location` = the lab, `Azure-AsyncOperation` and `Operation-Location`).
 * The image must come from the plan's attached gallery and be replicated to the lab's region.
 */
function putLab(req: RoutedRequest, ctx: HandlerContext) {
  const { state } = ctx;
  const body = bodyObject(req);
  const properties = objectAt(body, 'properties') ?? {};
  const planRef = stringAt(properties, 'labPlanId');
  if (!planRef) throw invalidParameter('properties.labPlanId is required.', 'properties.labPlanId');
  const plan = state.labPlans.get(planRef);
  if (!plan) throw new ArmError(400, 'LinkedInvalidPropertyId', `The lab plan '${planRef}' was not found.`, 'properties.labPlanId');
  const imageId = stringAt(properties, 'virtualMachineProfile', 'imageReference', 'id');
  if (!imageId) throw invalidParameter('properties.virtualMachineProfile.imageReference.id is required.', 'properties.virtualMachineProfile.imageReference.id');
  const location = canonicalRegion(stringAt(body, 'location') ?? plan.location);
  const image = state.labPlans.resolveLabImage(plan.id, imageId);
  if (!image.availableRegions.includes(location)) {
    throw new ArmError(
      400,
      EMULATOR_ERROR_CODES.imageNotAvailableInRegion,
      `The image '${image.name}' is not available in region '${findPhysicalRegion(location)?.displayName ?? location}': replicate a version there first.`,
      'properties.virtualMachineProfile.imageReference.id',
    );
  }
  const stored: JsonObject = { ...properties, labPlanId: plan.id, state: 'Draft' };
  delete stored.provisioningState;
  const id = labId(req, ctx);
  const existing = state.labs.get(id);
  const lab = existing ?? state.labs.add({ hostId: plan.id, hostKind: 'labPlan', name: req.params.lab ?? '', resourceGroup: req.params.resourceGroup ?? '', location, properties: stored, provisioningState: 'Creating' });
  const headers = startWrite(req, ctx, lab, {
    style: 'labServices',
    creating: !existing,
    apply: () => {
      lab.properties = stored;
      lab.location = location;
    },
  });
  return json(labView(lab), existing ? 200 : 201, headers);
}
