import { LabServicesClient, type Image as PlanImage, type ImagesListByLabPlanOptionalParams, type Lab, type LabPlan } from '@azure/arm-labservices';
import type {
  CreateLabParams,
  HostImage,
  LabHost,
  LabHostGateway,
  LabSummary,
  SaveImageParams,
} from '../ports/labHostGateway';
import { classicClientOptions, lroOptions, type ArmConnection } from './armConnection';
import { armCall } from './armErrors';
import { expectArmId, isSameOrUnder, parseArmId, sameArmId } from '../kernel';
import { collect, isEnabled, osStateOf, osTypeOf, presentOrUndefined, regionName } from './mapping';
import { assertEffect, preferSignedPollUrlPolicy, runOperation, type AdapterLogger } from './operation';
import { RawArmClient } from './rawArm';

const PLAN_TYPE = 'Microsoft.LabServices/labPlans';
const API_VERSION = '2022-08-01';

/**
 * Lab plans through @azure/arm-labservices. Which id `imageReference.id` wants (definition or version)
 * is unconfirmed upstream: the guess lives in `labImageReferenceId` only; so is a PATCH of `sharedGalleryId`
 * (no recording sets it): that guess lives in `galleryPatch` only.
 * LROs as recorded: a plan PATCH answers 200 at once (the SDK poller also copes with the documented 202 variant);
 * createLab and saveImage poll the signed `Azure-AsyncOperation` URL; a failed one throws `operationFailed` with
 * Azure's code and message.
 */
export class ArmLabPlanGateway implements LabHostGateway {
  private readonly clients = new Map<string, LabServicesClient>();

  constructor(
    private readonly connection: ArmConnection,
    private readonly logger?: AdapterLogger,
  ) {}

  async getHost(hostId: string): Promise<LabHost> {
    const { client, rg, plan } = this.plan(hostId);
    return toLabHost(await armCall(plan, () => client.labPlans.get(rg, plan)));
  }

  async listHosts(): Promise<LabHost[]> {
    const client = this.client(this.connection.subscriptionId);
    const plans = await armCall(undefined, () => collect(client.labPlans.listBySubscription()));
    return plans.map(toLabHost);
  }

  async attachGallery(hostId: string, galleryId: string): Promise<LabHost> {
    const { client, rg, plan } = this.plan(hostId);
    const host = await this.operation(hostId, () => client.labPlans.beginUpdate(rg, plan, galleryPatch(galleryId), lroOptions(this.connection)));
    assertEffect(sameArmId(host.sharedGalleryId, galleryId), plan, 'gallery not attached after the update');
    return host;
  }

  async detachGallery(hostId: string): Promise<LabHost> {
    const { client, plan } = this.plan(hostId);
    // The SDK serializer drops `sharedGalleryId: null`, so the merge-patch goes out raw through the client's pipeline.
    const raw = new RawArmClient(client, this.connection.armEndpoint);
    const host = await this.operation(hostId, () => raw.send('PATCH', hostId, API_VERSION, { properties: galleryPatch(null) }));
    assertEffect(host.sharedGalleryId === undefined, plan, 'gallery still attached after the update');
    return host;
  }

  /**
   * The attached gallery's images only. A plan's `images` also lists the whole Marketplace (thousands, 200 a
   * page), which the bot never offers; the plan is read first for its gallery (none attached: nothing to list).
   */
  async listImages(hostId: string): Promise<HostImage[]> {
    const { client, rg, plan } = this.plan(hostId);
    const galleryId = (await this.getHost(hostId)).sharedGalleryId;
    if (!galleryId) return [];
    return armCall(plan, async () => {
      const kept: HostImage[] = [];
      for await (const image of client.images.listByLabPlan(rg, plan, galleryImagesQuery())) {
        if (isImageOfGallery(image, galleryId)) kept.push(toHostImage(image));
      }
      return kept;
    });
  }

  async setImageEnabled(hostId: string, imageName: string, enabled: boolean): Promise<HostImage> {
    const { client, rg, plan } = this.plan(hostId);
    // A synchronous 200, not an LRO: the answer is the updated image.
    const image = await armCall(imageName, () => client.images.update(rg, plan, imageName, { enabledState: enabled ? 'Enabled' : 'Disabled' }));
    return toHostImage(image);
  }

  async createLab(hostId: string, params: CreateLabParams): Promise<LabSummary> {
    const host = await this.getHost(hostId);
    const client = this.client(host.subscriptionId);
    const rg = params.resourceGroup ?? host.resourceGroup;
    const lab = await runOperation({
      target: params.name,
      start: () => client.labs.beginCreateOrUpdate(rg, params.name, labBody(host, params), lroOptions(this.connection)),
      reread: () => client.labs.get(rg, params.name),
      stateOf: (l) => l.provisioningState,
      settle: this.connection.settle,
      logger: this.logger,
    });
    return toLabSummary(lab);
  }

  async listLabs(hostId: string): Promise<LabSummary[]> {
    const { client, plan } = this.plan(hostId);
    // Labs may live in any resource group of the subscription; they point back at their plan.
    const labs = await armCall(plan, () => collect(client.labs.listBySubscription()));
    return labs.filter((l) => sameArmId(l.labPlanId, hostId)).map(toLabSummary);
  }

