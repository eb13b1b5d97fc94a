import type { Clock } from '../ports/clock';
import type { CreateLabParams, HostImage, LabHost, LabHostGateway, LabSummary, SaveImageParams } from '../ports/labHostGateway';

/**
 * Keeps each host and its image list as last read for a short while, so that status, help, role checks and
 * card pages in quick succession do not re-read them from ARM (a lab plan's list is many pages: the adapter
 * reads the whole Marketplace to keep the gallery's images). Every mutation through this gateway drops what it
 * touched; an enable or disable updates the cached list with the image Azure answered.
 */
export class CachedLabHostGateway implements LabHostGateway {
  private readonly hosts = new Map<string, { host: LabHost; until: number }>();
  /** Lists in flight are shared; a failed read is not kept. */
  private readonly images = new Map<string, { images: Promise<HostImage[]>; until: number; settled: HostImage[] | undefined }>();

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
    this.images.delete(hostId.toLowerCase());
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
    const key = hostId.toLowerCase();
    const hit = this.images.get(key);
    if (hit && hit.until > this.clock.now()) return hit.images;
    const entry = { images: this.inner.listImages(hostId), until: this.clock.now() + this.ttlMs, settled: undefined as HostImage[] | undefined };
    this.images.set(key, entry);
    entry.images.then(
      (images) => {
        entry.settled = images;
      },
      () => {
        if (this.images.get(key) === entry) this.images.delete(key);
      },
    );
    return entry.images;
  }

  /**
   * The image Azure answered replaces its entry in a settled cached list (the PATCH answers the whole image);
   * a list still in flight, or a failed write, drops the cache instead.
   */
  async setImageEnabled(hostId: string, imageName: string, enabled: boolean): Promise<HostImage> {
    const key = hostId.toLowerCase();
    let image: HostImage;
    try {
      image = await this.inner.setImageEnabled(hostId, imageName, enabled);
    } catch (error) {
      this.images.delete(key);
      throw error;
    }
    const entry = this.images.get(key);
    const index = entry?.settled?.findIndex((i) => i.name.toLowerCase() === image.name.toLowerCase()) ?? -1;
    if (entry?.settled && index >= 0) {
      const updated = entry.settled.map((old, i) => (i === index ? { ...image, definitionId: image.definitionId || old.definitionId } : old));
      entry.settled = updated;
      entry.images = Promise.resolve(updated);
    } else {
      this.images.delete(key);
    }
    return image;
  }

  createLab(hostId: string, params: CreateLabParams): Promise<LabSummary> {
    return this.inner.createLab(hostId, params);
  }

  listLabs(hostId: string): Promise<LabSummary[]> {
    return this.inner.listLabs(hostId);
  }

  /** A saved image joins the list: the cached one is dropped, whatever the outcome. */
  async saveImage(hostId: string, params: SaveImageParams): Promise<HostImage | undefined> {
    this.images.delete(hostId.toLowerCase());
    try {
      return await this.inner.saveImage(hostId, params);
    } finally {
      this.images.delete(hostId.toLowerCase());
    }
  }

  /** Drops the cached host and images before and after a mutation, whatever its outcome. */
  private async refreshing<T>(hostId: string, action: () => Promise<T>): Promise<T> {
    this.forget(hostId);
    try {
      return await action();
    } finally {
      this.forget(hostId);
    }
  }
}
