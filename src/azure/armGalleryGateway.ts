import {
  ComputeManagementClient,
  type Gallery as ArmGallery,
  type GalleryImage,
  type GalleryImageVersion,
  type TargetRegion as ArmTargetRegion,
} from '@azure/arm-compute';
import type {
  AggregatedReplicationState,
  Gallery,
  GalleryGateway,
  ImageDefinition,
  ImageVersion,
  NewGallery,
  RegionReplicationState,
  TargetRegion,
} from '../ports/galleryGateway';
import { findRegionByDisplayName, type LocationGateway, type Region } from '../ports/locationGateway';
import { lroOptions, modularClientOptions, type ArmConnection } from './armConnection';
import { armCall } from './armErrors';
import { expectArmId, imageDefinitionIdOf, parseArmId } from '../kernel';
import { collect, osStateOf, osTypeOf, regionName } from './mapping';
import { assertEffect, runOperation, submitted, type AdapterLogger } from './operation';

const GALLERY_TYPE = 'Microsoft.Compute/galleries';
const DEFINITION_TYPE = 'Microsoft.Compute/galleries/images';
const VERSION_TYPE = 'Microsoft.Compute/galleries/images/versions';

/**
 * Azure Compute Gallery through the modular @azure/arm-compute client. Writes are Compute LROs (201/200 +
 * `Azure-AsyncOperation` to `capsOperations`); a failed one throws `operationFailed` with Azure's code and message.
 */
export class ArmGalleryGateway implements GalleryGateway {
  private readonly clients = new Map<string, ComputeManagementClient>();

  constructor(
    private readonly connection: ArmConnection,
    private readonly locations: LocationGateway,
    private readonly logger?: AdapterLogger,
  ) {}

  async listGalleries(options: { resourceGroup?: string } = {}): Promise<Gallery[]> {
    const client = this.client(this.connection.subscriptionId);
    const { resourceGroup } = options;
    const galleries = await armCall(resourceGroup, () =>
      collect(resourceGroup ? client.galleries.listByResourceGroup(resourceGroup) : client.galleries.list()),
    );
    return galleries.map(toGallery);
  }

  async getGallery(galleryId: string): Promise<Gallery> {
    const id = expectArmId(galleryId, GALLERY_TYPE);
    const [gallery] = id.names as [string];
    return toGallery(await armCall(gallery, () => this.client(id.subscriptionId).galleries.get(id.resourceGroup, gallery)));
  }

  async createGallery(spec: NewGallery): Promise<Gallery> {
    const client = this.client(this.connection.subscriptionId);
    const body: ArmGallery = { location: spec.location, ...(spec.description ? { description: spec.description } : {}) };
    const gallery = await runOperation({
      target: spec.name,
      start: () => submitted(client.galleries.createOrUpdate(spec.resourceGroup, spec.name, body, lroOptions(this.connection))),
      reread: () => client.galleries.get(spec.resourceGroup, spec.name),
      stateOf: (g) => g.provisioningState,
      settle: this.connection.settle,
      logger: this.logger,
    });
    return toGallery(gallery);
  }

  async listImageDefinitions(galleryId: string): Promise<ImageDefinition[]> {
    const id = expectArmId(galleryId, GALLERY_TYPE);
    const [gallery] = id.names as [string];
    const images = await armCall(gallery, () => collect(this.client(id.subscriptionId).galleryImages.listByGallery(id.resourceGroup, gallery)));
    return images.map((image) => toImageDefinition(image, galleryId));
  }

  async listVersions(definitionId: string, options: { withReplication?: boolean } = {}): Promise<ImageVersion[]> {
    const id = expectArmId(definitionId, DEFINITION_TYPE);
    const [gallery, definition] = id.names as [string, string];
    const client = this.client(id.subscriptionId);
    const listed = await armCall(definition, () => collect(client.galleryImageVersions.listByGalleryImage(id.resourceGroup, gallery, definition)));
    // The list API has no $expand: replication status costs one read per version.
    const versions = options.withReplication
      ? await Promise.all(listed.map((v) => armCall(v.name, () => client.galleryImageVersions.get(id.resourceGroup, gallery, definition, v.name ?? '', { expand: 'ReplicationStatus' }))))
      : listed;
    const regions = await this.regionsForMapping();
    return versions.map((v) => toImageVersion(v, definitionId, regions));
  }

