import { armIds } from './armIds';
import { BUILT_IN_ROLES, LAB_SERVICES_APP_IDS } from './state/builtInRoles';
import type { EmulatorState } from './state/emulatorState';
import type { OsState, OsType } from './state/records';

export const DEFAULT_SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000001';

/** Names of the demo world's resources. */
export const DEMO_NAMES = {
  resourceGroup: 'rg-labs',
  labPlan: 'physics-plan',
  labPlanLocation: 'westus2',
  labAccount: 'chemistry-account',
  labAccountLocation: 'westeurope',
  physicsGallery: 'physics_gallery',
  sharedImagesGallery: 'shared_images',
  planLabs: ['mechanics-101', 'optics-201'],
  accountLabs: ['organic-chem-1', 'titration-basics'],
  /** A gallery no lab host uses, in its own resource group: for conversations bound to a gallery alone. */
  campusResourceGroup: 'rg-images',
  campusGallery: 'campus_images',
  campusGalleryLocation: 'francecentral',
  /** Definition in `shared_images` whose version 1.1.0 is still replicating when the demo starts. */
  replicatingImage: 'ubuntu-2204',
  replicatingVersion: '1.1.0',
} as const;

/** Object ids given to the Lab Services first-party apps in the demo tenant (Graph answers them). */
export const DEMO_SERVICE_PRINCIPALS = {
  labPlan: { appId: LAB_SERVICES_APP_IDS.labPlan, objectId: '5f1e2d3c-4b5a-4697-8a1b-0000c7bb12bf', displayName: 'Azure Lab Services' },
  labAccount: { appId: LAB_SERVICES_APP_IDS.labAccount, objectId: '6a2f3e4d-5c6b-47a8-9b2c-00001a14be2a', displayName: 'Azure Lab Services (classic)' },
} as const;

/**
 * Entra object ids the Microsoft 365 Agents Playground puts in `from.aadObjectId`: `currentUser` is its
 * default user (Alex Wilber); `teacher` stands for a second user and is an assumption (unconfirmed).
 */
export const PLAYGROUND_USERS = {
  currentUser: '00000000-0000-0000-0000-0000000000020',
  teacher: '00000000-0000-0000-0000-0000000000021',
} as const;

export function demoIds(subscriptionId: string = DEFAULT_SUBSCRIPTION_ID) {
  const rg = DEMO_NAMES.resourceGroup;
  const physicsGalleryId = armIds.gallery(subscriptionId, rg, DEMO_NAMES.physicsGallery);
  const sharedImagesGalleryId = armIds.gallery(subscriptionId, rg, DEMO_NAMES.sharedImagesGallery);
  const labAccountId = armIds.labAccount(subscriptionId, rg, DEMO_NAMES.labAccount);
  const campusGalleryId = armIds.gallery(subscriptionId, DEMO_NAMES.campusResourceGroup, DEMO_NAMES.campusGallery);
  return {
    subscriptionId,
    resourceGroupId: armIds.resourceGroup(subscriptionId, rg),
    labPlanId: armIds.labPlan(subscriptionId, rg, DEMO_NAMES.labPlan),
    labAccountId,
    physicsGalleryId,
    sharedImagesGalleryId,
    campusGalleryId,
    planLabIds: DEMO_NAMES.planLabs.map((name) => armIds.lab(subscriptionId, rg, name)),
    accountLabIds: DEMO_NAMES.accountLabs.map((name) => armIds.accountLab(labAccountId, name)),
    replicatingVersionId: armIds.imageVersion(armIds.imageDefinition(sharedImagesGalleryId, DEMO_NAMES.replicatingImage), DEMO_NAMES.replicatingVersion),
  };
}

export type DemoIds = ReturnType<typeof demoIds>;

/** Ids of the demo world in the default subscription. */
export const DEMO_IDS: DemoIds = demoIds();

export interface DemoSeedOptions {
  /** Get Owner on both lab hosts (lab admins) and on `campus_images`. */
  ownerPrincipalIds: string[];
  /** Get Lab Creator on both lab hosts, and Reader on `campus_images` (a member there). */
  teacherPrincipalIds: string[];
  /** Adds `campus_images`, the gallery no lab host uses (the demo's gallery-only channel). Default false. */
  campusGallery?: boolean;
}

interface DemoImage {
  name: string;
  osType: OsType;
  osState: OsState;
  description: string;
  regions: string[];
  osDiskSizeGB?: number;
  dataDiskSizesGB?: number[];
}

