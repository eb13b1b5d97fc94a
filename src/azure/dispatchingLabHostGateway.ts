import { AzureError, type LabHostKind, parseLabHostId } from '../kernel';
import type { CreateLabParams, HostImage, LabHost, LabHostGateway, LabSummary, SaveImageParams } from '../ports/labHostGateway';

/** Routes each call to the lab plan or lab account adapter by the host id's resource type. */
export class DispatchingLabHostGateway implements LabHostGateway {
  constructor(private readonly byKind: Readonly<Record<LabHostKind, LabHostGateway>>) {}

  async getHost(hostId: string): Promise<LabHost> {
    return this.pick(hostId).getHost(hostId);
  }

  async listHosts(): Promise<LabHost[]> {
    const [plans, accounts] = await Promise.all([this.byKind.labPlan.listHosts(), this.byKind.labAccount.listHosts()]);
    return [...plans, ...accounts];
  }

  async attachGallery(hostId: string, galleryId: string): Promise<LabHost> {
    return this.pick(hostId).attachGallery(hostId, galleryId);
  }

  async detachGallery(hostId: string): Promise<LabHost> {
    return this.pick(hostId).detachGallery(hostId);
  }

  async listImages(hostId: string): Promise<HostImage[]> {
    return this.pick(hostId).listImages(hostId);
  }

  async setImageEnabled(hostId: string, imageName: string, enabled: boolean): Promise<HostImage> {
    return this.pick(hostId).setImageEnabled(hostId, imageName, enabled);
  }

  async createLab(hostId: string, params: CreateLabParams): Promise<LabSummary> {
    return this.pick(hostId).createLab(hostId, params);
  }

  async listLabs(hostId: string): Promise<LabSummary[]> {
    return this.pick(hostId).listLabs(hostId);
  }

  async saveImage(hostId: string, params: SaveImageParams): Promise<HostImage | undefined> {
    return this.pick(hostId).saveImage(hostId, params);
  }

  private pick(hostId: string): LabHostGateway {
    const kind = parseLabHostId(hostId)?.kind;
    if (!kind) throw new AzureError('badRequest', { target: hostId, armMessage: 'not a lab plan or lab account id' });
    return this.byKind[kind];
  }
}
