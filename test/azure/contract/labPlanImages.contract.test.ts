import { LabServicesClient } from '@azure/arm-labservices';
import { classicClientOptions } from '../../../src/azure/armConnection';
import { ArmLabPlanGateway } from '../../../src/azure/armLabPlanGateway';
import { collect } from '../../../src/azure/mapping';
import { loadRecording, startArmReplay, type RecordedExchange } from '../../support/armReplay';

/**
 * Lab plan images against labplan-images-list.json (recorded with api-version 2021-10-01-preview; the bot
 * sends 2022-08-01, which the service advertised too). Recorded: the images list page 1 (with a nextLink),
 * the plan GET, one image GET, a list with `$filter` on DisplayName, a PATCH enabling an image.
 *
 * Not recorded, and so guessed in one adapter function each:
 * - a gallery image inside the list (its shape comes from the 2022-08-01 getImage spec example: `sharedGalleryId`
 *   = its image definition) and the pages after the first: a synthetic last page below, served at the recorded
 *   nextLink, holds one; `isImageOfGallery` keeps it;
 * - `$filter` on `Properties/SharedGalleryId`: not used (`galleryImagesQuery`), every page is read.
 * The single-image GET and the DisplayName `$filter` are issued by no adapter method (the bot needs neither an
 * image's availableRegions nor a display-name lookup); the SDK's own requests for them are checked here, and the
 * emulator's answers against the recorded ones in test/emulator/planImages.test.ts.
 */
const RECORDED_VERSION = '2021-10-01-preview';
const SDK_VERSION = '2022-08-01';
const apiVersions = { [RECORDED_VERSION]: SDK_VERSION };
const [listPage1, planGet, imageGet, filteredList, patchEnable] = loadRecording('labplan-images-list.json') as [
  RecordedExchange,
  RecordedExchange,
  RecordedExchange,
  RecordedExchange,
  RecordedExchange,
];
const planId = '/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/powershell-sdk-testing/providers/Microsoft.LabServices/labPlans/labplan-record-powershell';
const galleryId = '/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/powershell-sdk-testing/providers/Microsoft.Compute/galleries/sigunitpowershell';

interface ListBody {
  nextLink?: string;
  value: { name: string; properties: Record<string, unknown> }[];
}

/** The service writes the request's api-version into its nextLink: asked with 2022-08-01, the link carries it. */
function withSdkVersion(exchange: RecordedExchange): RecordedExchange {
  const body = exchange.responseBody as ListBody;
  return { ...exchange, responseBody: { ...body, nextLink: body.nextLink?.replace(`api-version=${RECORDED_VERSION}`, `api-version=${SDK_VERSION}`) } };
}

/** Synthetic (not recorded): the last page, at page 1's nextLink, with a gallery image and an enabled Marketplace image. */
function syntheticLastPage(nextLink: string): RecordedExchange {
  const image = (name: string, properties: Record<string, unknown>) => ({ properties: { provisioningState: 'Succeeded', ...properties }, id: `${planId}/images/${name}`, name, type: 'Microsoft.LabServices/labPlans/images' });
  return {
    method: 'GET',
    url: nextLink,
    status: 200,
    responseHeaders: { 'Content-Type': 'application/json; charset=utf-8' },
    responseBody: {
      value: [
        image('zscaler1579058425289.zia_cc.zia_cc_gen2', { displayName: 'Zscaler Cloud Connector', osType: 'Linux', osState: 'Generalized', version: 'latest', enabledState: 'Enabled' }),
        image('physics-lab', { displayName: 'physics-lab', osType: 'Windows', osState: 'Generalized', sharedGalleryId: `${galleryId}/images/physics-lab` }),
      ],
    },
  };
}

describe('lab plan images, replayed from labplan-images-list.json', () => {
  it('listImages reads the plan, then every page from the absolute :443 nextLink, and keeps only the gallery images', async () => {
    const page1 = withSdkVersion(listPage1);
    const nextLink = (page1.responseBody as ListBody).nextLink ?? '';
    expect(nextLink).toMatch(/^https:\/\/management\.azure\.com:443\/.*\$skipToken=200$/);
    const replay = await startArmReplay([planGet, page1, syntheticLastPage(nextLink)], { apiVersions });
    try {
      const images = await new ArmLabPlanGateway(replay.connection).listImages(planId);
      expect(replay.mismatches()).toEqual([]);
      expect(replay.unserved()).toEqual([]);
      // 21 recorded Marketplace images (all without enabledState) and an enabled one on the last page are dropped.
      expect(images).toEqual([
        {
          id: `${planId}/images/physics-lab`,
          name: 'physics-lab',
          displayName: 'physics-lab',
          enabled: false,
          osType: 'Windows',
          osState: 'Generalized',
          availableRegions: undefined,
          definitionId: `${galleryId}/images/physics-lab`,
          provisioningState: 'Succeeded',
        },
      ]);
    } finally {
      await replay.close();
    }
  });

  it('setImageEnabled sends the recorded PATCH and takes the synchronous 200 as the image', async () => {
    const replay = await startArmReplay([patchEnable], { apiVersions });
    try {
      const image = await new ArmLabPlanGateway(replay.connection).setImageEnabled(planId, 'canonical.0001-com-ubuntu-server-focal.20_04-lts', true);
      expect(replay.mismatches()).toEqual([]);
      expect(replay.unserved()).toEqual([]);
      expect(image).toMatchObject({ name: 'canonical.0001-com-ubuntu-server-focal.20_04-lts', enabled: true, displayName: 'Ubuntu Server 20.04 LTS', osType: 'Linux', definitionId: '' });
    } finally {
      await replay.close();
    }
  });

  it('the SDK asks for one image and for a DisplayName $filter as recorded', async () => {
    const replay = await startArmReplay([imageGet, filteredList], { apiVersions });
    try {
      const client = new LabServicesClient(replay.connection.credential, '00000000-0000-0000-0000-00000000000a', classicClientOptions(replay.connection));
      const one = await client.images.get('powershell-sdk-testing', 'labplan-record-powershell', 'canonical.0001-com-ubuntu-server-focal.20_04-lts');
      expect(one.availableRegions).toEqual([]);
      const filtered = await collect(client.images.listByLabPlan('powershell-sdk-testing', 'labplan-record-powershell', { filter: "Properties/DisplayName eq 'Ubuntu Server 20.04 LTS'" }));
      expect(filtered.map((i) => i.name)).toEqual(['canonical.0001-com-ubuntu-server-focal.20_04-lts']);
      expect(replay.mismatches()).toEqual([]);
      expect(replay.unserved()).toEqual([]);
    } finally {
      await replay.close();
    }
  });
});
