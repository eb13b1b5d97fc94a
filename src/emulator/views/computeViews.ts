import type { JsonObject } from '../json';
import { findPhysicalRegion } from '../regions';
import type { GalleryRecord, ImageDefinitionRecord, ImageVersionRecord } from '../state/records';
import type { ReplicationStatus } from '../state/replication';

/** JSON of Microsoft.Compute gallery resources as api-version 2025-03-03 answers. */

export function galleryView(gallery: GalleryRecord, subscriptionId: string): JsonObject {
  return {
    id: gallery.id,
    name: gallery.name,
    type: 'Microsoft.Compute/galleries',
    location: gallery.location,
    tags: {},
    properties: {
      ...(gallery.description !== undefined ? { description: gallery.description } : {}),
      identifier: { uniqueName: `${subscriptionId}-${gallery.name.toUpperCase()}` },
      provisioningState: gallery.provisioningState,
    },
  };
}

export function imageDefinitionView(definition: ImageDefinitionRecord): JsonObject {
  return {
    id: definition.id,
    name: definition.name,
    type: 'Microsoft.Compute/galleries/images',
    location: definition.location,
    properties: {
      ...(definition.description !== undefined ? { description: definition.description } : {}),
      osType: definition.osType,
      osState: definition.osState,
      hyperVGeneration: definition.hyperVGeneration,
      architecture: 'x64',
      identifier: { ...definition.identifier },
      provisioningState: definition.provisioningState,
    },
  };
}

/**
 * `replicationStatus` only when the caller asked for it (`$expand=ReplicationStatus`). Regions by display name
 * ("East US 2"), as recorded, whatever name the request used.
 */
export function imageVersionView(version: ImageVersionRecord, replication?: ReplicationStatus): JsonObject {
  return {
    id: version.id,
    name: version.name,
    type: 'Microsoft.Compute/galleries/images/versions',
    location: version.location,
    properties: {
      publishingProfile: {
        targetRegions: version.targetRegions.map((t) => ({
          name: findPhysicalRegion(t.region)?.displayName ?? t.region,
          regionalReplicaCount: t.regionalReplicaCount,
          storageAccountType: t.storageAccountType,
        })),
        replicaCount: version.replicaCount ?? 1,
        excludeFromLatest: version.excludeFromLatest,
        publishedDate: new Date(version.publishedDate).toISOString(),
        storageAccountType: 'Standard_LRS',
      },
      storageProfile: {
        ...(version.source ? { source: { ...version.source } } : {}),
        osDiskImage: { sizeInGB: version.osDiskSizeGB, hostCaching: 'ReadWrite' },
        dataDiskImages: version.dataDisks.map((d) => ({ lun: d.lun, sizeInGB: d.sizeInGB, hostCaching: 'None' })),
      },
      safetyProfile: { allowDeletionOfReplicatedLocations: false, reportedForPolicyViolation: false },
      provisioningState: version.provisioningState,
      ...(replication ? { replicationStatus: replication } : {}),
    },
  };
}