  async getVersion(versionId: string, options: { withReplication?: boolean } = {}): Promise<ImageVersion> {
    const version = await this.readVersion(versionId, options.withReplication ?? false);
    return toImageVersion(version, imageDefinitionIdOf(versionId), await this.regionsForMapping());
  }

  /**
   * A full PUT of the version with the new target regions, as the CLI sends it (gallery-image-version-create-update
   * recording: GET, edit, PUT, 200 Updating + Azure-AsyncOperation); the body is shaped in `versionPutBody` only.
   */
  async updateTargetRegions(versionId: string, regions: TargetRegion[]): Promise<ImageVersion> {
    const id = expectArmId(versionId, VERSION_TYPE);
    const [gallery, definition, version] = id.names as [string, string, string];
    const client = this.client(id.subscriptionId);
    const current = await this.readVersion(versionId, false);
    const updated = await runOperation({
      target: `${definition} ${version}`,
      start: () =>
        submitted(client.galleryImageVersions.createOrUpdate(id.resourceGroup, gallery, definition, version, versionPutBody(current, regions), lroOptions(this.connection))),
      // With the replication it started (no recording asks for $expand=ReplicationStatus: the spec example is the source).
      reread: () => client.galleryImageVersions.get(id.resourceGroup, gallery, definition, version, { expand: 'ReplicationStatus' }),
      stateOf: (v) => v.provisioningState,
      settle: this.connection.settle,
      // The update's LRO may last as long as the replication it starts; the tracker follows that.
      waitAtMostMs: this.connection.longOperationWaitMs,
      logger: this.logger,
    });
    const result = toImageVersion(updated, imageDefinitionIdOf(versionId), await this.regionsForMapping());
    const missing = regions.filter((r) => !result.targetRegions.some((t) => t.name === r.name.toLowerCase()));
    assertEffect(missing.length === 0, `${definition} ${version}`, `target regions not taken: ${missing.map((r) => r.name).join(', ')}`);
    return result;
  }

  private readVersion(versionId: string, withReplication: boolean): Promise<GalleryImageVersion> {
    const id = expectArmId(versionId, VERSION_TYPE);
    const [gallery, definition, version] = id.names as [string, string, string];
    return armCall(`${definition} ${version}`, () =>
      this.client(id.subscriptionId).galleryImageVersions.get(id.resourceGroup, gallery, definition, version, withReplication ? { expand: 'ReplicationStatus' } : {}),
    );
  }

  /** Without the locations list, display names still map by dropping spaces; that covers every public region. */
  private async regionsForMapping(): Promise<Region[]> {
    try {
      return await this.locations.listRegions();
    } catch (error) {
      this.logger?.warn({ err: error }, 'regions unavailable; mapping region display names by spelling');
      return [];
    }
  }

  private client(subscriptionId: string): ComputeManagementClient {
    let client = this.clients.get(subscriptionId);
    if (!client) {
      client = new ComputeManagementClient(this.connection.credential, subscriptionId, modularClientOptions(this.connection));
      this.clients.set(subscriptionId, client);
    }
    return client;
  }
}

/**
 * The body of a target-region update: the version as read, minus what the service owns (the serializer drops
 * read-only fields such as sizes and dates), with `storageProfile.source` left out as the CLI does (the recorded
 * PUT omitted it and was accepted) and the target regions replaced.
 */
