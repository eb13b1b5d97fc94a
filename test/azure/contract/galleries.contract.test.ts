import { ArmGalleryGateway } from '../../../src/azure/armGalleryGateway';
import type { ArmConnection } from '../../../src/azure/armConnection';
import { loadRecording } from '../../support/armReplay';
import { at, edited, FixedLocationGateway, withReplay } from './replayHelpers';

/**
 * ArmGalleryGateway against gallery-create-delete.json and gallery-image-version-create-update.json (azure-cli,
 * recorded 2026-04) and the `$expand=ReplicationStatus` spec example.
 *
 * Declared deviations: the SDK (@azure/arm-compute 24.1.0) sends api-version 2025-03-03 everywhere; the CLI used
 * 2021-10-01 for lists, image definitions and deletes, and 2024-03-03 for versions (the service accepts all).
 * The adapter re-reads a resource after its LRO by design (src/azure/operation.ts): the recording's final GET is
 * served a second time for that re-read.
 * Not covered (no adapter method): creating an image definition (#4–#6) or a version (create part of the version
 * recording), deleting a version or a gallery (#8–#10).
 */
const API = { '2021-10-01': '2025-03-03', '2024-03-03': '2025-03-03' };
const SUB = '00000000-0000-0000-0000-00000000000a';
const GALLERY_ID = `/subscriptions/${SUB}/resourceGroups/clitest.rg000001/providers/Microsoft.Compute/galleries/gallery_000003`;
const DEFINITION_ID = `${GALLERY_ID}/images/image1`;
const VERSION_ID = `${DEFINITION_ID}/versions/1.1.2`;

const gateway = (connection: ArmConnection) => new ArmGalleryGateway(connection, new FixedLocationGateway());

