import { ArmError, invalidParameter, parentResourceNotFound, resourceNotFound } from '../armError';
import { armIds, lastSegment, parseResourceId, sameId } from '../armIds';
import type { Prng } from '../prng';
import { findPhysicalRegion } from '../regions';
import type { GalleryRecord, ImageDefinitionRecord, ImageVersionRecord, OsState, OsType, TargetRegionRecord } from './records';
import { replicaState, replicationStatus, type Replica, type ReplicationStatus } from './replication';
import { ResourceTable, inResourceGroup } from './resourceTable';

export interface NewGallery {
  resourceGroup: string;
  name: string;
  location: string;
  description?: string;
}

export interface NewImageDefinition {
  galleryId: string;
  name: string;
  osType: OsType;
  osState: OsState;
  hyperVGeneration?: 'V1' | 'V2';
  publisher?: string;
  offer?: string;
  sku?: string;
  description?: string;
}

export interface TargetRegionInput {
  name: string;
  regionalReplicaCount?: number;
  storageAccountType?: string;
}

export interface NewImageVersion {
  definitionId: string;
  /** Defaults to the next patch version after the definition's highest (1.0.0 first). */
  name?: string;
  /** Region names or display names; defaults to the gallery's region. */
  targetRegions?: (string | TargetRegionInput)[];
  /** The version's replica count, inherited by target regions given without one. Default 1. */
  replicaCount?: number;
  osDiskSizeGB?: number;
  dataDiskSizesGB?: number[];
  /** Per-region replication time (simulated ms): one number for all, or by region name; else random within the defaults. */
  replicationDurationsMs?: number | Record<string, number>;
  /** Regions whose replication fails (half way through). */
  failRegions?: string[];
  /** When replication started (simulated ms); default now. */
  startedAt?: number;
  publishedDate?: number;
  source?: { id?: string; virtualMachineId?: string };
  excludeFromLatest?: boolean;
}

export interface ReplicationDefaults {
  minMs: number;
  maxMs: number;
}

export interface ReplicaOverride {
  durationMs?: number;
  /** Details of the failure, `true` for a default text, `false` to clear it. */
  fail?: boolean | string;
  /** Start over from now. */
  restart?: boolean;
}

/** Azure's naming rule for galleries (stricter than the REST spec's pattern, which lets hyphens through). */
const GALLERY_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.]{0,78}[A-Za-z0-9])?$/;
const DEFINITION_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9])?$/;
const VERSION_NAME = /^\d{1,9}\.\d{1,9}\.\d{1,9}$/;

/** Compute galleries, their image definitions and versions, with simulated replication. */
export class GalleryStore {
  private readonly galleries = new ResourceTable<GalleryRecord>((id) => resourceNotFound('Microsoft.Compute/galleries', lastSegment(id)));
  private readonly definitions = new ResourceTable<ImageDefinitionRecord>((id) => resourceNotFound('Microsoft.Compute/galleries/images', `${galleryNameOf(id)}/${lastSegment(id)}`));
  private readonly versions = new ResourceTable<ImageVersionRecord>((id) => resourceNotFound('Microsoft.Compute/galleries/images/versions', lastSegment(id)));
  /** Region failures on demand: the next replications to a region (of any version) fail, this many times. */
  private readonly pendingFailures = new Map<string, number>();

  constructor(
    private readonly subscriptionId: string,
    private readonly now: () => number,
    private readonly prng: Prng,
    private readonly replicationDefaults: ReplicationDefaults,
  ) {}

  addGallery(input: NewGallery): GalleryRecord {
    validateGalleryName(input.name);
    return this.galleries.add({
      id: armIds.gallery(this.subscriptionId, input.resourceGroup, input.name),
      name: input.name,
      resourceGroup: input.resourceGroup,
      location: canonicalRegion(input.location),
      ...(input.description !== undefined ? { description: input.description } : {}),
      provisioningState: 'Succeeded',
    });
  }

  gallery(id: string): GalleryRecord | undefined {
    return this.galleries.get(id);
  }

  requireGallery(id: string): GalleryRecord {
    return this.galleries.require(id);
  }

  listGalleries(resourceGroup?: string): GalleryRecord[] {
    return this.galleries.list(inResourceGroup(resourceGroup));
  }

  deleteGallery(id: string): boolean {
    if (this.listDefinitions(id).length > 0) {
      throw new ArmError(409, 'CannotDeleteResource', `Can not delete resource before nested resources are deleted.`);
    }
    return this.galleries.delete(id);
  }

