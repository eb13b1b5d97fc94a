import type { Clock } from '../ports/clock';
import type { GalleryGateway, ImageVersion } from '../ports/galleryGateway';
import type { HostImage, LabHost, LabHostGateway, OsState, OsType } from '../ports/labHostGateway';
import { AzureError, type MessageKey, UserError } from '../kernel';
import { completedRegions, imageEligibility, inHostRegion, latestVersion, type EligibilityHost, type IneligibilityReason } from './imageEligibility';

/** An image of the attached gallery as a list or a card shows it. */
export interface ImageView {
  name: string;
  displayName: string;
  enabled: boolean;
  osType: OsType;
  osState: OsState;
  /** Gallery image definition behind the image; empty when the host does not say. */
  definitionId: string;
  /** Lab plans: lowercase regions where the image can back a lab. */
  availableRegions?: string[];
  /** Lab plans: whether the plan's own region is among them. Undefined for lab accounts. */
  inHostRegion?: boolean;
}

export interface HostImages {
  host: LabHost;
  /** Empty when no gallery is attached. */
  images: ImageView[];
}

/** What `details` needs of an image: an ImageView or a HostImage will do. */
export type ImageRef = Pick<HostImage, 'name' | 'definitionId' | 'availableRegions'>;

export interface ImageDetails {
  name: string;
  definitionId: string;
  /** Name of the definition's latest version (`1.0.3`); absent when it has none. */
  latestVersion?: string;
  osDiskSizeGB?: number;
  dataDiskCount: number;
  /**
   * Lab plans: lowercase regions where the image can back a lab, as the host said, or else (a plan's image list
   * does not say) the latest version's completed regions.
   */
  availableRegions: string[];
  /** Lab plans: whether the plan's region is among them. Undefined for lab accounts. */
  inHostRegion?: boolean;
  /** Whether the image may back a lab's template VM. */
  eligible: boolean;
  reasons: IneligibilityReason[];
}

export interface ToggleFailure {
  name: string;
  /** Message-catalog key of the AzureError (`azure.<kind>`). */
  key: MessageKey;
}

/** Image names as the host spells them, in the order asked. */
export interface ToggleResult {
  changed: string[];
  /** Already in the wanted state: nothing was written for them. */
  unchanged: string[];
  failed: ToggleFailure[];
}

export interface ImageServiceOptions {
  /** How long a definition's latest version is reused by `details`. Default 10 min. */
  versionTtlMs?: number;
  /** Parallel version reads in `details`. Default 5. */
  readConcurrency?: number;
  /** Parallel enable/disable writes. Default 3. */
  writeConcurrency?: number;
}

/** The most images `details` reads versions for at once: a card page. */
export const MAX_DETAILS = 25;
/** How many unknown names an error message repeats. */
const SHOWN_UNKNOWN = 10;

interface CachedLatest {
  latest: Promise<ImageVersion | undefined>;
  until: number;
}

/**
 * The images of a lab host's attached gallery: listing (one paged ARM list, nothing per image), template
 * eligibility for a page of them (their versions, cached), and enabling or disabling them.
 */
export class ImageService {
  private readonly versionTtlMs: number;
  private readonly readConcurrency: number;
  private readonly writeConcurrency: number;
  private readonly latestByDefinition = new Map<string, CachedLatest>();

  constructor(
    private readonly labHosts: LabHostGateway,
    private readonly galleries: GalleryGateway,
    private readonly clock: Clock,
    options: ImageServiceOptions = {},
  ) {
    this.versionTtlMs = options.versionTtlMs ?? 10 * 60_000;
    this.readConcurrency = Math.max(1, options.readConcurrency ?? 5);
    this.writeConcurrency = Math.max(1, options.writeConcurrency ?? 3);
  }

  async list(hostId: string): Promise<ImageView[]> {
    return (await this.snapshot(hostId)).images;
  }

  /** The host (read first: its region and whether a gallery is attached) and its images. */
  async snapshot(hostId: string): Promise<HostImages> {
    const host = await this.labHosts.getHost(hostId);
    if (!host.sharedGalleryId) return { host, images: [] };
    const images = await this.labHosts.listImages(host.id);
    return { host, images: images.map((image) => toView(host, image)) };
  }

  /**
   * Latest version and eligibility of a page of images, in the order given. One version list per definition,
   * kept `versionTtlMs`; a definition Azure no longer has counts as having no version.
   */
  async details(host: EligibilityHost, images: readonly ImageRef[]): Promise<ImageDetails[]> {
    if (images.length > MAX_DETAILS) throw new RangeError(`details reads at most ${MAX_DETAILS} images at a time, not ${images.length}`);
    this.dropExpired();
    return mapBounded(images, this.readConcurrency, async (image) => {
      const latest = await this.latestOf(image.definitionId);
      const { eligible, reasons } = imageEligibility({ host, availableRegions: image.availableRegions, latest });
      const here = inHostRegion(host, image.availableRegions, latest);
      return {
        name: image.name,
        definitionId: image.definitionId,
        availableRegions: image.availableRegions ?? (latest ? [...completedRegions(latest)].sort() : []),
        ...(here !== undefined ? { inHostRegion: here } : {}),
        latestVersion: latest?.name,
        osDiskSizeGB: latest?.osDiskSizeGB,
        dataDiskCount: latest?.dataDiskCount ?? 0,
        eligible,
        reasons,
      };
    });
  }

