import { ArmError, EMULATOR_ERROR_CODES } from '../armError';
import { armIds, idKey, isResourceOfType, lastSegment, sameId } from '../armIds';
import type { JsonObject } from '../json';
import { BUILT_IN_ROLES, LAB_SERVICES_APP_IDS } from './builtInRoles';
import { canonicalRegion, type GalleryStore } from './galleryStore';
import { LabHostStore } from './labHostStore';
import type { HostImageRecord, LabPlanRecord } from './records';
import type { RoleStore } from './roleStore';

export interface NewLabPlan {
  resourceGroup: string;
  name: string;
  location: string;
  /** Attached as is, without the Owner check the API makes. */
  sharedGalleryId?: string;
  allowedRegions?: string[];
  /** Other lab plan properties (defaultAutoShutdownProfile, supportInfo, ...). */
  properties?: JsonObject;
}

/** Lab plans, and the images of their attached gallery (Disabled unless enabled). */
export class LabPlanStore extends LabHostStore<LabPlanRecord> {
  constructor(subscriptionId: string, now: () => number, galleries: GalleryStore, roles: RoleStore) {
    super(subscriptionId, now, galleries, roles, { type: 'Microsoft.LabServices/labPlans', imageType: 'Microsoft.LabServices/labPlans/images', unsetImageState: 'Disabled' });
  }

  add(input: NewLabPlan): LabPlanRecord {
    const location = canonicalRegion(input.location);
    const record = this.hosts.add({
      id: armIds.labPlan(this.subscriptionId, input.resourceGroup, input.name),
      name: input.name,
      resourceGroup: input.resourceGroup,
      location,
      provisioningState: 'Succeeded',
      properties: { allowedRegions: input.allowedRegions?.map(canonicalRegion) ?? [location], ...(input.properties ?? {}) },
      imageStates: new Map(),
      createdAt: this.now(),
    });
    if (input.sharedGalleryId) this.setGallery(record.id, input.sharedGalleryId);
    return record;
  }

  protected galleryIdOf(plan: LabPlanRecord): string | undefined {
    return plan.sharedGalleryId;
  }

  /**
   * The checks the service makes before attaching: a gallery id, an existing gallery, nothing else
   * attached, and the Lab Services principal holding Owner on the gallery (or above it).
   */
  validateAttach(planId: string, galleryId: string): void {
    const plan = this.require(planId);
    if (!isResourceOfType(galleryId, 'Microsoft.Compute', ['galleries'])) {
      throw new ArmError(400, 'LinkedInvalidPropertyId', `Property id '${galleryId}' at path 'properties.sharedGalleryId' is invalid. Expect fully qualified resource Id of a compute gallery.`, 'properties.sharedGalleryId');
    }
    const gallery = this.galleries.gallery(galleryId);
    if (!gallery) {
      throw new ArmError(400, EMULATOR_ERROR_CODES.sharedGalleryNotFound, `The compute gallery '${galleryId}' was not found.`, 'properties.sharedGalleryId');
    }
    if (plan.sharedGalleryId && !sameId(plan.sharedGalleryId, gallery.id)) {
      throw new ArmError(409, EMULATOR_ERROR_CODES.galleryAlreadyAttached, `Lab plan '${plan.name}' already has the compute gallery '${lastSegment(plan.sharedGalleryId)}' attached; detach it first.`);
    }
    const principal = this.roles.servicePrincipal(LAB_SERVICES_APP_IDS.labPlan);
    if (!principal || !this.roles.holdsRole(principal.objectId, BUILT_IN_ROLES.owner.guid, gallery.id)) {
      throw new ArmError(
        400,
        EMULATOR_ERROR_CODES.missingGalleryOwnerRole,
        `Azure Lab Services (application id ${LAB_SERVICES_APP_IDS.labPlan}${principal ? `, object id ${principal.objectId}` : ''}) needs the Owner role on the compute gallery '${gallery.name}' before it can be attached.`,
        'properties.sharedGalleryId',
      );
    }
  }

  /** Attaches (or with undefined, detaches); a change of gallery forgets the images' enabled states. */
  setGallery(planId: string, galleryId: string | undefined): LabPlanRecord {
    const plan = this.require(planId);
    const gallery = galleryId === undefined ? undefined : this.galleries.requireGallery(galleryId);
    if (!sameId(plan.sharedGalleryId, gallery?.id)) plan.imageStates.clear();
    if (gallery) plan.sharedGalleryId = gallery.id;
    else delete plan.sharedGalleryId;
    return plan;
  }

  /**
   * Which plan image a lab's `imageReference.id` names: the image definition (or one of its versions)
   * in the attached gallery, or the plan's own image resource id.
   */
  resolveLabImage(planId: string, imageId: string): HostImageRecord {
    const plan = this.require(planId);
    const key = idKey(imageId);
    const image = this.images(planId).find(
      (i) => key === idKey(i.definition.id) || key.startsWith(`${idKey(i.definition.id)}/versions/`) || key === idKey(armIds.planImage(plan.id, i.name)),
    );
    if (!image) {
      throw new ArmError(400, EMULATOR_ERROR_CODES.imageNotInAttachedGallery, `The image '${imageId}' does not belong to the compute gallery attached to lab plan '${plan.name}'.`, 'properties.virtualMachineProfile.imageReference.id');
    }
    return image;
  }
}
