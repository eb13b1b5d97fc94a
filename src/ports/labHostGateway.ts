import { UserError, type LabHostKind } from '../kernel';

export interface LabHost {
  /** ARM id, as Azure returned it. */
  id: string;
  name: string;
  kind: LabHostKind;
  /** Lowercase region name, e.g. `westeurope`. */
  location: string;
  resourceGroup: string;
  subscriptionId: string;
  /** ARM id of the attached Azure Compute Gallery; absent when none is attached. */
  sharedGalleryId?: string;
  provisioningState?: string;
}

export type OsType = 'Windows' | 'Linux' | 'Unknown';
export type OsState = 'Generalized' | 'Specialized' | 'Unknown';

/** An image of the attached gallery as the lab host exposes it. */
export interface HostImage {
  /** ARM id of the host's image resource (lab plan image, or lab account shared image). */
  id: string;
  name: string;
  displayName: string;
  enabled: boolean;
  osType: OsType;
  osState: OsState;
  /** Lowercase region names where the image can back a lab (lab plans only). */
  availableRegions?: string[];
  /** ARM id of the gallery image definition behind this image; empty when the host does not say. */
  definitionId: string;
  provisioningState?: string;
}

export interface LabSummary {
  id: string;
  name: string;
  title?: string;
  /** What the lab was built from: a gallery image definition/version id (plans) or shared image id (accounts). */
  imageId?: string;
  provisioningState?: string;
}

export interface CreateLabParams {
  /** ARM resource name of the new lab. */
  name: string;
  title?: string;
  description?: string;
  /** The image chosen from `listImages`. */
  image: Pick<HostImage, 'id' | 'name' | 'definitionId'>;
  /** VM size: the SKU name for lab plans (e.g. `Classic_Fsv2_2_4GB_128_S_SSD`), the size name for lab accounts (e.g. `Basic`). */
  vmSize: string;
  /** Number of student VMs. */
  capacity: number;
  usageQuotaHours: number;
  adminUser: { username: string; password: string };
  useSharedPassword?: boolean;
  /** Lab plans only: where to create the lab; defaults to the lab plan's resource group and region. */
  resourceGroup?: string;
  location?: string;
}

export interface SaveImageParams {
  /** Name of the image to create in the attached gallery. */
  name: string;
  /** ARM id of the lab VM (usually the template VM) to capture. */
  labVirtualMachineId: string;
}

/**
 * One port for both kinds of lab host. Write operations resolve with the resource as re-read from
 * Azure after the operation; its `provisioningState` may still be non-terminal when Azure had not
 * finished within the adapter's settle window. Failures are `AzureError`s (`operationFailed` when
 * Azure reports the operation itself failed).
 */
export interface LabHostGateway {
  getHost(hostId: string): Promise<LabHost>;
  /** Lab plans and lab accounts of the subscription. */
  listHosts(): Promise<LabHost[]>;
  /** Attaches without checking the one-gallery rule: that is the caller's job. */
  attachGallery(hostId: string, galleryId: string): Promise<LabHost>;
  /** No-op when nothing is attached. */
  detachGallery(hostId: string): Promise<LabHost>;
  listImages(hostId: string): Promise<HostImage[]>;
  setImageEnabled(hostId: string, imageName: string, enabled: boolean): Promise<HostImage>;
  createLab(hostId: string, params: CreateLabParams): Promise<LabSummary>;
  listLabs(hostId: string): Promise<LabSummary[]>;
  /** Lab plans only; lab accounts throw `UnsupportedHostOperationError`. Resolves with the saved image once the host lists it. */
  saveImage(hostId: string, params: SaveImageParams): Promise<HostImage | undefined>;
}

export class UnsupportedHostOperationError extends UserError {
  constructor(
    readonly operation: string,
    readonly kind: LabHostKind,
  ) {
    super('host.unsupported', { operation, kind });
    this.name = 'UnsupportedHostOperationError';
  }
}
