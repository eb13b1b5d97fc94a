import { resourceNotFound } from '../armError';
import { lastSegment } from '../armIds';
import type { GalleryStore } from './galleryStore';
import type { EnabledState, HostImageRecord, ImageDefinitionRecord } from './records';
import type { RoleStore } from './roleStore';
import { ResourceTable, inResourceGroup } from './resourceTable';

export interface LabHostRecord {
  id: string;
  name: string;
  resourceGroup: string;
  imageStates: Map<string, EnabledState>;
}

/** What lab plans and lab accounts share: their records, and the images of the attached gallery with the host's enabled states. */
export abstract class LabHostStore<H extends LabHostRecord> {
  protected readonly hosts: ResourceTable<H>;

  constructor(
    protected readonly subscriptionId: string,
    protected readonly now: () => number,
    protected readonly galleries: GalleryStore,
    protected readonly roles: RoleStore,
    private readonly kind: { type: string; imageType: string; unsetImageState: EnabledState },
  ) {
    this.hosts = new ResourceTable((id) => resourceNotFound(kind.type, lastSegment(id)));
  }

  /** The attached compute gallery's id. */
  protected abstract galleryIdOf(host: H): string | undefined;

  get(id: string): H | undefined {
    return this.hosts.get(id);
  }

  require(id: string): H {
    return this.hosts.require(id);
  }

  list(resourceGroup?: string): H[] {
    return this.hosts.list(inResourceGroup(resourceGroup));
  }

  /**
   * One image per definition of the attached gallery, derived on every read. `availableRegions` is worked out
   * only when read (it scans the versions): lists of a thousand images do not need it.
   */
  images(hostId: string): HostImageRecord[] {
    const host = this.require(hostId);
    const galleryId = this.galleryIdOf(host);
    if (!galleryId || !this.galleries.gallery(galleryId)) return [];
    return this.galleries
      .listDefinitions(galleryId)
      .map((definition) => new GalleryHostImage(host.id, definition, host.imageStates.get(definition.name.toLowerCase()) ?? this.kind.unsetImageState, this.galleries));
  }

  image(hostId: string, name: string): HostImageRecord {
    const image = this.images(hostId).find((i) => i.name.toLowerCase() === name.toLowerCase());
    if (!image) throw resourceNotFound(this.kind.imageType, `${this.require(hostId).name}/${name}`);
    return image;
  }

  setImageEnabled(hostId: string, name: string, state: EnabledState): HostImageRecord {
    const image = this.image(hostId, name);
    this.require(hostId).imageStates.set(image.name.toLowerCase(), state);
    return this.image(hostId, image.name);
  }
}

/** A host image whose `availableRegions` is read from the gallery when asked (a getter on the prototype: cheap to make by the thousand). */
class GalleryHostImage implements HostImageRecord {
  readonly name: string;

  constructor(
    readonly hostId: string,
    readonly definition: ImageDefinitionRecord,
    readonly enabledState: EnabledState,
    private readonly galleries: GalleryStore,
  ) {
    this.name = definition.name;
  }

  get availableRegions(): string[] {
    return this.galleries.availableRegions(this.definition.id);
  }
}
