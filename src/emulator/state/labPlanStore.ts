import { ArmError, EMULATOR_ERROR_CODES } from '../armError';
import { armIds, idKey, isResourceOfType, lastSegment, sameId } from '../armIds';
import type { JsonObject } from '../json';
import { BUILT_IN_ROLES, LAB_SERVICES_APP_IDS } from './builtInRoles';
import { canonicalRegion, type GalleryStore } from './galleryStore';
import { LabHostStore } from './labHostStore';
import type { Sliceable } from '../http/paging';
import { compareImageNames, type MarketplaceImage } from './marketplaceCatalogue';
import type { EnabledState, HostImageRecord, LabPlanRecord } from './records';
import type { RoleStore } from './roleStore';
import { SET_UP_AT_START, type SetUpAtStart } from './setUpAtStart';

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

/**
 * An entry of a lab plan's `images`: an image of the attached gallery, or one of the Marketplace catalogue
 * (which every plan lists, gallery or not).
 */
export type PlanImage =
  | { kind: 'gallery'; image: HostImageRecord }
  | { kind: 'marketplace'; hostId: string; image: MarketplaceImage; enabledState: EnabledState };

/** Lab plans, and their images: the Marketplace catalogue and the attached gallery's images (Disabled unless enabled). */
export class LabPlanStore extends LabHostStore<LabPlanRecord> implements SetUpAtStart {
  /** The catalogue is configuration (useMarketplaceCatalogue at every start); the plans' imageStates are state. */
  readonly [SET_UP_AT_START] = ['marketplace', 'marketplaceByName'];
  private marketplace: readonly MarketplaceImage[] = [];
  private readonly marketplaceByName = new Map<string, MarketplaceImage>();

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
    if (!sameId(plan.sharedGalleryId, gallery?.id)) {
      for (const name of [...plan.imageStates.keys()]) if (!this.marketplaceByName.has(name)) plan.imageStates.delete(name);
    }
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

  /** The Marketplace images every plan lists, sorted by name (see marketplaceCatalogue). */
  useMarketplaceCatalogue(images: readonly MarketplaceImage[]): void {
    this.marketplace = [...images].sort((a, b) => compareImageNames(a.name, b.name));
    this.marketplaceByName.clear();
    for (const image of this.marketplace) this.marketplaceByName.set(image.name.toLowerCase(), image);
  }

  marketplaceImage(name: string): MarketplaceImage | undefined {
    return this.marketplaceByName.get(name.toLowerCase());
  }

  /**
   * What the plan's `images` list holds: the Marketplace catalogue sorted by name, then the attached gallery's
   * images in the gallery's order. Where the service puts gallery images is unconfirmed (none was recorded);
   * last is the case that makes a client read every page.
   */
  planImages(planId: string): Sliceable<PlanImage> {
    const plan = this.require(planId);
    const market = this.marketplace;
    const gallery = this.images(plan.id);
    // Entries are built for the slice asked only: a page of 200 out of thousands.
    return {
      length: market.length + gallery.length,
      slice: (start, end) => {
        const out: PlanImage[] = [];
        for (let i = Math.max(0, start); i < Math.min(end, market.length + gallery.length); i++) {
          out.push(i < market.length ? this.marketplaceEntry(plan, market[i] as MarketplaceImage) : { kind: 'gallery', image: gallery[i - market.length] as HostImageRecord });
        }
        return out;
      },
    };
  }

  /** One image of the plan, gallery or Marketplace; the 404 of an image otherwise. */
  planImage(planId: string, name: string): PlanImage {
    const plan = this.require(planId);
    const market = this.marketplaceByName.get(name.toLowerCase());
    if (market && !this.images(plan.id).some((i) => i.name.toLowerCase() === name.toLowerCase())) return this.marketplaceEntry(plan, market);
    return { kind: 'gallery', image: this.image(plan.id, name) };
  }

  setPlanImageEnabled(planId: string, name: string, state: EnabledState): PlanImage {
    const found = this.planImage(planId, name);
    if (found.kind === 'gallery') return { kind: 'gallery', image: this.setImageEnabled(planId, name, state) };
    this.require(planId).imageStates.set(found.image.name.toLowerCase(), state);
    return { ...found, enabledState: state };
  }

  private marketplaceEntry(plan: LabPlanRecord, image: MarketplaceImage): PlanImage {
    return { kind: 'marketplace', hostId: plan.id, image, enabledState: plan.imageStates.get(image.name.toLowerCase()) ?? 'Disabled' };
  }
}