  async saveImage(hostId: string, params: SaveImageParams): Promise<HostImage | undefined> {
    const { client, rg, plan } = this.plan(hostId);
    const wanted = params.name.toLowerCase();
    const saved = await runOperation({
      target: params.name,
      start: () => client.labPlans.beginSaveImage(rg, plan, { name: params.name, labVirtualMachineId: params.labVirtualMachineId }, lroOptions(this.connection)),
      reread: async () => (await this.listImages(hostId)).find((i) => i.name.toLowerCase() === wanted || i.displayName.toLowerCase() === wanted),
      stateOf: (image) => image?.provisioningState,
      settle: this.connection.settle,
      logger: this.logger,
    });
    return saved;
  }

  private operation(hostId: string, start: () => Promise<unknown>): Promise<LabHost> {
    return runOperation({
      target: this.plan(hostId).plan,
      start,
      reread: () => this.getHost(hostId),
      stateOf: (h) => h.provisioningState,
      settle: this.connection.settle,
      logger: this.logger,
    });
  }

  private plan(hostId: string): { client: LabServicesClient; rg: string; plan: string } {
    const id = expectArmId(hostId, PLAN_TYPE);
    return { client: this.client(id.subscriptionId), rg: id.resourceGroup, plan: id.names[0] as string };
  }

  private client(subscriptionId: string): LabServicesClient {
    let client = this.clients.get(subscriptionId);
    if (!client) {
      client = new LabServicesClient(this.connection.credential, subscriptionId, classicClientOptions(this.connection));
      client.pipeline.addPolicy(preferSignedPollUrlPolicy());
      this.clients.set(subscriptionId, client);
    }
    return client;
  }
}

/**
 * The one guess about attaching and detaching: a merge-patch of `properties.sharedGalleryId` (a gallery id, or
 * null to detach). Recorded PATCHes of other properties answered 200 with the whole plan; none set this one.
 */
function galleryPatch(galleryId: string): { sharedGalleryId: string };
function galleryPatch(galleryId: null): { sharedGalleryId: null };
function galleryPatch(galleryId: string | null): { sharedGalleryId: string | null } {
  return { sharedGalleryId: galleryId };
}

/**
 * The one guess about narrowing a plan's image list on the server: none. Whether `$filter` works on
 * `Properties/SharedGalleryId` is unconfirmed (only `Properties/DisplayName eq '…'` is recorded, and a
 * Microsoft lab-plan sample script in Azure/azure-devtestlab notes that the SharedGalleryId filter "doesn't
 * work"; `eq` would also need each definition's id, not the gallery's), so every page is read and
 * `isImageOfGallery` keeps the gallery's images.
 */
function galleryImagesQuery(): ImagesListByLabPlanOptionalParams {
  return {};
}

/** A gallery image names its image definition in `sharedGalleryId`; Marketplace images have none. */
function isImageOfGallery(image: PlanImage, galleryId: string): boolean {
  return !!image.sharedGalleryId && !!galleryId && isSameOrUnder(image.sharedGalleryId, galleryId);
}

/** The one guess about `imageReference.id`: the image definition id, which Azure reads as "latest version". */
function labImageReferenceId(image: CreateLabParams['image']): string {
  return image.definitionId;
}

function labBody(host: LabHost, params: CreateLabParams): Lab {
  return {
    location: params.location ?? host.location,
    labPlanId: host.id,
    title: params.title ?? params.name,
    description: params.description,
    virtualMachineProfile: {
      createOption: 'Image',
      imageReference: { id: labImageReferenceId(params.image) },
      sku: { name: params.vmSize, capacity: params.capacity },
      usageQuota: `PT${params.usageQuotaHours}H`,
      adminUser: { username: params.adminUser.username, password: params.adminUser.password },
      useSharedPassword: params.useSharedPassword ? 'Enabled' : 'Disabled',
    },
    securityProfile: { openAccess: 'Disabled' },
    connectionProfile: { clientRdpAccess: 'Public', clientSshAccess: 'Public', webRdpAccess: 'None', webSshAccess: 'None' },
    autoShutdownProfile: {
      shutdownOnDisconnect: 'Enabled',
      shutdownWhenNotConnected: 'Enabled',
      shutdownOnIdle: 'LowUsage',
      disconnectDelay: 'PT15M',
      noConnectDelay: 'PT15M',
      idleDelay: 'PT15M',
    },
  };
}

function toLabHost(plan: LabPlan): LabHost {
  const id = plan.id ?? '';
  const parsed = parseArmId(id);
  return {
    id,
    name: plan.name ?? parsed?.resources[0]?.name ?? '',
    kind: 'labPlan',
    location: regionName(plan.location),
    resourceGroup: parsed?.resourceGroup ?? '',
    subscriptionId: parsed?.subscriptionId ?? '',
    sharedGalleryId: presentOrUndefined(plan.sharedGalleryId),
    provisioningState: plan.provisioningState,
  };
}

function toHostImage(image: PlanImage): HostImage {
  const name = image.name ?? '';
  return {
    id: image.id ?? '',
    name,
    displayName: image.displayName ?? name,
    enabled: isEnabled(image.enabledState),
    osType: osTypeOf(image.osType),
    osState: osStateOf(image.osState),
    availableRegions: image.availableRegions?.map(regionName),
    definitionId: image.sharedGalleryId ?? '',
    provisioningState: image.provisioningState,
  };
}

function toLabSummary(lab: Lab): LabSummary {
  return {
    id: lab.id ?? '',
    name: lab.name ?? '',
    title: lab.title,
    imageId: lab.virtualMachineProfile?.imageReference.id,
    provisioningState: lab.provisioningState,
  };
}
