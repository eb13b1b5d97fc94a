import { ServiceClient } from '@azure/core-client';
import {
  UnsupportedHostOperationError,
  type CreateLabParams,
  type HostImage,
  type LabHost,
  type LabHostGateway,
  type LabSummary,
} from '../ports/labHostGateway';
import { additionalPoliciesOf, type ArmConnection } from './armConnection';
import { armCall, isAzureError } from './armErrors';
import { childIdOf, expectArmId, lastSegment, parseArmId, sameArmId } from '../kernel';
import { osStateOf, osTypeOf, presentOrUndefined, regionName } from './mapping';
import { assertEffect, runOperation, type AdapterLogger } from './operation';
import { RawArmClient } from './rawArm';

const ACCOUNT_TYPE = 'Microsoft.LabServices/labaccounts';
/** The stable API for the lab account and its labs; the gallery features exist only in the preview. */
const ACCOUNT_API = '2018-10-15';
const GALLERY_API = '2019-01-01-preview';

interface ArmResource<P> {
  id?: string;
  name?: string;
  location?: string;
  properties?: P;
}
type LabAccountResource = ArmResource<{ provisioningState?: string }>;
type SharedGalleryResource = ArmResource<{ galleryId?: string; provisioningState?: string }>;
type SharedImageResource = ArmResource<Record<string, unknown>>;
type AccountLabResource = ArmResource<Record<string, unknown>>;
type EnvironmentSettingResource = ArmResource<{ resourceSettings?: Record<string, unknown>; provisioningState?: string }>;

/** Labs whose environment settings are read at once when listing an account's labs. */
const LAB_READ_CONCURRENCY = 4;

/** Classic lab accounts: no SDK covers their gallery features, so these are raw ARM calls. */
export class ArmLabAccountGateway implements LabHostGateway {
  private readonly raw: RawArmClient;

  constructor(
    private readonly connection: ArmConnection,
    private readonly logger?: AdapterLogger,
  ) {
    const client = new ServiceClient({
      endpoint: connection.armEndpoint,
      credential: connection.credential,
      credentialScopes: connection.armScopes,
      ...(connection.httpClient ? { httpClient: connection.httpClient } : {}),
      ...(connection.retryOptions ? { retryOptions: connection.retryOptions } : {}),
      ...additionalPoliciesOf(connection),
    });
    this.raw = new RawArmClient(client, connection.armEndpoint);
  }

  async getHost(hostId: string): Promise<LabHost> {
    const name = accountName(hostId);
    const [account, galleries] = await armCall(name, () =>
      Promise.all([this.raw.send<LabAccountResource>('GET', hostId, ACCOUNT_API), this.sharedGalleries(hostId)]),
    );
    return toLabHost(account ?? {}, galleries);
  }

  async listHosts(): Promise<LabHost[]> {
    const path = `/subscriptions/${this.connection.subscriptionId}/providers/Microsoft.LabServices/labaccounts`;
    return armCall(undefined, async () => {
      const accounts = await this.raw.listAll<LabAccountResource>(path, ACCOUNT_API);
      // One extra read per account for its attached gallery; subscriptions hold few (retiring) lab accounts.
      return Promise.all(accounts.map(async (a) => toLabHost(a, a.id ? await this.sharedGalleries(a.id) : [])));
    });
  }

  async attachGallery(hostId: string, galleryId: string): Promise<LabHost> {
    const target = accountName(hostId);
    const path = childIdOf(hostId, 'sharedGalleries', lastSegment(galleryId));
    await runOperation({
      target,
      start: () => this.raw.send('PUT', path, GALLERY_API, { properties: { galleryId } }),
      reread: () => this.raw.send<SharedGalleryResource>('GET', path, GALLERY_API),
      stateOf: (g) => g?.properties?.provisioningState,
      settle: this.connection.settle,
      logger: this.logger,
    });
    const host = await this.getHost(hostId);
    assertEffect(sameArmId(host.sharedGalleryId, galleryId), target, 'gallery not attached after the update');
    return host;
  }

  async detachGallery(hostId: string): Promise<LabHost> {
    const target = accountName(hostId);
    const attached = await armCall(target, () => this.sharedGalleries(hostId));
    if (attached.length === 0) return this.getHost(hostId);
    await runOperation({
      target,
      start: () => Promise.all(attached.map((g) => this.deleteIfPresent(childIdOf(hostId, 'sharedGalleries', g.name ?? lastSegment(g.id ?? ''))))),
      reread: () => this.sharedGalleries(hostId),
      // Still listed means the delete has not gone through yet, unless the service says it failed.
      stateOf: (left) => (left.length === 0 ? undefined : left[0]?.properties?.provisioningState === 'Failed' ? 'Failed' : 'Deleting'),
      settle: this.connection.settle,
      logger: this.logger,
    });
    const host = await this.getHost(hostId);
    assertEffect(host.sharedGalleryId === undefined, target, 'gallery still attached after the delete');
    return host;
  }

