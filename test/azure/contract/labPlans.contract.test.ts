import type { ArmConnection } from '../../../src/azure/armConnection';
import { ArmLabPlanGateway } from '../../../src/azure/armLabPlanGateway';
import { loadRecording, type RecordedExchange } from '../../support/armReplay';
import { at, edited, withReplay } from './replayHelpers';

/**
 * ArmLabPlanGateway against recorded Lab Services traffic: labplan-get-patch.json, labplan-crud-2022-08-01.json,
 * lab-create-lro.json, labplan-save-image-lro.json (azure-powershell 2025 and azure-sdk-for-net 2023) and the
 * labplan-patch.example.json spec example.
 *
 * Declared deviations: the SDK (@azure/arm-labservices 3.1.0) sends api-version 2022-08-01; the PowerShell
 * recordings used 2021-10-01-preview (the service advertised both). Poll URLs handed out in headers are polled
 * as given (their recorded api-version). The adapter re-reads a resource after its LRO by design
 * (src/azure/operation.ts): a recorded GET of that resource is served for it.
 * No recording exists of: a PATCH that sets or clears `sharedGalleryId` (the guess is `galleryPatch` in the
 * adapter; the recorded PATCHes of other properties stand in for verb, path, api-version and the 200 answer), a
 * failed Lab Services LRO (synthetic `Failed` answers below), a plan creation or deletion by the bot (no adapter
 * method: labplan-create-2021-10-01-preview.json and labplan-crud #0–#2, #4, #6–#9 are not driven here; the
 * emulator's answers are compared with them in test/emulator/recordedShapes.test.ts), a lab DELETE by the bot.
 */
const API = { '2021-10-01-preview': '2022-08-01' };
const SUB = '00000000-0000-0000-0000-00000000000a';
const PLAN_ID = `/subscriptions/${SUB}/resourceGroups/powershell-sdk-testing/providers/Microsoft.LabServices/labPlans/labplan-record-powershell`;
const GALLERY_ID = `/subscriptions/${SUB}/resourceGroups/powershell-sdk-testing/providers/Microsoft.Compute/galleries/sigunitpowershell`;
const IMAGE = { id: `${PLAN_ID}/images/win11`, name: 'win11', definitionId: `${GALLERY_ID}/images/win11` };

const gateway = (connection: ArmConnection) => new ArmLabPlanGateway(connection);

/** A recorded resource body with some properties replaced. */
function withProperties(exchange: RecordedExchange | undefined, properties: Record<string, unknown>, drop: string[] = []): RecordedExchange {
  const body = structuredClone(exchange?.responseBody) as { properties: Record<string, unknown> };
  for (const key of drop) delete body.properties[key];
  return edited(exchange, { responseBody: { ...body, properties: { ...body.properties, ...properties } } });
}

