import { sameArmId } from '../kernel';
import type { GalleryGateway } from '../ports/galleryGateway';
import type { LabHostGateway } from '../ports/labHostGateway';
import { type ReplicationWatchStore, watchIdOf } from '../ports/replicationWatches';
import type { BindingStore } from '../ports/stores';

/** A version whose current target regions the tracker has never looked at. */
export interface UnknownReplication {
  versionId: string;
  galleryId: string;
  imageName: string;
  versionName: string;
  targets: string[];
  publishedAt?: number;
  /** Bound hosts with the gallery attached (none when only a conversation bound to the gallery itself sees it). */
  hostIds: string[];
}

export interface ScannerDeps {
  bindings: Pick<BindingStore, 'listHostIds' | 'listGalleryIds'>;
  labHosts: Pick<LabHostGateway, 'getHost'>;
  galleries: Pick<GalleryGateway, 'listImageDefinitions' | 'listVersions'>;
  watches: Pick<ReplicationWatchStore, 'idsForVersions'>;
  /** Called before each ARM read (the read budget). */
  onRead(): void;
}

/**
 * Finds replications someone else started (a teacher saving an image, the portal): the galleries attached to
 * bound hosts and the galleries conversations are bound to directly are listed, each once however many hosts and
 * conversations share it, and a version is new to the tracker when the pair (version, target regions) is.
 * Listing does not return replication status, so a scan costs one read per host, per gallery and per image,
 * not per version; the tracker reads each unknown version once to learn whether it is still replicating.
 */
export class GalleryScanner {
  constructor(private readonly deps: ScannerDeps) {}

  async scan(): Promise<UnknownReplication[]> {
    const { deps } = this;
    const hostsByGallery = new Map<string, { galleryId: string; hostIds: string[] }>();
    for (const hostId of await deps.bindings.listHostIds()) {
      deps.onRead();
      const host = await deps.labHosts.getHost(hostId);
      if (!host.sharedGalleryId) continue;
      const key = host.sharedGalleryId.toLowerCase();
      const entry = hostsByGallery.get(key) ?? { galleryId: host.sharedGalleryId, hostIds: [] };
      if (!entry.hostIds.some((h) => sameArmId(h, host.id))) entry.hostIds.push(host.id);
      hostsByGallery.set(key, entry);
    }
    // Bound directly, a gallery needs no read to be found; one also attached to a bound host is listed once.
    for (const galleryId of await deps.bindings.listGalleryIds()) {
      const key = galleryId.toLowerCase();
      if (!hostsByGallery.has(key)) hostsByGallery.set(key, { galleryId, hostIds: [] });
    }
    const found: UnknownReplication[] = [];
    for (const { galleryId, hostIds } of hostsByGallery.values()) {
      deps.onRead();
      for (const definition of await deps.galleries.listImageDefinitions(galleryId)) {
        deps.onRead();
        const versions = await deps.galleries.listVersions(definition.id);
        const known = await deps.watches.idsForVersions(versions.map((v) => v.id));
        for (const version of versions) {
          const targets = version.targetRegions.map((t) => t.name).sort();
          if (known.has(watchIdOf(version.id, targets))) continue;
          found.push({
            versionId: version.id,
            galleryId,
            imageName: definition.name,
            versionName: version.name,
            targets,
            ...(version.publishedAt !== undefined ? { publishedAt: version.publishedAt } : {}),
            hostIds,
          });
        }
      }
    }
    return found;
  }
}
