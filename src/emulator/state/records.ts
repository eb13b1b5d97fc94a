import type { JsonObject } from '../json';
import type { Replica } from './replication';

export type OsType = 'Windows' | 'Linux';
export type OsState = 'Generalized' | 'Specialized';
export type EnabledState = 'Enabled' | 'Disabled';
export type ProvisioningState = 'Creating' | 'Updating' | 'Succeeded' | 'Failed' | 'Deleting' | 'Locked';
export type PrincipalType = 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';

/** Records are the emulator's model; ids keep the casing they were created with. */
export interface ResourceGroupRecord {
  id: string;
  name: string;
  location: string;
}

export interface GalleryRecord {
  id: string;
  name: string;
  resourceGroup: string;
  location: string;
  description?: string;
  provisioningState: ProvisioningState;
}

export interface ImageDefinitionRecord {
  id: string;
  name: string;
  galleryId: string;
  location: string;
  osType: OsType;
  osState: OsState;
  hyperVGeneration: 'V1' | 'V2';
  identifier: { publisher: string; offer: string; sku: string };
  description?: string;
  provisioningState: ProvisioningState;
}

export interface TargetRegionRecord {
  /** Canonical region name (`westus`); rendered as its display name. */
  region: string;
  regionalReplicaCount: number;
  storageAccountType: string;
}

export interface ImageVersionRecord {
  id: string;
  name: string;
  definitionId: string;
  location: string;
  targetRegions: TargetRegionRecord[];
  /** `publishingProfile.replicaCount`: what a target region sent without its own count gets. Absent = 1. */
  replicaCount?: number;
  replicas: Replica[];
  publishedDate: number;
  osDiskSizeGB: number;
  dataDisks: { lun: number; sizeInGB: number }[];
  source?: { id?: string; virtualMachineId?: string };
  excludeFromLatest: boolean;
  provisioningState: ProvisioningState;
}

export interface LabPlanRecord {
  id: string;
  name: string;
  resourceGroup: string;
  location: string;
  sharedGalleryId?: string;
  provisioningState: ProvisioningState;
  /** Every other property, kept as merge-patched JSON. */
  properties: JsonObject;
  /** Enabled state per image (key: lowercased definition name); missing means Disabled. */
  imageStates: Map<string, EnabledState>;
  createdAt: number;
}

export interface LabAccountRecord {
  id: string;
  name: string;
  resourceGroup: string;
  location: string;
  sharedGallery?: { name: string; galleryId: string };
  /** Enabled state per image (key: lowercased definition name); missing means Enabled. */
  imageStates: Map<string, EnabledState>;
  provisioningState: ProvisioningState;
  createdAt: number;
}

export interface LabRecord {
  id: string;
  name: string;
  hostId: string;
  hostKind: 'labPlan' | 'labAccount';
  resourceGroup: string;
  location: string;
  provisioningState: ProvisioningState;
  properties: JsonObject;
  createdAt: number;
  /**
   * Lab accounts' labs only: their environment setting (the template), where api 2018-10-15 keeps the image
   * (`resourceSettings.galleryImageResourceId`); the lab itself has no image field.
   */
  environmentSetting?: { name: string; resourceSettings: JsonObject };
}

export interface RoleAssignmentRecord {
  id: string;
  name: string;
  scope: string;
  roleDefinitionGuid: string;
  principalId: string;
  principalType: PrincipalType;
  description?: string;
  createdOn: number;
}

export interface ServicePrincipalRecord {
  appId: string;
  objectId: string;
  displayName: string;
}

/** An image of a lab host's attached gallery, derived from an image definition on every read. */
export interface HostImageRecord {
  /** The lab plan or lab account whose image this is. */
  hostId: string;
  name: string;
  definition: ImageDefinitionRecord;
  enabledState: EnabledState;
  /** Canonical names of regions where some version has a completed replica. */
  availableRegions: string[];
}
