/**
 * emulator/state/: the emulated resources, one store per resource family, and simulated replication.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../ports/clock';
import { ArmError } from '../armError';
import { isResourceOfType, normalizeId } from '../armIds';
import { stringAt, type JsonObject } from '../json';
import { Prng } from '../prng';
import { regionsOfSameGeography, type GeographyScope } from '../regions';
import { GalleryStore, canonicalRegion, type NewGallery, type NewImageDefinition, type NewImageVersion, type ReplicaOverride, type ReplicationDefaults } from './galleryStore';
import { LabAccountStore, type NewLabAccount } from './labAccountStore';
import { LabPlanStore, type NewLabPlan } from './labPlanStore';
import { LabStore } from './labStore';
import type { GalleryRecord, ImageVersionRecord, LabAccountRecord, LabPlanRecord, OsState, OsType, ProvisioningState } from './records';
import type { Replica } from './replication';
import { ResourceGroupStore } from './resourceGroupStore';
import { RoleStore, type NewRoleAssignment } from './roleStore';
import { CallerPermissions, type CallerPrincipalOptions } from './callerPermissions';

export interface EmulatorStateOptions {
  subscriptionId: string;
  tenantId: string;
  clock: Clock;
  /** Seeds replication durations and fault rates. Default 1. */
  randomSeed?: number;
  /** Range of simulated replication time per region when none is given. Default 20–60 min. */
  replicationDurationMs?: ReplicationDefaults;
  /** What "same geography" means for lab accounts' automatic replication. Default `geography`. */
  geographyScope?: GeographyScope;
  // doctor / permissions
  /** Simulated time before a new assignment to the lab-plan Lab Services principal takes effect. Default 0. */
  rolePropagationMs?: number;
  /** The principal behind the emulator's token (the bot): ids and actions taken away from it. */
  caller?: CallerPrincipalOptions;
}

/** Builder inputs are the stores' own inputs. */
export type AddLabPlanInput = NewLabPlan;
export type AddLabAccountInput = NewLabAccount;
export type AddGalleryInput = NewGallery;
export type AddImageDefinitionInput = NewImageDefinition;
export type AddImageVersionInput = NewImageVersion;
export type AddRoleAssignmentInput = NewRoleAssignment;

export interface AddLabInput {
  /** Lab plan or lab account id. */
  hostId: string;
  name: string;
  /** Lab plan labs only; default the plan's resource group. */
  resourceGroup?: string;
  /** Default the host's region. */
  location?: string;
  title?: string;
  /** Plan labs: `imageReference.id`; account labs: the sharedImages item id. */
  imageId?: string;
  capacity?: number;
  provisioningState?: ProvisioningState;
}

/** What the admin endpoint takes: a new version (and definition if missing) as if a lab saved it. */
export interface PublishImageInput {
  galleryId: string;
  definition: string;
  version?: string;
  /** Explicit target regions; otherwise from the host (lab account: its whole geography; lab plan: its region) or the gallery. */
  regions?: string[];
  host?: string;
  osState?: OsState;
  osType?: OsType;
  osDiskSizeGB?: number;
  dataDiskSizesGB?: number[];
  replicationDurationsMs?: number | Record<string, number>;
  failRegions?: string[];
}

/**
 * The emulator's in-memory Azure. Builder methods (`add…`, `set…`) for tests and the demo seed
 * return canonical ARM ids; reads go to the stores (`labPlans`, `galleries`, `roles`, …), which hold
 * the rules the HTTP handlers share.
 */
export class EmulatorState {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly clock: Clock;
  readonly geographyScope: GeographyScope;
  readonly random: Prng;
  readonly resourceGroups: ResourceGroupStore;
  readonly galleries: GalleryStore;
  readonly roles: RoleStore;
  readonly labPlans: LabPlanStore;
  readonly labAccounts: LabAccountStore;
  readonly labs: LabStore;
  /** The bot's own permissions: what ARM's permissions API answers and what mutating requests are checked against. */
  readonly caller: CallerPermissions;

