import { ArmError, EMULATOR_ERROR_CODES } from '../armError';
import { armIds, isResourceOfType, lastSegment, sameId } from '../armIds';
import { BUILT_IN_ROLES, LAB_SERVICES_APP_IDS } from './builtInRoles';
import { canonicalRegion, type GalleryStore } from './galleryStore';
import { LabHostStore } from './labHostStore';
import type { JsonObject } from '../json';
import type { LabAccountRecord, LabRecord } from './records';
import type { RoleStore } from './roleStore';

export interface NewLabAccount {
  resourceGroup: string;
  name: string;
  location: string;
  /** Attached through the same rules as the API (the classic principal gets Contributor on it). */
  sharedGalleryId?: string;
}

/** Classic lab accounts, their one shared gallery and its images (Enabled unless disabled). */
export class LabAccountStore extends LabHostStore<LabAccountRecord> {
  constructor(subscriptionId: string, now: () => number, galleries: GalleryStore, roles: RoleStore) {
    super(subscriptionId, now, galleries, roles, { type: 'Microsoft.LabServices/labaccounts', imageType: 'Microsoft.LabServices/labaccounts/sharedImages', unsetImageState: 'Enabled' });
  }

  add(input: NewLabAccount): LabAccountRecord {
    const record = this.hosts.add({
      id: armIds.labAccount(this.subscriptionId, input.resourceGroup, input.name),
      name: input.name,
      resourceGroup: input.resourceGroup,
      location: canonicalRegion(input.location),
      imageStates: new Map(),
      provisioningState: 'Succeeded',
      createdAt: this.now(),
    });
    if (input.sharedGalleryId) this.attach(record.id, lastSegment(input.sharedGalleryId), input.sharedGalleryId);
    return record;
  }

  protected galleryIdOf(account: LabAccountRecord): string | undefined {
    return account.sharedGallery?.galleryId;
  }

  /**
   * Attaches a gallery (one at a time). Like the service, grants the classic Lab Services principal
   * Contributor on the gallery. Returns whether the attachment is new.
   */
  attach(accountId: string, sharedGalleryName: string, galleryId: string): boolean {
    const account = this.require(accountId);
    if (!isResourceOfType(galleryId, 'Microsoft.Compute', ['galleries'])) {
      throw new ArmError(400, 'LinkedInvalidPropertyId', `Property id '${galleryId}' at path 'properties.galleryId' is invalid. Expect fully qualified resource Id of a compute gallery.`, 'properties.galleryId');
    }
    const gallery = this.galleries.gallery(galleryId);
    if (!gallery) throw new ArmError(400, EMULATOR_ERROR_CODES.sharedGalleryNotFound, `The compute gallery '${galleryId}' was not found.`, 'properties.galleryId');
    if (account.sharedGallery) {
      if (sameId(account.sharedGallery.galleryId, gallery.id)) return false;
      throw new ArmError(409, EMULATOR_ERROR_CODES.galleryAlreadyAttached, `Lab account '${account.name}' already has the shared gallery '${account.sharedGallery.name}' attached; only one gallery can be attached at a time.`);
    }
    account.sharedGallery = { name: sharedGalleryName, galleryId: gallery.id };
    account.imageStates.clear();
    this.grantContributor(gallery.id);
    return true;
  }

  detach(accountId: string, sharedGalleryName: string): boolean {
    const account = this.require(accountId);
    if (!account.sharedGallery || account.sharedGallery.name.toLowerCase() !== sharedGalleryName.toLowerCase()) return false;
    delete account.sharedGallery;
    account.imageStates.clear();
    return true;
  }

  /**
   * The `default` environment setting of a lab built from one of the account's shared images (its id, or the
   * image definition id): the image's gallery definition as `galleryImageResourceId`.
   */
  environmentSettingFor(accountId: string, imageRef: string, extra: JsonObject = {}): NonNullable<LabRecord['environmentSetting']> {
    const account = this.require(accountId);
    const image = this.images(account.id).find((i) => sameId(armIds.accountSharedImage(account.id, i.name), imageRef) || sameId(i.definition.id, imageRef));
    const galleryImageResourceId = image?.definition.id ?? imageRef;
    return { name: 'default', resourceSettings: { galleryImageResourceId, imageName: image ? (image.definition.description ?? image.name) : lastSegment(imageRef), ...extra } };
  }

  private grantContributor(galleryId: string): void {
    const principal = this.roles.servicePrincipal(LAB_SERVICES_APP_IDS.labAccount);
    if (!principal || this.roles.holdsRole(principal.objectId, BUILT_IN_ROLES.contributor.guid, galleryId)) return;
    this.roles.add({ scope: galleryId, roleDefinitionGuid: BUILT_IN_ROLES.contributor.guid, principalId: principal.objectId, principalType: 'ServicePrincipal' });
  }
}
