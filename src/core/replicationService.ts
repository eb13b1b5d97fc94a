import type { GalleryGateway, ImageDefinition, ImageVersion } from '../ports/galleryGateway';
import type { LabHost, LabHostGateway } from '../ports/labHostGateway';
import type { GeographyGrouping, LocationGateway, Region } from '../ports/locationGateway';
import { galleryNameOf, parseGalleryId, UserError } from '../kernel';

export interface ReplicatePreflight {
  /**
   * The lab plan, or with a conversation bound to a gallery alone the gallery itself: what the request is
   * journaled against, whose admin confirms it, and whose conversations hear of it.
   */
  host: Pick<LabHost, 'id' | 'name'>;
  galleryId: string;
  imageName: string;
  version: ImageVersion;
  /** e.g. "United States". */
  geography: string;
  /** Every region of the geography, the target set after the change. */
  regions: Region[];
  /** Regions targeted now (lowercase names). */
  current: string[];
  toAdd: Region[];
  /** Replicas once done: the current ones plus one per added region. */
  replicasAfter: number;
}

/**
 * `replicate <image> [version]` on a lab plan (or a gallery bound alone): which version, which regions of the plan's geography it lacks,
 * and what that costs. Lab accounts replicate saved images by themselves; there is nothing to start there.
 */
export class ReplicationService {
  constructor(
    private readonly deps: {
      labHosts: Pick<LabHostGateway, 'getHost'>;
      galleries: Pick<GalleryGateway, 'getGallery' | 'listImageDefinitions' | 'listVersions' | 'getVersion'>;
      locations: Pick<LocationGateway, 'regionsOfGeography'>;
      geographyMatch: GeographyGrouping;
    },
  ) {}

  /** The images `replicate` may be asked for (for a picker), after the same checks of the scope as `preflight`. */
  async images(scopeId: string): Promise<{ host: Pick<LabHost, 'id' | 'name'>; images: ImageDefinition[] }> {
    const { host, galleryId } = await this.scopeOf(scopeId);
    const images = (await this.deps.galleries.listImageDefinitions(galleryId)).sort((a, b) => a.name.localeCompare(b.name));
    return { host, images };
  }

  /** `scopeId`: the bound lab host, or the bound gallery (the regions are then those of the gallery's geography). */
  async preflight(scopeId: string, imageName: string, versionName?: string): Promise<ReplicatePreflight> {
    const { galleries, locations } = this.deps;
    if (!imageName) throw new UserError('replicate.missingImage');
    const { host, galleryId, location } = await this.scopeOf(scopeId);
    const definition = (await galleries.listImageDefinitions(galleryId)).find((d) => d.name.toLowerCase() === imageName.toLowerCase());
    if (!definition) throw new UserError('replicate.imageNotFound', { gallery: galleryNameOf(galleryId), image: imageName });
    const versions = (await galleries.listVersions(definition.id)).sort((a, b) => compareSemver(b.name, a.name));
    if (versions.length === 0) throw new UserError('replicate.noVersions', { image: definition.name });
    const chosen = versionName ? versions.find((v) => v.name === versionName) : versions[0];
    if (!chosen) throw new UserError('replicate.versionNotFound', { image: definition.name, version: versionName ?? '', versions: versions.map((v) => v.name).join(', ') });
    const regions = await locations.regionsOfGeography(location, this.deps.geographyMatch);
    const home = regions.find((r) => r.name === location) ?? regions[0];
    if (!home) throw new UserError('replicate.unknownGeography', { region: location });
    const version = await galleries.getVersion(chosen.id, { withReplication: true });
    const current = version.targetRegions.map((t) => t.name);
    const toAdd = regions.filter((r) => !current.includes(r.name));
    const geography = home[this.deps.geographyMatch] || home.geography;
    if (toAdd.length === 0) throw new UserError('replicate.nothingToDo', { image: definition.name, version: version.name, geography, count: regions.length });
    const replicasAfter = version.targetRegions.reduce((sum, t) => sum + t.replicaCount, 0) + toAdd.length;
    return { host, galleryId, imageName: definition.name, version, geography, regions, current, toAdd, replicasAfter };
  }

  /** The gallery to replicate in and the region whose geography is the target: the lab plan's, or the gallery's own. */
  private async scopeOf(scopeId: string): Promise<{ host: Pick<LabHost, 'id' | 'name'>; galleryId: string; location: string }> {
    const galleryRef = parseGalleryId(scopeId);
    if (galleryRef) {
      const gallery = await this.deps.galleries.getGallery(galleryRef.id);
      return { host: { id: gallery.id, name: gallery.name }, galleryId: gallery.id, location: gallery.location };
    }
    const host = await this.deps.labHosts.getHost(scopeId);
    if (host.kind === 'labAccount') throw new UserError('replicate.labAccount');
    if (!host.sharedGalleryId) throw new UserError('replicate.noGallery', { host: host.name });
    return { host, galleryId: host.sharedGalleryId, location: host.location };
  }
}

function compareSemver(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