const PHYSICS_IMAGES: readonly (DemoImage & { enabled: boolean })[] = [
  { name: 'physics-win11', osType: 'Windows', osState: 'Generalized', description: 'Windows 11 with LabVIEW', regions: ['westus2', 'eastus'], enabled: true },
  { name: 'physics-ubuntu', osType: 'Linux', osState: 'Generalized', description: 'Ubuntu 22.04 with ROOT', regions: ['westus2'], enabled: true },
  { name: 'optics-sim', osType: 'Windows', osState: 'Specialized', description: 'Optics simulation (saved from a lab)', regions: ['westus2'], enabled: false },
  { name: 'quantum-gpu', osType: 'Linux', osState: 'Generalized', description: 'Quantum computing toolkit (GPU)', regions: ['eastus'], enabled: false },
];

const SHARED_IMAGES: readonly DemoImage[] = [
  { name: 'win11-office', osType: 'Windows', osState: 'Generalized', description: 'Windows 11 with Office', regions: ['westeurope', 'northeurope'] },
  { name: 'win10-chemistry', osType: 'Windows', osState: 'Specialized', description: 'Windows 10 with ChemDraw', regions: ['westeurope'] },
  { name: 'ubuntu-2204', osType: 'Linux', osState: 'Generalized', description: 'Ubuntu 22.04 LTS', regions: ['westeurope', 'northeurope'] },
  { name: 'rhel-9', osType: 'Linux', osState: 'Generalized', description: 'Red Hat Enterprise Linux 9', regions: ['westeurope'] },
  { name: 'matlab-r2024', osType: 'Windows', osState: 'Generalized', description: 'MATLAB R2024 (128 GB OS disk)', regions: ['westeurope'], osDiskSizeGB: 128 },
  { name: 'data-science-vm', osType: 'Linux', osState: 'Specialized', description: 'Data science VM (with a data disk)', regions: ['westeurope'], dataDiskSizesGB: [256] },
  { name: 'autocad-2025', osType: 'Windows', osState: 'Specialized', description: 'AutoCAD 2025', regions: ['westeurope'] },
  { name: 'kali-linux', osType: 'Linux', osState: 'Specialized', description: 'Kali Linux for the security course', regions: ['westeurope'] },
  { name: 'windows-server-2022', osType: 'Windows', osState: 'Generalized', description: 'Windows Server 2022', regions: ['westeurope', 'northeurope'] },
];

/** `campus_images`: images kept after the move away from Lab Services, each in its home region only. */
const CAMPUS_IMAGES: readonly DemoImage[] = [
  { name: 'win11-campus', osType: 'Windows', osState: 'Generalized', description: 'Windows 11 campus desktop', regions: ['francecentral'], osDiskSizeGB: 127 },
  { name: 'ubuntu-campus', osType: 'Linux', osState: 'Generalized', description: 'Ubuntu 24.04 campus image', regions: ['francecentral'], osDiskSizeGB: 30 },
  { name: 'cad-workstation', osType: 'Windows', osState: 'Specialized', description: 'CAD workstation (saved from a lab)', regions: ['francecentral'], osDiskSizeGB: 256 },
];

const DAY_MS = 24 * 60 * 60_000;

/** Marketplace images enabled on the demo's lab plan when the emulator has a catalogue (see marketplaceCatalogue). */
const DEMO_MARKETPLACE_ENABLED = ['canonical.0001-com-ubuntu-server-focal.20_04-lts', 'microsoftwindowsdesktop.windows-11.win11-23h2-pro'];

/**
 * The demo world: a lab plan (westus2) with `physics_gallery` attached, a lab account (westeurope)
 * with nothing attached, the `shared_images` gallery ready to attach, one version still replicating, and
 * `campus_images` (francecentral, its own resource group) that no lab host uses.
 */
