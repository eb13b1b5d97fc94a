import type { OsState, OsType } from './labHostGateway';

export interface Gallery {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  /** Lowercase region name. */
  location: string;
  description?: string;
  provisioningState?: string;
}

export interface ImageDefinition {
  id: string;
  name: string;
  galleryId: string;
  osType: OsType;
  osState: OsState;
  hyperVGeneration?: string;
  provisioningState?: string;
}

export interface TargetRegion {
  /** Lowercase region name. */
  name: string;
  replicaCount: number;
}

export type AggregatedReplicationState = 'Unknown' | 'InProgress' | 'Completed' | 'Failed';
export type RegionReplicationState = 'Unknown' | 'Replicating' | 'Completed' | 'Failed';

export interface RegionReplication {
  /** Lowercase region name (Azure reports display names; the adapter maps them). */
  region: string;
  state: RegionReplicationState;
  /** 0–100. */
  progress: number;
  details?: string;
}

export interface ImageVersion {
  id: string;
  /** Semantic version, e.g. `1.0.3`. */
  name: string;
  definitionId: string;
  targetRegions: TargetRegion[];
  /** Milliseconds since the epoch. */
  publishedAt?: number;
  osDiskSizeGB?: number;
  dataDiskCount: number;
  provisioningState?: string;
  /** Present only when asked for (`withReplication`). */
  replication?: { aggregatedState: AggregatedReplicationState; regions: RegionReplication[] };
}

export interface NewGallery {
  resourceGroup: string;
  name: string;
  /** Region name. */
  location: string;
  description?: string;
}

/** Azure Compute Gallery. Failures are `AzureError`s; write operations resolve with the re-read resource. */
export interface GalleryGateway {
  /** Every page; subscription-wide unless a resource group is given. */
  listGalleries(options?: { resourceGroup?: string }): Promise<Gallery[]>;
  getGallery(galleryId: string): Promise<Gallery>;
  createGallery(gallery: NewGallery): Promise<Gallery>;
  listImageDefinitions(galleryId: string): Promise<ImageDefinition[]>;
  /** `withReplication` costs one extra ARM read per version. */
  listVersions(definitionId: string, options?: { withReplication?: boolean }): Promise<ImageVersion[]>;
  getVersion(versionId: string, options?: { withReplication?: boolean }): Promise<ImageVersion>;
  /**
   * Replaces the version's target regions (starting replication to new ones); resolves with the version re-read
   * with replication status once Azure has taken the change. Its LRO is waited for a minute at most (it may last
   * as long as the replication): the version may still be `Updating` then.
   */
  updateTargetRegions(versionId: string, regions: TargetRegion[]): Promise<ImageVersion>;
}