  constructor(options: EmulatorStateOptions) {
    this.subscriptionId = options.subscriptionId;
    this.tenantId = options.tenantId;
    this.clock = options.clock;
    this.geographyScope = options.geographyScope ?? 'geography';
    this.random = new Prng(options.randomSeed ?? 1);
    const now = (): number => this.clock.now();
    this.resourceGroups = new ResourceGroupStore(this.subscriptionId);
    this.galleries = new GalleryStore(this.subscriptionId, now, this.random, options.replicationDurationMs ?? { minMs: 20 * 60_000, maxMs: 60 * 60_000 });
    this.roles = new RoleStore(now, randomUUID);
    this.roles.rolePropagationMs = options.rolePropagationMs ?? 0;
    this.caller = new CallerPermissions(this.roles, options.caller);
    this.labPlans = new LabPlanStore(this.subscriptionId, now, this.galleries, this.roles);
    this.labAccounts = new LabAccountStore(this.subscriptionId, now, this.galleries, this.roles);
    this.labs = new LabStore(this.subscriptionId, now);
  }

  now(): number {
    return this.clock.now();
  }

  addResourceGroup(name: string, location = 'westus2'): string {
    return this.resourceGroups.add(name, canonicalRegion(location)).id;
  }

  addLabPlan(input: AddLabPlanInput): string {
    this.resourceGroups.add(input.resourceGroup, canonicalRegion(input.location));
    return this.labPlans.add(input).id;
  }

  addLabAccount(input: AddLabAccountInput): string {
    this.resourceGroups.add(input.resourceGroup, canonicalRegion(input.location));
    return this.labAccounts.add(input).id;
  }

  addLab(input: AddLabInput): string {
    const plan = this.labPlans.get(input.hostId);
    const account = plan ? undefined : this.labAccounts.require(input.hostId);
    const host = (plan ?? account) as LabPlanRecord | LabAccountRecord;
    const location = canonicalRegion(input.location ?? host.location);
    const title = input.title ?? input.name;
    const properties: JsonObject = plan
      ? {
          labPlanId: plan.id,
          title,
          state: 'Draft',
          virtualMachineProfile: {
            createOption: 'Image',
            imageReference: input.imageId ? { id: input.imageId } : {},
            sku: { name: 'Classic_Fsv2_2_4GB_128_S_SSD', capacity: input.capacity ?? 10 },
            usageQuota: 'PT10H',
            useSharedPassword: 'Disabled',
            adminUser: { username: 'labadmin' },
          },
        }
      : { title, maxUsersInLab: input.capacity ?? 10, usageQuota: 'PT10H', userAccessMode: 'Restricted' };
    const environmentSetting = account && input.imageId ? this.labAccounts.environmentSettingFor(account.id, input.imageId) : undefined;
    return this.labs.add({
      ...(environmentSetting ? { environmentSetting } : {}),
      hostId: host.id,
      hostKind: plan ? 'labPlan' : 'labAccount',
      name: input.name,
      resourceGroup: input.resourceGroup ?? host.resourceGroup,
      location,
      properties,
      ...(input.provisioningState ? { provisioningState: input.provisioningState } : {}),
    }).id;
  }

  addGallery(input: AddGalleryInput): string {
    this.resourceGroups.add(input.resourceGroup, canonicalRegion(input.location));
    return this.galleries.addGallery(input).id;
  }

  addImageDefinition(input: AddImageDefinitionInput): string {
    return this.galleries.addDefinition(input).id;
  }

  addImageVersion(input: AddImageVersionInput): string {
    return this.galleries.addVersion(input).id;
  }

  addRoleAssignment(input: AddRoleAssignmentInput): string {
    return this.roles.add(input).id;
  }

  setServicePrincipal(appId: string, objectId: string, displayName = 'Azure Lab Services'): void {
    this.roles.setServicePrincipal(appId, objectId, displayName);
  }