  addDefinition(input: NewImageDefinition): ImageDefinitionRecord {
    const gallery = this.gallery(input.galleryId);
    if (!gallery) throw parentResourceNotFound('Microsoft.Compute/galleries', lastSegment(input.galleryId));
    if (!DEFINITION_NAME.test(input.name)) {
      throw invalidParameter(`The gallery image name '${input.name}' is invalid: use letters, digits, '.', '-' and '_', starting and ending with a letter or digit, up to 80 characters.`, 'galleryImageName');
    }
    return this.definitions.add({
      id: armIds.imageDefinition(gallery.id, input.name),
      name: input.name,
      galleryId: gallery.id,
      location: gallery.location,
      osType: input.osType,
      osState: input.osState,
      hyperVGeneration: input.hyperVGeneration ?? 'V2',
      identifier: { publisher: input.publisher ?? 'LabGallery', offer: input.offer ?? input.name, sku: input.sku ?? '1' },
      ...(input.description !== undefined ? { description: input.description } : {}),
      provisioningState: 'Succeeded',
    });
  }

  definition(id: string): ImageDefinitionRecord | undefined {
    return this.definitions.get(id);
  }

  requireDefinition(id: string): ImageDefinitionRecord {
    return this.definitions.require(id);
  }

  listDefinitions(galleryId: string): ImageDefinitionRecord[] {
    return this.definitions.list((d) => sameId(d.galleryId, galleryId));
  }

  deleteDefinition(id: string): boolean {
    if (this.listVersions(id).length > 0) {
      throw new ArmError(409, 'CannotDeleteResource', `Can not delete resource before nested resources are deleted.`);
    }
    return this.definitions.delete(id);
  }

  addVersion(input: NewImageVersion): ImageVersionRecord {
    const definition = this.definition(input.definitionId);
    if (!definition) throw parentResourceNotFound('Microsoft.Compute/galleries/images', lastSegment(input.definitionId));
    const name = input.name ?? this.nextVersionName(definition.id);
    if (!VERSION_NAME.test(name)) {
      throw invalidParameter(`The gallery image version name '${name}' is invalid: it must follow the Major.Minor.Patch format of 32-bit integers.`, 'galleryImageVersionName');
    }
    const id = armIds.imageVersion(definition.id, name);
    const startedAt = input.startedAt ?? this.now();
    const replicaCount = input.replicaCount ?? 1;
    const targets = (input.targetRegions ?? [definition.location]).map((t) => toTargetRegion(t, replicaCount));
    const record: ImageVersionRecord = {
      id,
      name,
      definitionId: definition.id,
      location: definition.location,
      targetRegions: dedupeTargets(targets),
      ...(input.replicaCount !== undefined ? { replicaCount } : {}),
      replicas: [],
      publishedDate: input.publishedDate ?? startedAt,
      osDiskSizeGB: input.osDiskSizeGB ?? (definition.osType === 'Windows' ? 127 : 30),
      dataDisks: (input.dataDiskSizesGB ?? []).map((sizeInGB, lun) => ({ lun, sizeInGB })),
      ...(input.source ? { source: input.source } : {}),
      excludeFromLatest: input.excludeFromLatest ?? false,
      provisioningState: 'Succeeded',
    };
    const fails = new Set((input.failRegions ?? []).map(canonicalRegion));
    record.replicas = record.targetRegions.map((t) =>
      this.newReplica(t.region, startedAt, durationFor(input.replicationDurationsMs, t.region), fails.has(t.region) || this.takeFailure(t.region)),
    );
    return this.versions.add(record);
  }

  version(id: string): ImageVersionRecord | undefined {
    return this.versions.get(id);
  }

  requireVersion(id: string): ImageVersionRecord {
    return this.versions.require(id);
  }

  listVersions(definitionId: string): ImageVersionRecord[] {
    return this.versions.list((v) => sameId(v.definitionId, definitionId));
  }

  deleteVersion(id: string): boolean {
    return this.versions.delete(id);
  }

  /**
   * Replaces the target regions (and the version's replica count when given): new regions start replicating now,
   * kept ones keep their progress; a region without a count inherits the version's (recorded: East US 2 → 2).
   */
  setTargetRegions(versionId: string, targets: (string | TargetRegionInput)[], replicaCount?: number): ImageVersionRecord {
    const version = this.requireVersion(versionId);
    if (replicaCount !== undefined) version.replicaCount = replicaCount;
    const next = dedupeTargets(targets.map((t) => toTargetRegion(t, version.replicaCount ?? 1)));
    const now = this.now();
    version.replicas = next.map((t) => version.replicas.find((r) => r.region === t.region) ?? this.newReplica(t.region, now, undefined, this.takeFailure(t.region)));
    version.targetRegions = next;
    return version;
  }