export function seedDemo(state: EmulatorState, options: DemoSeedOptions): DemoIds {
  const ids = demoIds(state.subscriptionId);
  const now = state.now();
  const rg = DEMO_NAMES.resourceGroup;
  state.addResourceGroup(rg, DEMO_NAMES.labPlanLocation);
  for (const sp of Object.values(DEMO_SERVICE_PRINCIPALS)) state.setServicePrincipal(sp.appId, sp.objectId, sp.displayName);

  state.addGallery({ resourceGroup: rg, name: DEMO_NAMES.physicsGallery, location: DEMO_NAMES.labPlanLocation, description: 'Images for the physics department' });
  state.addGallery({ resourceGroup: rg, name: DEMO_NAMES.sharedImagesGallery, location: DEMO_NAMES.labAccountLocation, description: 'Images shared by every department' });
  for (const image of PHYSICS_IMAGES) addImage(state, ids.physicsGalleryId, image, now - 7 * DAY_MS);
  for (const image of SHARED_IMAGES) addImage(state, ids.sharedImagesGalleryId, image, now - 30 * DAY_MS);
  state.addImageVersion({
    definitionId: armIds.imageDefinition(ids.sharedImagesGalleryId, DEMO_NAMES.replicatingImage),
    name: DEMO_NAMES.replicatingVersion,
    targetRegions: ['westeurope', 'northeurope'],
    replicationDurationsMs: { westeurope: 10 * 60_000, northeurope: 25 * 60_000 },
    startedAt: now,
  });

  // The lab plan principal needs Owner on the gallery before the plan can have it attached.
  state.addRoleAssignment({ scope: ids.physicsGalleryId, roleDefinitionGuid: BUILT_IN_ROLES.owner.guid, principalId: DEMO_SERVICE_PRINCIPALS.labPlan.objectId, principalType: 'ServicePrincipal' });
  state.addLabPlan({ resourceGroup: rg, name: DEMO_NAMES.labPlan, location: DEMO_NAMES.labPlanLocation, sharedGalleryId: ids.physicsGalleryId });
  for (const image of PHYSICS_IMAGES) if (image.enabled) state.labPlans.setImageEnabled(ids.labPlanId, image.name, 'Enabled');
  // With a Marketplace catalogue, the plan has some of it enabled too, as real plans do: the bot must not count them.
  for (const name of DEMO_MARKETPLACE_ENABLED) if (state.labPlans.marketplaceImage(name)) state.labPlans.setPlanImageEnabled(ids.labPlanId, name, 'Enabled');
  state.addLabAccount({ resourceGroup: rg, name: DEMO_NAMES.labAccount, location: DEMO_NAMES.labAccountLocation });

  const [mechanics = '', optics = ''] = DEMO_NAMES.planLabs;
  state.addLab({ hostId: ids.labPlanId, name: mechanics, title: 'Mechanics 101', imageId: armIds.imageDefinition(ids.physicsGalleryId, 'physics-win11'), capacity: 30 });
  state.addLab({ hostId: ids.labPlanId, name: optics, title: 'Optics 201', imageId: armIds.imageDefinition(ids.physicsGalleryId, 'optics-sim'), capacity: 12 });
  for (const name of DEMO_NAMES.accountLabs) state.addLab({ hostId: ids.labAccountId, name, capacity: 20 });

  if (options.campusGallery) seedCampusGallery(state, ids, options);

  for (const hostId of [ids.labPlanId, ids.labAccountId]) {
    for (const principalId of options.ownerPrincipalIds) state.addRoleAssignment({ scope: hostId, roleDefinitionGuid: BUILT_IN_ROLES.owner.guid, principalId, principalType: 'User' });
    for (const principalId of options.teacherPrincipalIds) state.addRoleAssignment({ scope: hostId, roleDefinitionGuid: BUILT_IN_ROLES.labCreator.guid, principalId, principalType: 'User' });
  }
  return ids;
}

/** A gallery reachable without any lab host; roles on its own scope make its admins (Owner) and members (Reader). */
function seedCampusGallery(state: EmulatorState, ids: DemoIds, options: DemoSeedOptions): void {
  state.addGallery({ resourceGroup: DEMO_NAMES.campusResourceGroup, name: DEMO_NAMES.campusGallery, location: DEMO_NAMES.campusGalleryLocation, description: 'Campus images, kept beyond Lab Services' });
  for (const image of CAMPUS_IMAGES) addImage(state, ids.campusGalleryId, image, state.now() - 3 * DAY_MS);
  for (const principalId of options.ownerPrincipalIds) state.addRoleAssignment({ scope: ids.campusGalleryId, roleDefinitionGuid: BUILT_IN_ROLES.owner.guid, principalId, principalType: 'User' });
  for (const principalId of options.teacherPrincipalIds) state.addRoleAssignment({ scope: ids.campusGalleryId, roleDefinitionGuid: BUILT_IN_ROLES.reader.guid, principalId, principalType: 'User' });
}

function addImage(state: EmulatorState, galleryId: string, image: DemoImage, publishedAt: number): void {
  const definitionId = state.addImageDefinition({ galleryId, name: image.name, osType: image.osType, osState: image.osState, description: image.description, publisher: 'Contoso', offer: image.name, sku: '1' });
  state.addImageVersion({
    definitionId,
    name: '1.0.0',
    targetRegions: image.regions,
    replicationDurationsMs: 30 * 60_000,
    startedAt: publishedAt,
    ...(image.osDiskSizeGB !== undefined ? { osDiskSizeGB: image.osDiskSizeGB } : {}),
    ...(image.dataDiskSizesGB ? { dataDiskSizesGB: image.dataDiskSizesGB } : {}),
  });
}

/** The demo lab plan lists a Marketplace catalogue of Azure's size (thousands) besides its gallery's images. */
export const DEMO_MARKETPLACE_IMAGES = 3000;
