import { armIds } from '../armIds';
import type { JsonObject } from '../json';
import type { PlanImage } from '../state/labPlanStore';
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

/**
 * How a lab plan image reads (labplan-images-list.json): in a list, a disabled image has no `enabledState` at
 * all and no image has `availableRegions`; a single-image GET adds `availableRegions`; a PATCH answers with the
 * state it set. Marketplace images carry publisher/offer/sku/plan/termsStatus/author/iconUrl; gallery images
 * carry `sharedGalleryId` (their image definition), as the 2022-08-01 getImage example shows.
 */
export function planImageView(entry: PlanImage, as: 'list' | 'get' | 'patch' = 'list'): JsonObject {
  const enabledState = entry.kind === 'gallery' ? entry.image.enabledState : entry.enabledState;
  const state = as === 'patch' || enabledState === 'Enabled' ? { enabledState } : {};
  const hostId = entry.kind === 'gallery' ? entry.image.hostId : entry.hostId;
  let properties: JsonObject;
  if (entry.kind === 'marketplace') {
    const m = entry.image;
    properties = {
      provisioningState: 'Succeeded',
      displayName: m.displayName,
      description: m.description,
      iconUrl: m.iconUrl,
      author: m.author,
      osType: m.osType,
      plan: m.plan,
      termsStatus: m.termsStatus,
      offer: m.offer,
      publisher: m.publisher,
      sku: m.sku,
      version: 'latest',
      // The recording's single GET of a Marketplace image answered an empty list.
      ...(as === 'get' ? { availableRegions: [] } : {}),
      osState: 'Generalized',
      ...state,
    };
  } else {
    const d = entry.image.definition;
    properties = {
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
      ...(as === 'get' ? { availableRegions: entry.image.availableRegions } : {}),
      ...state,
    };
  }
  return { properties, id: armIds.planImage(hostId, entry.image.name), name: entry.image.name, type: 'Microsoft.LabServices/labPlans/images' };
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