describe('ArmLabPlanGateway against recorded Lab Services traffic', () => {
  const getPatch = loadRecording('labplan-get-patch.json');
  const crud = loadRecording('labplan-crud-2022-08-01.json');
  const labCreate = loadRecording('lab-create-lro.json');
  const saveImage = loadRecording('labplan-save-image-lro.json');
  const example = loadRecording('labplan-patch.example.json');

  describe('reads', () => {
    it('getHost (2022-08-01, no deviation) and listHosts in the subscription', async () => {
      const planId = `/subscriptions/${SUB}/resourceGroups/testRG-7644/providers/Microsoft.LabServices/labPlans/sdklabplan-2624`;
      const { result, error, replay } = await withReplay([at(crud, 3), at(getPatch, 0)], { apiVersions: API }, async (r) => ({
        one: await gateway(r.connection).getHost(planId),
        all: await gateway(r.connection).listHosts(),
      }));
      expect(error).toBeUndefined();
      expect(replay.mismatches()).toEqual([]);
      expect(result?.one).toMatchObject({ id: planId, kind: 'labPlan', location: 'eastus', provisioningState: 'Succeeded', sharedGalleryId: undefined });
      expect(result?.all).toHaveLength(4);
    });

    it('getHost of a deleted plan: the problem+json 404 becomes notFound like an ARM one', async () => {
      const planId = `/subscriptions/${SUB}/resourceGroups/testRG-7644/providers/Microsoft.LabServices/labPlans/sdklabplan-2624`;
      const { error, replay } = await withReplay([at(crud, 10)], { apiVersions: API }, (r) => gateway(r.connection).getHost(planId));
      expect(replay.mismatches()).toEqual([]);
      expect(error).toMatchObject({ kind: 'notFound', detail: { status: 404, armCode: 'NotFound', armMessage: 'Not Found', target: 'sdklabplan-2624' } });
      expect((error as { detail: { correlationId?: string } }).detail.correlationId).toMatch(/^00-63b6e9bd/);
    });
  });

  describe('attach and detach: a PATCH answered 200 at once, then a re-read', () => {
    // The recorded PATCH changed the auto-shutdown profile; ours sets sharedGalleryId (unrecorded guess).
    const patchBodies = { apiVersions: API, ignoreBodyPaths: ['properties.sharedGalleryId', 'properties.defaultAutoShutdownProfile'] };

    it('attachGallery', async () => {
      const { result, error, replay } = await withReplay([at(getPatch, 1), at(getPatch, 2)], patchBodies, (r) => gateway(r.connection).attachGallery(PLAN_ID, GALLERY_ID));
      expect(error).toBeUndefined();
      expect(replay.mismatches()).toEqual([]);
      expect(replay.unserved()).toEqual([]);
      expect(result).toMatchObject({ id: PLAN_ID, sharedGalleryId: GALLERY_ID, provisioningState: 'Succeeded' });
    });

    it('detachGallery (the recorded answers edited to a plan without a gallery: a plan without one omits the field)', async () => {
      const exchanges = [withProperties(getPatch[1], {}, ['sharedGalleryId']), withProperties(getPatch[2], {}, ['sharedGalleryId'])];
      const { result, error, replay } = await withReplay(exchanges, patchBodies, (r) => gateway(r.connection).detachGallery(PLAN_ID));
      expect(error).toBeUndefined();
      expect(replay.mismatches()).toEqual([]);
      expect(replay.unserved()).toEqual([]);
      expect(result?.sharedGalleryId).toBeUndefined();
    });

    describe('the spec example (2022-08-01)', () => {
      const exampleBodies = { ignoreBodyPaths: ['properties.sharedGalleryId', 'properties.defaultConnectionProfile'] };
      const examplePlan = '/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/testrg123/providers/Microsoft.LabServices/labPlans/testlabplan';
      const exampleGallery = '/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/testrg123/providers/Microsoft.Compute/galleries/testsig';
      const reread = (provisioningState: string): RecordedExchange =>
        withProperties({ ...at(example, 0), method: 'GET', requestBody: undefined }, { provisioningState });
      // The Location has no query: the SDK adds its own api-version to a poll URL that lacks one.
      const poll = (body: unknown): RecordedExchange => ({ method: 'GET', url: `${at(example, 1).responseHeaders?.Location ?? ''}?api-version=2022-08-01`, status: 200, responseBody: body });

      it('200 variant: attach (the example has no GET: the PATCH answer is served to the re-read)', async () => {
        const { result, error, replay } = await withReplay([at(example, 0), reread('Succeeded')], exampleBodies, (r) => gateway(r.connection).attachGallery(examplePlan, exampleGallery));
        expect(error).toBeUndefined();
        expect(replay.mismatches()).toEqual([]);
        expect(result?.sharedGalleryId).toBe(exampleGallery);
      });

      it('202 variant with a bare Location: polled as given until 200, then re-read (poll and GET synthetic)', async () => {
        const exchanges = [at(example, 1), poll({ id: 'a64149d8', name: 'a64149d8', status: 'Succeeded' }), reread('Succeeded')];
        const { result, error, replay } = await withReplay(exchanges, exampleBodies, (r) => gateway(r.connection).attachGallery(examplePlan, exampleGallery));
        expect(error).toBeUndefined();
        expect(replay.mismatches()).toEqual([]);
        expect(replay.unserved()).toEqual([]);
        expect(result?.provisioningState).toBe('Succeeded');
      });

      it('202 variant ending 200 {status: Failed, error}: operationFailed with Azure\'s code and message (synthetic)', async () => {
        const failed = poll({ id: 'a64149d8', name: 'a64149d8', status: 'Failed', error: { code: 'SharedGalleryAttachFailed', message: 'The gallery could not be attached.' } });
        const { error, replay } = await withReplay([at(example, 1), failed, reread('Failed')], exampleBodies, (r) => gateway(r.connection).attachGallery(examplePlan, exampleGallery));
        expect(replay.mismatches()).toEqual([]);
        expect(error).toMatchObject({ kind: 'operationFailed', detail: { target: 'testlabplan', armCode: 'SharedGalleryAttachFailed', armMessage: 'The gallery could not be attached.' } });
      });
    });
  });

  describe('createLab: PUT 201 with Location = the lab, polled on the signed Azure-AsyncOperation, then GET', () => {
    // createLab reads its plan first: labplan-get-patch #2 is a GET of the very plan the lab recording used.
    const planRead = at(getPatch, 2);
    // The recorded lab was built from a Marketplace image (publisher/offer/sku/version, TemplateVM) with a GPU
    // setting; the bot builds from a gallery image (`imageReference.id`, the guess in labImageReferenceId) and
    // sets no additional capabilities. Our auto-shutdown profile sets the delays the recording left out.
    const labBodies = {
      apiVersions: API,
      ignoreBodyPaths: [
        'properties.virtualMachineProfile.imageReference',
        'properties.virtualMachineProfile.additionalCapabilities',
        'properties.autoShutdownProfile.disconnectDelay',
        'properties.autoShutdownProfile.noConnectDelay',
        'properties.autoShutdownProfile.idleDelay',
      ],
    };
    const params = {
      name: 'new-lab-record-powershell',
      title: 'new-lab-record-powershell',
      description: 'New lab description',
      image: IMAGE,
      vmSize: 'Classic_Fsv2_2_4GB_128_S_SSD',
      capacity: 3,
      usageQuotaHours: 0,
      adminUser: { username: 'testuser', password: 'REDACTED' },
      useSharedPassword: true,
    };

    it('succeeds', async () => {
      const exchanges = [planRead, at(labCreate, 0), at(labCreate, 1), at(labCreate, 2), at(labCreate, 3), at(labCreate, 3)];
      const { result, error, replay } = await withReplay(exchanges, labBodies, (r) => gateway(r.connection).createLab(PLAN_ID, params));
      expect(error).toBeUndefined();
      expect(replay.mismatches()).toEqual([]);
      expect(replay.unserved()).toEqual([]);
      expect(result).toMatchObject({ name: 'new-lab-record-powershell', provisioningState: 'Succeeded' });
    });

    it('fails (synthetic: no failed lab LRO was recorded): operationFailed with Azure\'s code and message', async () => {
      const failed = edited(labCreate[2], {
        responseBody: { ...(labCreate[2]?.responseBody as object), status: 'Failed', error: { code: 'LabCreationFailed', message: 'The template VM could not be created.' } },
      });
      const exchanges = [planRead, at(labCreate, 0), at(labCreate, 1), failed, withProperties(labCreate[3], { provisioningState: 'Failed' })];
      const { error, replay } = await withReplay(exchanges, labBodies, (r) => gateway(r.connection).createLab(PLAN_ID, params));
      expect(replay.mismatches()).toEqual([]);
      expect(error).toMatchObject({
        kind: 'operationFailed',
        detail: { target: 'new-lab-record-powershell', armCode: 'LabCreationFailed', armMessage: 'The template VM could not be created.' },
      });
    });
  });

  describe('saveImage: POST 202, polled on the signed Azure-AsyncOperation, result from Location (monitor=true)', () => {
    const post = at(saveImage, 0);
    // The recording dropped the intermediate polls of the Azure-AsyncOperation URL (README); one is put back,
    // answered with the recorded final operation result.
    const asyncPoll = (body: unknown): RecordedExchange => ({ method: 'GET', url: post.responseHeaders?.['Azure-AsyncOperation'] ?? '', status: 200, responseBody: body });
    // The adapter then looks for the saved image in the plan's list (synthetic empty list: not this recording's part).
    const imageList: RecordedExchange = { method: 'GET', url: `https://management.azure.com${PLAN_ID}/images?api-version=2021-10-01-preview`, status: 200, responseBody: { value: [] } };
    // listImages reads the plan first, for the gallery whose images it keeps (synthetic too: the recorded plan GET).
    const planGet: RecordedExchange = { method: 'GET', url: `https://management.azure.com${PLAN_ID}?api-version=2021-10-01-preview`, status: 200, responseBody: at(getPatch, 2).responseBody };
    const params = { name: 'UnitTestSave', labVirtualMachineId: `/subscriptions/${SUB}/resourceGroups/powershell-sdk-testing/providers/Microsoft.LabServices/labs/lab-record-powershell/virtualMachines/0` };
    // Only the recorded part is compared: the image list is listImages' own (another change may shape it).
    const recordedPart = (problems: string[]) => problems.filter((p) => !p.startsWith('#3 ') && !p.startsWith('#4 '));

    it('succeeds', async () => {
      const exchanges = [post, asyncPoll(at(saveImage, 1).responseBody), at(saveImage, 1), planGet, imageList];
      const { error, replay } = await withReplay(exchanges, { apiVersions: API }, (r) => gateway(r.connection).saveImage(PLAN_ID, params));
      expect(error).toBeUndefined();
      expect(recordedPart(replay.mismatches())).toEqual([]);
      expect(replay.served()).toBeGreaterThanOrEqual(3);
    });

    it('fails (synthetic): operationFailed with Azure\'s code and message', async () => {
      const failed = asyncPoll({ ...(at(saveImage, 1).responseBody as object), status: 'Failed', error: { code: 'ImageSaveFailed', message: 'The VM must be stopped.' } });
      const { error, replay } = await withReplay([post, failed, planGet, imageList], { apiVersions: API }, (r) => gateway(r.connection).saveImage(PLAN_ID, params));
      expect(replay.mismatches().filter((p) => !p.startsWith('#2 ') && !p.startsWith('#3 '))).toEqual([]);
      expect(error).toMatchObject({ kind: 'operationFailed', detail: { target: 'UnitTestSave', armCode: 'ImageSaveFailed', armMessage: 'The VM must be stopped.' } });
    });
  });
});