describe('ArmGalleryGateway against recorded Compute traffic', () => {
  const gallery = loadRecording('gallery-create-delete.json');
  const versions = loadRecording('gallery-image-version-create-update.json');

  it('createGallery: PUT 201 + signed Azure-AsyncOperation (capsOperations), polled as given, then GET', async () => {
    const exchanges = [at(gallery, 0), at(gallery, 1), at(gallery, 2), at(gallery, 2)];
    const { result, error, replay } = await withReplay(exchanges, { apiVersions: API }, (r) =>
      gateway(r.connection).createGallery({ resourceGroup: 'clitest.rg000001', name: 'gallery_000003', location: 'eastus2' }),
    );
    expect(error).toBeUndefined();
    expect(replay.mismatches()).toEqual([]);
    expect(replay.unserved()).toEqual([]);
    expect(result).toMatchObject({ id: GALLERY_ID, location: 'eastus2', provisioningState: 'Succeeded' });
  });

  it('createGallery: a failed operation (synthetic: none was recorded) becomes operationFailed with Azure\'s code and message', async () => {
    const failedPoll = edited(gallery[1], {
      responseBody: { startTime: '2026-04-24T02:04:49+00:00', endTime: '2026-04-24T02:04:50+00:00', status: 'Failed', name: '2edb9aa9', error: { code: 'GalleryQuotaExceeded', message: 'Too many galleries.' } },
    });
    const failedGet = edited(gallery[2], { responseBody: { ...(gallery[2]?.responseBody as object), properties: { provisioningState: 'Failed' } } });
    const { error, replay } = await withReplay([at(gallery, 0), failedPoll, failedGet], { apiVersions: API }, (r) =>
      gateway(r.connection).createGallery({ resourceGroup: 'clitest.rg000001', name: 'gallery_000003', location: 'eastus2' }),
    );
    expect(replay.mismatches()).toEqual([]);
    expect(error).toMatchObject({ kind: 'operationFailed', detail: { target: 'gallery_000003', armCode: 'GalleryQuotaExceeded', armMessage: 'Too many galleries.' } });
  });

  it('getGallery, listGalleries in a resource group (ids compared case-insensitively), listImageDefinitions', async () => {
    const { result, error, replay } = await withReplay([at(gallery, 2), at(gallery, 3), at(gallery, 7)], { apiVersions: API }, async (r) => {
      const g = gateway(r.connection);
      return { one: await g.getGallery(GALLERY_ID), listed: await g.listGalleries({ resourceGroup: 'clitest.rg000001' }), definitions: await g.listImageDefinitions(GALLERY_ID) };
    });
    expect(error).toBeUndefined();
    expect(replay.mismatches()).toEqual([]);
    expect(result?.one.name).toBe('gallery_000003');
    // The list answered the resource group in upper case (README): the id is kept as Azure spelled it.
    expect(result?.listed.map((x) => x.id.toLowerCase())).toEqual([expect.stringContaining('/providers/microsoft.compute/galleries/gallery_000003')]);
    expect(result?.definitions).toEqual([expect.objectContaining({ id: DEFINITION_ID, name: 'image1', osType: 'Linux', osState: 'Generalized', hyperVGeneration: 'V1' })]);
  });

  it('getVersion and listVersions: display names in answers become region names; a region without a count inherits replicaCount', async () => {
    const { result, error, replay } = await withReplay([at(versions, 4), at(versions, 5), at(versions, 11)], { apiVersions: API }, async (r) => {
      const g = gateway(r.connection);
      return { one: await g.getVersion(VERSION_ID), listed: await g.listVersions(DEFINITION_ID), updated: await g.getVersion(VERSION_ID) };
    });
    expect(error).toBeUndefined();
    expect(replay.mismatches()).toEqual([]);
    expect(result?.one.targetRegions).toEqual([{ name: 'eastus2', replicaCount: 1 }]);
    expect(result?.listed.map((v) => v.name)).toEqual(['1.1.2']);
    expect(result?.updated.targetRegions).toEqual([
      { name: 'westus2', replicaCount: 1 },
      { name: 'eastus2', replicaCount: 2 },
    ]);
  });

  it('updateTargetRegions: GET, then a full PUT shaped as the CLI sent it, 200 Updating, polls, GET', async () => {
    // The adapter's re-read asks for the replication it started (`$expand=ReplicationStatus`, shaped after the spec
    // example; no recording has it): the recorded final GET is served to it with that query added.
    const reread = edited(versions[11], { url: (versions[11]?.url ?? '').replace('?api-version', '?$expand=ReplicationStatus&api-version') });
    const exchanges = [at(versions, 4), at(versions, 6), at(versions, 7), at(versions, 8), at(versions, 9), at(versions, 10), at(versions, 11), reread];
    const { result, error, replay } = await withReplay(exchanges, { apiVersions: API }, (r) =>
      gateway(r.connection).updateTargetRegions(VERSION_ID, [
        { name: 'westus2', replicaCount: 1 },
        { name: 'eastus2', replicaCount: 2 },
      ]),
    );
    expect(error).toBeUndefined();
    expect(replay.mismatches()).toEqual([]);
    expect(replay.unserved()).toEqual([]);
    expect(result).toMatchObject({ provisioningState: 'Succeeded', targetRegions: [{ name: 'westus2', replicaCount: 1 }, { name: 'eastus2', replicaCount: 2 }] });
  });

  it('updateTargetRegions: a failed operation (synthetic) becomes operationFailed with Azure\'s code and message', async () => {
    const failed = edited(versions[10], { responseBody: { startTime: '2026-04-24T02:17:30+00:00', status: 'Failed', name: '4d441192', error: { code: 'ReplicationQuotaExceeded', message: 'No capacity in West US 2.' } } });
    const reread = edited(versions[11], {
      url: (versions[11]?.url ?? '').replace('?api-version', '?$expand=ReplicationStatus&api-version'),
      responseBody: { ...(versions[4]?.responseBody as object), properties: { ...((versions[4]?.responseBody as { properties: object }).properties), provisioningState: 'Failed' } },
    });
    const { error, replay } = await withReplay([at(versions, 4), at(versions, 6), at(versions, 7), failed, reread], { apiVersions: API }, (r) =>
      gateway(r.connection).updateTargetRegions(VERSION_ID, [{ name: 'westus2', replicaCount: 1 }]),
    );
    expect(replay.mismatches()).toEqual([]);
    expect(error).toMatchObject({ kind: 'operationFailed', detail: { armCode: 'ReplicationQuotaExceeded', armMessage: 'No capacity in West US 2.' } });
  });

  it('getVersion with replication: the `$expand=ReplicationStatus` spec example (no recording exists); regions by display name', async () => {
    const example = loadRecording('gallery-image-version-replication-status.example.json');
    const id = '/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/myResourceGroup/providers/Microsoft.Compute/galleries/myGalleryName/images/myGalleryImageName/versions/1.0.0';
    const { result, error, replay } = await withReplay(example, { apiVersions: API }, (r) => gateway(r.connection).getVersion(id, { withReplication: true }));
    expect(error).toBeUndefined();
    expect(replay.mismatches()).toEqual([]);
    expect(result?.targetRegions).toEqual([
      { name: 'westus', replicaCount: 1 },
      { name: 'eastus', replicaCount: 2 },
    ]);
    expect(result?.replication).toEqual({
      aggregatedState: 'Completed',
      regions: [
        { region: 'westus', state: 'Completed', progress: 100 },
        { region: 'eastus', state: 'Completed', progress: 100 },
      ],
    });
  });
});