  addGroupMember(groupId: string, memberId: string): void {
    this.roles.addGroupMember(groupId, memberId);
  }

  setReplication(versionId: string, region: string, override: ReplicaOverride): Replica {
    return this.galleries.setReplication(versionId, region, override);
  }

  /** Creates the definition when missing and a new version, replicating as the host would have it. */
  publishImage(input: PublishImageInput): ImageVersionRecord {
    const gallery = this.galleries.requireGallery(input.galleryId);
    const definitionId = `${gallery.id}/images/${input.definition}`;
    const definition =
      this.galleries.definition(definitionId) ??
      this.galleries.addDefinition({
        galleryId: gallery.id,
        name: input.definition,
        osType: input.osType ?? 'Windows',
        osState: input.osState ?? (input.host ? 'Specialized' : 'Generalized'),
      });
    return this.galleries.addVersion({
      definitionId: definition.id,
      ...(input.version ? { name: input.version } : {}),
      targetRegions: input.regions ?? this.hostRegions(input.host, gallery),
      ...(input.osDiskSizeGB !== undefined ? { osDiskSizeGB: input.osDiskSizeGB } : {}),
      ...(input.dataDiskSizesGB ? { dataDiskSizesGB: input.dataDiskSizesGB } : {}),
      ...(input.replicationDurationsMs !== undefined ? { replicationDurationsMs: input.replicationDurationsMs } : {}),
      ...(input.failRegions ? { failRegions: input.failRegions } : {}),
    });
  }

  /** `saveImage` of a lab plan: a Specialized definition and version 1.0.0 in the plan's region. */
  saveLabPlanImage(planId: string, name: string, labVirtualMachineId: string): ImageVersionRecord {
    const plan = this.labPlans.require(planId);
    if (!plan.sharedGalleryId) throw new ArmError(400, 'NoSharedGalleryAttached', `Lab plan '${plan.name}' has no compute gallery attached to save images to.`);
    const definitionName = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'saved-image';
    const definitionId = `${plan.sharedGalleryId}/images/${definitionName}`;
    if (this.galleries.definition(definitionId)) throw new ArmError(409, 'Conflict', `An image named '${definitionName}' already exists in the attached gallery.`);
    this.galleries.addDefinition({
      galleryId: plan.sharedGalleryId,
      name: definitionName,
      osType: this.osTypeOfLabVm(labVirtualMachineId) ?? 'Windows',
      osState: 'Specialized',
      description: name,
    });
    return this.galleries.addVersion({ definitionId, name: '1.0.0', targetRegions: [plan.location], source: { virtualMachineId: labVirtualMachineId } });
  }

  private hostRegions(hostId: string | undefined, gallery: GalleryRecord): string[] {
    if (!hostId) return [gallery.location];
    const account = this.labAccounts.get(hostId);
    if (account) {
      const geography = regionsOfSameGeography(account.location, this.geographyScope).map((r) => r.name);
      return [gallery.location, ...geography.filter((r) => r !== gallery.location)];
    }
    const plan = this.labPlans.get(hostId);
    if (plan) return [plan.location];
    throw new ArmError(400, 'InvalidParameter', `Host '${hostId}' is neither a known lab plan nor a known lab account.`, 'host');
  }

  private osTypeOfLabVm(labVirtualMachineId: string): OsType | undefined {
    if (!isResourceOfType(labVirtualMachineId, 'Microsoft.LabServices', ['labs', 'virtualMachines'])) return undefined;
    const labId = normalizeId(labVirtualMachineId).replace(/\/virtualMachines\/[^/]+$/i, '');
    const imageId = stringAt(this.labs.get(labId)?.properties, 'virtualMachineProfile', 'imageReference', 'id');
    if (!imageId) return undefined;
    return (this.galleries.definition(imageId) ?? this.galleries.definition(imageId.replace(/\/versions\/[^/]+$/i, '')))?.osType;
  }
}