  /** Test and demo control over one region's replication. */
  setReplication(versionId: string, region: string, override: ReplicaOverride): Replica {
    const version = this.requireVersion(versionId);
    const name = canonicalRegion(region);
    const replica = version.replicas.find((r) => r.region === name);
    if (!replica) throw invalidParameter(`Version '${version.name}' does not target region '${region}'.`);
    if (override.durationMs !== undefined) replica.durationMs = override.durationMs;
    if (override.restart) replica.startedAt = this.now();
    if (override.fail === false) delete replica.failure;
    else if (override.fail !== undefined) replica.failure = typeof override.fail === 'string' ? override.fail : `Replication to region '${name}' failed.`;
    return replica;
  }

  /**
   * Demo and test control: the next `times` replications started to this region (a new version, or a region added
   * to a version's targets) fail half way through. A retry after that replicates normally.
   */
  failNextReplications(region: string, times = 1): void {
    const name = canonicalRegion(region);
    if (times <= 0) this.pendingFailures.delete(name);
    else this.pendingFailures.set(name, times);
  }

  private takeFailure(region: string): boolean {
    const left = this.pendingFailures.get(region) ?? 0;
    if (left <= 0) return false;
    if (left === 1) this.pendingFailures.delete(region);
    else this.pendingFailures.set(region, left - 1);
    return true;
  }

  replicationStatus(versionId: string): ReplicationStatus {
    return replicationStatus(this.requireVersion(versionId).replicas, this.now());
  }

  /** Canonical names of the regions where some version of the definition has a completed replica. */
  availableRegions(definitionId: string): string[] {
    const now = this.now();
    const regions = new Set<string>();
    for (const version of this.listVersions(definitionId)) {
      for (const replica of version.replicas) if (replicaState(replica, now) === 'Completed') regions.add(replica.region);
    }
    return [...regions].sort();
  }

  nextVersionName(definitionId: string): string {
    const highest = this.listVersions(definitionId)
      .map((v) => v.name.split('.').map(Number))
      .sort((a, b) => compareVersions(b, a))[0];
    if (!highest) return '1.0.0';
    const [major = 1, minor = 0, patch = 0] = highest;
    return `${major}.${minor}.${patch + 1}`;
  }

  private newReplica(region: string, startedAt: number, durationMs: number | undefined, fails: boolean): Replica {
    const { minMs, maxMs } = this.replicationDefaults;
    return {
      region,
      startedAt,
      durationMs: durationMs ?? this.prng.between(minMs, Math.max(minMs, maxMs)),
      ...(fails ? { failure: `Replication to region '${region}' failed: the operation could not be completed.` } : {}),
    };
  }
}

function validateGalleryName(name: string): void {
  if (!GALLERY_NAME.test(name)) {
    throw invalidParameter(
      `The gallery name '${name}' is invalid: use letters, digits, '_' and '.', 1 to 80 characters, starting and ending with a letter or digit.`,
      'galleryName',
    );
  }
}

/** Canonical region name from a name or display name; 400 for an unknown region. */
export function canonicalRegion(nameOrDisplayName: string): string {
  const region = findPhysicalRegion(nameOrDisplayName);
  if (!region) throw invalidParameter(`The location '${nameOrDisplayName}' is not a known Azure region.`, 'location');
  return region.name;
}

function toTargetRegion(input: string | TargetRegionInput, inheritedCount: number): TargetRegionRecord {
  const target = typeof input === 'string' ? { name: input } : input;
  return {
    region: canonicalRegion(target.name),
    regionalReplicaCount: target.regionalReplicaCount ?? inheritedCount,
    storageAccountType: target.storageAccountType ?? 'Standard_LRS',
  };
}

function dedupeTargets(targets: TargetRegionRecord[]): TargetRegionRecord[] {
  if (targets.length === 0) throw invalidParameter('At least one target region is required.', 'properties.publishingProfile.targetRegions');
  const seen = new Set<string>();
  return targets.filter((t) => (seen.has(t.region) ? false : (seen.add(t.region), true)));
}

function durationFor(durations: NewImageVersion['replicationDurationsMs'], region: string): number | undefined {
  if (typeof durations === 'number') return durations;
  if (!durations) return undefined;
  const entry = Object.entries(durations).find(([name]) => findPhysicalRegion(name)?.name === region);
  return entry?.[1];
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function galleryNameOf(definitionId: string): string {
  return parseResourceId(definitionId)?.resources[0]?.[1] ?? '';
}