  async listImages(hostId: string): Promise<HostImage[]> {
    const images = await armCall(accountName(hostId), () => this.raw.listAll<SharedImageResource>(`${trimSlash(hostId)}/sharedImages`, GALLERY_API));
    return images.map(toHostImage);
  }

  async setImageEnabled(hostId: string, imageName: string, enabled: boolean): Promise<HostImage> {
    const path = childIdOf(hostId, 'sharedImages', imageName);
    const current = await armCall(imageName, () => this.raw.send<SharedImageResource>('GET', path, GALLERY_API));
    const properties = { ...(current?.properties ?? {}) };
    delete properties.provisioningState;
    properties[enableStateKey(properties)] = enabled ? 'Enabled' : 'Disabled';
    const image = await runOperation({
      target: imageName,
      start: () => this.raw.send('PUT', path, GALLERY_API, { properties }),
      reread: async () => toHostImage((await this.raw.send<SharedImageResource>('GET', path, GALLERY_API)) ?? {}),
      stateOf: (i) => i.provisioningState,
      settle: this.connection.settle,
      logger: this.logger,
    });
    assertEffect(image.enabled === enabled, imageName, 'image state unchanged after the update');
    return image;
  }

  /**
   * `createLab` takes the image but no capacity: once the lab is provisioned, a PUT on the lab sets
   * `maxUsersInLab` and `usageQuota` (as Microsoft's Az.LabServices script does), then the lab is read back
   * with its environment setting's image.
   */
  async createLab(hostId: string, params: CreateLabParams): Promise<LabSummary> {
    const labPath = childIdOf(hostId, 'labs', params.name);
    const created = await runOperation({
      target: params.name,
      start: () => this.raw.send('POST', `${trimSlash(hostId)}/createLab`, GALLERY_API, createLabBody(params)),
      reread: () => this.readLabWhileCreating(labPath, params.name),
      stateOf: (l) => l.provisioningState,
      settle: this.connection.settle,
      logger: this.logger,
    });
    if (created.provisioningState !== 'Succeeded') return created;
    const lab = await armCall(params.name, async () => {
      const current = (await this.raw.send<AccountLabResource>('GET', labPath, ACCOUNT_API)) ?? {};
      return (await this.raw.send<AccountLabResource>('PUT', labPath, ACCOUNT_API, labCapacityBody(current, params))) ?? current;
    });
    return this.withImage(lab);
  }

  /** Each lab's image is on its environment setting: one more read per lab, a few at a time. */
  async listLabs(hostId: string): Promise<LabSummary[]> {
    const labs = await armCall(accountName(hostId), () => this.raw.listAll<AccountLabResource>(`${trimSlash(hostId)}/labs`, ACCOUNT_API));
    return mapLimited(labs, LAB_READ_CONCURRENCY, (lab) => this.withImage(lab));
  }

  async saveImage(): Promise<HostImage | undefined> {
    throw new UnsupportedHostOperationError('saveImage', 'labAccount');
  }

  /** The lab with the image of its environment setting; a lab deleted meanwhile (or without settings) has none. */
  private async withImage(lab: AccountLabResource): Promise<LabSummary> {
    const summary = toLabSummary(lab);
    if (!lab.id) return summary;
    try {
      const settings = await armCall(summary.name, () => this.raw.listAll<EnvironmentSettingResource>(`${trimSlash(lab.id ?? '')}/environmentsettings`, ACCOUNT_API));
      const imageId = labImageOf(settings);
      return imageId ? { ...summary, imageId } : summary;
    } catch (error) {
      if (isAzureError(error, 'notFound')) return summary;
      throw error;
    }
  }

  private async sharedGalleries(hostId: string): Promise<SharedGalleryResource[]> {
    return this.raw.listAll<SharedGalleryResource>(`${trimSlash(hostId)}/sharedGalleries`, GALLERY_API);
  }

  private async deleteIfPresent(id: string): Promise<void> {
    try {
      await armCall(lastSegment(id), () => this.raw.send('DELETE', id, GALLERY_API));
    } catch (error) {
      if (!isAzureError(error, 'notFound')) throw error;
    }
  }

  /** `createLab` answers before the lab exists: until it shows up, it is "Creating". */
  private async readLabWhileCreating(path: string, name: string): Promise<LabSummary> {
    try {
      return toLabSummary((await armCall(name, () => this.raw.send<AccountLabResource>('GET', path, ACCOUNT_API))) ?? {});
    } catch (error) {
      if (isAzureError(error, 'notFound')) return { id: path, name, provisioningState: 'Creating' };
      throw error;
    }
  }
}

