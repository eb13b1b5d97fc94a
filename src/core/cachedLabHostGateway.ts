import type { Clock } from '../ports/clock';
import type { CreateLabParams, HostImage, LabHost, LabHostGateway, LabSummary, SaveImageParams } from '../ports/labHostGateway';

/**
 * Keeps each host as last read for a short while, so that status, help and role checks in quick succession
 * do not re-read it from ARM. Every mutation through this gateway drops the host it touched.
 */
export class CachedLabHostGateway implements LabHostGateway {
  private readonly hosts = new Map<string, { host: LabHost; until: number }>();

  constructor(
    private readonly inner: LabHostGateway,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async getHost(hostId: string): Promise<LabHost> {
    const key = hostId.toLowerCase();
    const hit = this.hosts.get(key);
    if (hit && hit.until > this.clock.now()) return hit.host;
    const host = await this.inner.getHost(hostId);
    this.hosts.set(key, { host, until: this.clock.now() + this.ttlMs });
    return host;
  }

  /** Drops what is cached of a host changed by someone else (an operation runner using the raw gateway). */
  forget(hostId: string): void {
    this.hosts.delete(hostId.toLowerCase());
  }

  listHosts(): Promise<LabHost[]> {
    return this.inner.listHosts();
  }

  attachGallery(hostId: string, galleryId: string): Promise<LabHost> {
    return this.refreshing(hostId, () => this.inner.attachGallery(hostId, galleryId));
  }

  detachGallery(hostId: string): Promise<LabHost> {
    return this.refreshing(hostId, () => this.inner.detachGallery(hostId));
  }

  listImages(hostId: string): Promise<HostImage[]> {
    return this.inner.listImages(hostId);
  }

  setImageEnabled(hostId: string, imageName: string, enabled: boolean): Promise<HostImage> {
    return this.inner.setImageEnabled(hostId, imageName, enabled);
  }

  createLab(hostId: string, params: CreateLabParams): Promise<LabSummary> {
    return this.inner.createLab(hostId, params);
  }

  listLabs(hostId: string): Promise<LabSummary[]> {
    return this.inner.listLabs(hostId);
  }

  saveImage(hostId: string, params: SaveImageParams): Promise<HostImage | undefined> {
    return this.inner.saveImage(hostId, params);
  }

  /** Drops the cached host before and after a mutation, whatever its outcome. */
  private async refreshing<T>(hostId: string, action: () => Promise<T>): Promise<T> {
    this.hosts.delete(hostId.toLowerCase());
    try {
      return await action();
    } finally {
      this.hosts.delete(hostId.toLowerCase());
    }
  }
}