  /**
   * Enables or disables the named images (case-insensitive). Any unknown name refuses the whole request
   * before anything is written; images already in that state are not written.
   */
  setEnabled(hostId: string, names: readonly string[], enabled: boolean): Promise<ToggleResult> {
    return this.apply(hostId, names.map((name) => [name, enabled] as const));
  }

  /** The card's Apply: writes only the images whose state differs from the wanted one. */
  applyToggles(hostId: string, wanted: Readonly<Record<string, boolean>>): Promise<ToggleResult> {
    return this.apply(hostId, Object.entries(wanted));
  }

  private async apply(hostId: string, wanted: readonly (readonly [string, boolean])[]): Promise<ToggleResult> {
    const { host, images } = await this.snapshot(hostId);
    if (!host.sharedGalleryId) throw new UserError('images.noGallery', { host: host.name });
    const byName = new Map(images.map((i) => [i.name.toLowerCase(), i]));
    const unknownByKey = new Map<string, string>();
    for (const [name] of wanted) {
      const key = name.trim().toLowerCase();
      if (!byName.has(key) && !unknownByKey.has(key)) unknownByKey.set(key, name.trim());
    }
    const unknown = [...unknownByKey.values()];
    if (unknown.length > 0) {
      const shown = unknown.slice(0, SHOWN_UNKNOWN).map((n) => n.slice(0, 80));
      throw new UserError('images.unknown', { names: unknown.length > SHOWN_UNKNOWN ? `${shown.join(', ')}, …` : shown.join(', '), count: unknown.length });
    }
    // One entry per image; when an image is named twice, the last word wins.
    const targets = new Map<string, { image: ImageView; enabled: boolean }>();
    for (const [name, enabled] of wanted) {
      const image = byName.get(name.trim().toLowerCase());
      if (image) targets.set(image.name.toLowerCase(), { image, enabled });
    }
    const all = [...targets.values()];
    const writes = all.filter((t) => t.image.enabled !== t.enabled);
    const outcomes = await mapBounded(writes, this.writeConcurrency, async ({ image, enabled }): Promise<ToggleFailure | undefined> => {
      try {
        await this.labHosts.setImageEnabled(host.id, image.name, enabled);
        return undefined;
      } catch (error) {
        // One refused image must not hide what happened to the others.
        if (error instanceof AzureError) return { name: image.name, key: error.key };
        throw error;
      }
    });
    const failed = outcomes.filter((o): o is ToggleFailure => o !== undefined);
    return {
      changed: writes.map((w) => w.image.name).filter((name) => !failed.some((f) => f.name === name)),
      unchanged: all.filter((t) => t.image.enabled === t.enabled).map((t) => t.image.name),
      failed,
    };
  }

  private latestOf(definitionId: string): Promise<ImageVersion | undefined> {
    if (!definitionId) return Promise.resolve(undefined);
    const key = definitionId.toLowerCase();
    const now = this.clock.now();
    const hit = this.latestByDefinition.get(key);
    if (hit && hit.until > now) return hit.latest;
    const latest = this.galleries.listVersions(definitionId).then(
      (versions) => latestVersion(versions),
      (error: unknown) => {
        if (error instanceof AzureError && error.kind === 'notFound') return undefined;
        throw error;
      },
    );
    const entry = { latest, until: now + this.versionTtlMs };
    this.latestByDefinition.set(key, entry);
    // A failed read is not kept: the next view tries again.
    latest.catch(() => {
      if (this.latestByDefinition.get(key) === entry) this.latestByDefinition.delete(key);
    });
    return latest;
  }

  private dropExpired(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.latestByDefinition) if (entry.until <= now) this.latestByDefinition.delete(key);
  }
}

function toView(host: LabHost, image: HostImage): ImageView {
  return {
    name: image.name,
    displayName: image.displayName,
    enabled: image.enabled,
    osType: image.osType,
    osState: image.osState,
    definitionId: image.definitionId,
    ...(image.availableRegions ? { availableRegions: image.availableRegions } : {}),
    ...(host.kind === 'labPlan' && image.availableRegions ? { inHostRegion: inHostRegion(host, image.availableRegions) } : {}),
  };
}

/**
 * Runs `fn` over the items, at most `limit` at a time; results in the items' order. After a failure no new
 * item starts, and the first error is thrown once those already running have finished.
 */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
