import { armIds } from '../armIds';
import type { JsonObject } from '../json';
import type { HostImageRecord, LabAccountRecord, LabPlanRecord, LabRecord } from '../state/records';

/** JSON of Microsoft.LabServices resources as api-version 2022-08-01 / 2018-10-15 / 2019-01-01-preview answer. */

export function labPlanView(plan: LabPlanRecord): JsonObject {
  return {
    id: plan.id,
    name: plan.name,
    type: 'Microsoft.LabServices/labPlans',
    location: plan.location,
    systemData: { createdAt: new Date(plan.createdAt).toISOString() },
    properties: {
      ...plan.properties,
      ...(plan.sharedGalleryId ? { sharedGalleryId: plan.sharedGalleryId } : {}),
      provisioningState: plan.provisioningState,
    },
  };
}

export function planImageView(image: HostImageRecord): JsonObject {
  const d = image.definition;
  return {
    id: armIds.planImage(image.hostId, image.name),
    name: image.name,
    type: 'Microsoft.LabServices/labPlans/images',
    properties: {
      enabledState: image.enabledState,
      provisioningState: 'Succeeded',
      displayName: d.description ?? d.name,
      description: d.description ?? '',
      author: d.identifier.publisher,
      osType: d.osType,
      osState: d.osState,
      publisher: d.identifier.publisher,
      offer: d.identifier.offer,
      sku: d.identifier.sku,
      sharedGalleryId: d.id,
      availableRegions: image.availableRegions,
    },
  };
}

/** Passwords are write-only, as in the real API. */
export function labView(lab: LabRecord): JsonObject {
  const properties = stripAdminPasswords(lab.properties);
  return {
    id: lab.id,
    name: lab.name,
    type: lab.hostKind === 'labPlan' ? 'Microsoft.LabServices/labs' : 'Microsoft.LabServices/labaccounts/labs',
    location: lab.location,
    systemData: { createdAt: new Date(lab.createdAt).toISOString() },
    properties: { ...properties, provisioningState: lab.provisioningState },
  };
}

export function labAccountView(account: LabAccountRecord): JsonObject {
  return {
    id: account.id,
    name: account.name,
    type: 'Microsoft.LabServices/labaccounts',
    location: account.location,
    tags: {},
    properties: {
      enabledRegionSelection: false,
      provisioningState: account.provisioningState,
      uniqueIdentifier: uniqueIdentifierOf(account.id),
    },
  };
}

export function sharedGalleryView(account: LabAccountRecord, shared: { name: string; galleryId: string }): JsonObject {
  return {
    id: armIds.accountSharedGallery(account.id, shared.name),
    name: shared.name,
    type: 'Microsoft.LabServices/labaccounts/sharedGalleries',
    properties: { galleryId: shared.galleryId, provisioningState: 'Succeeded' },
  };
}

export function sharedImageView(image: HostImageRecord): JsonObject {
  const d = image.definition;
  return {
    id: armIds.accountSharedImage(image.hostId, image.name),
    name: image.name,
    type: 'Microsoft.LabServices/labaccounts/sharedImages',
    properties: {
      enableState: image.enabledState,
      sharedGalleryId: d.id,
      osType: d.osType,
      imageType: d.osState,
      displayName: d.description ?? d.name,
      definitionName: d.name,
      provisioningState: 'Succeeded',
    },
  };
}

function stripAdminPasswords(properties: JsonObject): JsonObject {
  const copy = JSON.parse(JSON.stringify(properties)) as JsonObject;
  const profile = copy.virtualMachineProfile as { adminUser?: JsonObject; nonAdminUser?: JsonObject } | undefined;
  if (profile?.adminUser) delete profile.adminUser.password;
  if (profile?.nonAdminUser) delete profile.nonAdminUser.password;
  delete copy.password;
  return copy;
}

/** A stable GUID-shaped identifier derived from the id. */
function uniqueIdentifierOf(id: string): string {
  let h = 0x811c9dc5;
  const out: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${round}:${id.toLowerCase()}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out.push(h.toString(16).padStart(8, '0'));
  }
  const hex = out.join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
