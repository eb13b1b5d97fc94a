import type { ArmConnection } from '../../../src/azure/armConnection';
import { ArmGalleryGateway } from '../../../src/azure/armGalleryGateway';
import { ArmLocationGateway } from '../../../src/azure/armLocationGateway';
import { ManualClock } from '../../../src/ports/clock';
import { bodyShape, loadRecording, startArmReplay, type RecordedExchange } from '../../support/armReplay';

/** The replay server itself: it serves in order, follows the recording's absolute URLs and reports every difference. */
describe('ARM replay server', () => {
  const [, , getGallery] = loadRecording('gallery-create-delete.json') as RecordedExchange[];
  const galleryId = '/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/clitest.rg000001/providers/Microsoft.Compute/galleries/gallery_000003';

  function gateway(connection: ArmConnection): ArmGalleryGateway {
    return new ArmGalleryGateway(connection, new ArmLocationGateway(connection, new ManualClock()));
  }

  it('serves a recorded answer to a request that matches it', async () => {
    const replay = await startArmReplay([getGallery!]);
    try {
      const gallery = await gateway(replay.connection).getGallery(galleryId);
      expect(gallery.id.toLowerCase()).toBe(galleryId.toLowerCase());
      expect(replay.mismatches()).toEqual([]);
      expect(replay.unserved()).toEqual([]);
    } finally {
      await replay.close();
    }
  });

  it('reports a request that differs from the recording in api-version or path', async () => {
    const recorded = { ...getGallery!, url: getGallery!.url.replace('api-version=2025-03-03', 'api-version=2019-01-01').replace('gallery_000003', 'other') };
    const replay = await startArmReplay([recorded]);
    try {
      await gateway(replay.connection).getGallery(galleryId).catch(() => undefined);
      const problems = replay.mismatches().join('\n');
      expect(problems).toMatch(/api-version 2025-03-03 \(recorded 2019-01-01\)/);
      expect(problems).toMatch(/path .*gallery_000003/);
    } finally {
      await replay.close();
    }
  });

  it('describes a body by its shape, not its values', () => {
    expect(bodyShape({ location: 'x', properties: { regions: [{ name: 'a', n: 1 }], tags: {} } })).toEqual([
      'location:string',
      'properties.regions[].name:string',
      'properties.regions[].n:number',
      'properties.tags:{}',
    ]);
  });
});
