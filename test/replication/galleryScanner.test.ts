import { GalleryScanner } from '../../src/replication/galleryScanner';
import type { ImageDefinition, ImageVersion } from '../../src/ports/galleryGateway';
import type { LabHost } from '../../src/ports/labHostGateway';

const G1 = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1';
const G2 = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g2';
const PLAN = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/p';

/** Hand-written fakes: two galleries of one image and one version each; the plan has g1 attached. */
function scannerWith(bound: { hosts: string[]; galleries: string[] }) {
  const listed: string[] = [];
  const definition = (galleryId: string): ImageDefinition => ({ id: `${galleryId}/images/img`, name: 'img', galleryId, osType: 'Linux', osState: 'Generalized' });
  const version = (definitionId: string): ImageVersion => ({ id: `${definitionId}/versions/1.0.0`, name: '1.0.0', definitionId, targetRegions: [{ name: 'westus2', replicaCount: 1 }], dataDiskCount: 0 });
  const scanner = new GalleryScanner({
    bindings: { listHostIds: async () => bound.hosts, listGalleryIds: async () => bound.galleries },
    labHosts: { getHost: async (id: string) => ({ id, sharedGalleryId: G1 }) as LabHost },
    galleries: {
      listImageDefinitions: async (galleryId: string) => {
        listed.push(galleryId);
        return [definition(galleryId)];
      },
      listVersions: async (definitionId: string) => [version(definitionId)],
    },
    watches: { idsForVersions: async () => new Set<string>() },
    onRead: () => undefined,
  });
  return { scanner, listed };
}

describe('gallery scanner: bound hosts and bound galleries', () => {
  it('lists a gallery bound directly, with no host', async () => {
    const { scanner, listed } = scannerWith({ hosts: [], galleries: [G2] });
    const found = await scanner.scan();
    expect(listed).toEqual([G2]);
    expect(found).toEqual([expect.objectContaining({ galleryId: G2, hostIds: [], imageName: 'img', versionName: '1.0.0' })]);
  });

  it('lists each gallery once, whether it is attached to a bound host, bound directly (in any case), or both', async () => {
    const { scanner, listed } = scannerWith({ hosts: [PLAN], galleries: [G1.toUpperCase(), G2] });
    const found = await scanner.scan();
    expect(listed).toEqual([G1, G2]);
    expect(found.map((f) => [f.galleryId, f.hostIds])).toEqual([
      [G1, [PLAN]],
      [G2, []],
    ]);
  });
});