function versionPutBody(current: GalleryImageVersion, wanted: TargetRegion[]): GalleryImageVersion {
  const profile = current.publishingProfile ?? {};
  const storageProfile = { ...current.storageProfile };
  delete storageProfile.source;
  return {
    location: current.location,
    tags: current.tags ?? {},
    publishingProfile: { ...profile, targetRegions: mergeTargetRegions(profile.targetRegions ?? [], wanted, profile.storageAccountType) },
    storageProfile,
    ...(current.safetyProfile ? { safetyProfile: current.safetyProfile } : {}),
    ...(current.securityProfile ? { securityProfile: current.securityProfile } : {}),
  };
}

/**
 * Regions by name (`westus2`, as requests name them; answers use display names). A region that stays keeps
 * what Azure knows of it beyond the count: a storage type other than the version's, its encryption.
 */
function mergeTargetRegions(current: ArmTargetRegion[], wanted: TargetRegion[], defaultStorage: string | undefined): ArmTargetRegion[] {
  return wanted.map((w) => {
    const existing = current.find((c) => regionName(c.name) === regionName(w.name));
    return {
      name: regionName(w.name),
      regionalReplicaCount: w.replicaCount,
      ...(existing?.storageAccountType && existing.storageAccountType !== defaultStorage ? { storageAccountType: existing.storageAccountType } : {}),
      ...(existing?.encryption ? { encryption: existing.encryption } : {}),
      ...(existing?.excludeFromLatest ? { excludeFromLatest: true } : {}),
      ...(existing?.additionalReplicaSets ? { additionalReplicaSets: existing.additionalReplicaSets } : {}),
    };
  });
}

function toRegionName(value: string, regions: readonly Region[]): string {
  return findRegionByDisplayName(regions, value)?.name ?? regionName(value);
}

function toGallery(gallery: ArmGallery): Gallery {
  const id = gallery.id ?? '';
  const parsed = parseArmId(id);
  return {
    id,
    name: gallery.name ?? '',
    resourceGroup: parsed?.resourceGroup ?? '',
    subscriptionId: parsed?.subscriptionId ?? '',
    location: regionName(gallery.location),
    description: gallery.description,
    provisioningState: gallery.provisioningState,
  };
}

function toImageDefinition(image: GalleryImage, galleryId: string): ImageDefinition {
  return {
    id: image.id ?? '',
    name: image.name ?? '',
    galleryId,
    osType: osTypeOf(image.osType),
    osState: osStateOf(image.osState),
    hyperVGeneration: image.hyperVGeneration,
    provisioningState: image.provisioningState,
  };
}

const aggregatedStates: readonly AggregatedReplicationState[] = ['Unknown', 'InProgress', 'Completed', 'Failed'];
const regionStates: readonly RegionReplicationState[] = ['Unknown', 'Replicating', 'Completed', 'Failed'];

function oneOf<T extends string>(allowed: readonly T[], value: string | undefined): T | undefined {
  return allowed.find((a) => a.toLowerCase() === value?.toLowerCase());
}

function toImageVersion(version: GalleryImageVersion, definitionId: string, regions: readonly Region[]): ImageVersion {
  const profile = version.publishingProfile;
  const storage = version.storageProfile;
  const status = version.replicationStatus;
  return {
    id: version.id ?? '',
    name: version.name ?? '',
    definitionId,
    targetRegions: (profile?.targetRegions ?? []).map((t) => ({
      name: toRegionName(t.name, regions),
      replicaCount: t.regionalReplicaCount ?? profile?.replicaCount ?? 1,
    })),
    publishedAt: profile?.publishedDate?.getTime(),
    osDiskSizeGB: storage?.osDiskImage?.sizeInGB,
    dataDiskCount: storage?.dataDiskImages?.length ?? 0,
    provisioningState: version.provisioningState,
    ...(status
      ? {
          replication: {
            aggregatedState: oneOf(aggregatedStates, status.aggregatedState) ?? 'Unknown',
            regions: (status.summary ?? []).map((s) => ({
              region: toRegionName(s.region ?? '', regions),
              state: oneOf(regionStates, s.state) ?? 'Unknown',
              progress: s.progress ?? 0,
              ...(s.details ? { details: s.details } : {}),
            })),
          },
        }
      : {}),
  };
}