/**
 * The `createLab` body, shaped as Microsoft's Az.LabServices script sends it (api 2019-01-01-preview; no
 * recording of lab accounts exists: unconfirmed). No capacity: see `labCapacityBody`.
 */
function createLabBody(params: CreateLabParams): unknown {
  return {
    name: params.name,
    labParameters: {
      sharedImageResourceId: params.image.id,
      vmSize: params.vmSize,
      userQuota: `PT${params.usageQuotaHours}H`,
      username: params.adminUser.username,
      password: params.adminUser.password,
      sharedPasswordState: params.useSharedPassword ? 'Enabled' : 'Disabled',
      templateVmState: 'Enabled',
    },
  };
}

/**
 * The PUT that sets a lab's capacity after `createLab`: the lab as read, with `maxUsersInLab` and the 2018-10-15
 * quota name `usageQuota`, read-only fields left out. Unconfirmed (no recording of lab accounts).
 */
function labCapacityBody(current: AccountLabResource, params: CreateLabParams): unknown {
  const properties: Record<string, unknown> = { ...(current.properties ?? {}) };
  for (const readOnly of ['provisioningState', 'createdDate', 'createdByObjectId', 'createdByUserPrincipalName', 'invitationCode', 'latestOperationResult', 'uniqueIdentifier']) delete properties[readOnly];
  properties.maxUsersInLab = params.capacity;
  properties.usageQuota = `PT${params.usageQuotaHours}H`;
  return { ...(current.location ? { location: current.location } : {}), properties };
}

/**
 * What a lab account's lab was built from, read from its environment settings (2018-10-15: the lab itself has
 * no image field). The `default` setting's `resourceSettings.galleryImageResourceId` first; a shared image id
 * there if the service names one. The one guess about this shape (no recording of lab accounts exists).
 */
function labImageOf(settings: EnvironmentSettingResource[]): string | undefined {
  const setting = settings.find((s) => s.name?.toLowerCase() === 'default') ?? settings[0];
  const resource = setting?.properties?.resourceSettings ?? {};
  return str(resource, 'sharedImageResourceId') ?? str(resource, 'galleryImageResourceId');
}

/** `fn` over `items`, at most `limit` at a time, results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function accountName(hostId: string): string {
  return expectArmId(hostId, ACCOUNT_TYPE).names[0] as string;
}

function trimSlash(id: string): string {
  return id.replace(/\/+$/, '');
}

function toLabHost(account: LabAccountResource, galleries: SharedGalleryResource[]): LabHost {
  const id = account.id ?? '';
  const parsed = parseArmId(id);
  return {
    id,
    name: account.name ?? parsed?.resources[0]?.name ?? '',
    kind: 'labAccount',
    location: regionName(account.location ?? ''),
    resourceGroup: parsed?.resourceGroup ?? '',
    subscriptionId: parsed?.subscriptionId ?? '',
    sharedGalleryId: presentOrUndefined(galleries[0]?.properties?.galleryId),
    provisioningState: account.properties?.provisioningState,
  };
}

/** The casing of `enableState` is unconfirmed upstream: read and write whichever key the service used. */
function enableStateKey(properties: Record<string, unknown>): string {
  return Object.keys(properties).find((k) => k.toLowerCase() === 'enablestate' || k.toLowerCase() === 'enabledstate') ?? 'enableState';
}

function str(properties: Record<string, unknown>, key: string): string | undefined {
  const value = properties[key];
  return typeof value === 'string' ? value : undefined;
}

function toHostImage(image: SharedImageResource): HostImage {
  const p = image.properties ?? {};
  const name = image.name ?? '';
  const state = str(p, enableStateKey(p));
  return {
    id: image.id ?? '',
    name,
    displayName: str(p, 'displayName') ?? name,
    // New lab account images are enabled by default.
    enabled: state === undefined || state.toLowerCase() === 'enabled',
    osType: osTypeOf(str(p, 'osType')),
    osState: osStateOf(str(p, 'osState') ?? str(p, 'imageType')),
    definitionId: definitionIdOf(p),
    provisioningState: str(p, 'provisioningState'),
  };
}

/** `sharedGalleryId` may be the image definition id itself or the gallery id (with `definitionName` beside it). */
function definitionIdOf(p: Record<string, unknown>): string {
  const sharedGalleryId = str(p, 'sharedGalleryId') ?? '';
  if (/\/images\/[^/]+\/?$/i.test(sharedGalleryId)) return sharedGalleryId;
  const definitionName = str(p, 'definitionName');
  return sharedGalleryId && definitionName ? childIdOf(sharedGalleryId, 'images', definitionName) : sharedGalleryId;
}

function toLabSummary(lab: AccountLabResource): LabSummary {
  const p = lab.properties ?? {};
  return {
    id: lab.id ?? '',
    name: lab.name ?? '',
    title: str(p, 'title'),
    provisioningState: str(p, 'provisioningState'),
  };
}
