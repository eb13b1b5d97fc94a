import { loadRecording, type RecordedExchange } from '../support/armReplay';
import { API, q, startTestEmulator, type ApiResponse, type TestEmulator } from './harness';

/**
 * The emulator's answers against the recorded ones (test/fixtures/azure-recordings): status, which LRO headers,
 * the shape of their URLs (path template and query keys; values, ids and signatures are not compared) and the
 * keys of operation bodies. Not emulated: creating a lab plan (labplan-create-2021-10-01-preview.json) — the bot
 * never does.
 */
const LRO_HEADERS = ['location', 'azure-asyncoperation', 'operation-location'];

/** `https://host/subscriptions/<sub>/…/<guid>?a=1&b=2` → `/subscriptions/{sub}/…/{id}?a&b` (query keys sorted). */
function urlShape(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const parsed = new URL(url);
  const path = parsed.pathname
    .replace(/\/subscriptions\/[^/]+/i, '/subscriptions/{sub}')
    .replace(/\/resourceGroups\/[^/]+/i, '/resourceGroups/{rg}')
    .replace(/\/locations\/[^/]+/i, '/locations/{region}')
    .replace(/\/(operationResults|capsOperations|operationresults)\/[^/]+/i, '/$1/{id}')
    .replace(/\/(labs|labPlans|galleries|images|versions)\/[^/]+/gi, '/$1/{name}');
  const keys = [...parsed.searchParams.keys()];
  return `${path}?${keys.join('&')}`;
}

function recordedHeaders(exchange: RecordedExchange | undefined): Record<string, string | undefined> {
  const headers = Object.fromEntries(Object.entries(exchange?.responseHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.fromEntries(LRO_HEADERS.map((h) => [h, urlShape(headers[h])]));
}

function answeredHeaders(response: ApiResponse<unknown>): Record<string, string | undefined> {
  return Object.fromEntries(LRO_HEADERS.map((h) => [h, urlShape(response.headers.get(h))]));
}

function keysOf(body: unknown): string[] {
  return Object.keys((body ?? {}) as object).sort();
}

function exchange(recording: RecordedExchange[], index: number): RecordedExchange {
  const found = recording[index];
  if (!found) throw new Error(`no exchange #${index}`);
  return found;
}

describe('the emulator answers as the recordings show', () => {
  let t: TestEmulator;
  let planId: string;
  let galleryId: string;
  let definitionId: string;
  const labPath = () => `/subscriptions/${t.sub}/resourceGroups/rg/providers/Microsoft.LabServices/labs/lab1`;
  const labBody = () => ({
    location: 'westus2',
    properties: { labPlanId: planId, virtualMachineProfile: { createOption: 'Image', imageReference: { id: definitionId }, sku: { name: 'x', capacity: 1 }, usageQuota: 'PT1H', adminUser: { username: 'a', password: 'b' } } },
  });

  beforeEach(async () => {
    t = await startTestEmulator({
      seed: (state) => {
        galleryId = state.addGallery({ resourceGroup: 'rg', name: 'g', location: 'westus2' });
        definitionId = state.addImageDefinition({ galleryId, name: 'win11', osType: 'Windows', osState: 'Generalized' });
        state.addImageVersion({ definitionId, name: '1.1.2', targetRegions: ['westus2'], replicationDurationsMs: 0 });
        planId = state.addLabPlan({ resourceGroup: 'rg', name: 'plan', location: 'westus2', sharedGalleryId: galleryId });
      },
    });
  });
  afterEach(() => t.close());

  it('lab create (lab-create-lro #0–#2): 201, Location = the lab, signed Azure-AsyncOperation, unsigned Operation-Location; polls 200 {id,name,status,startTime[,endTime]}', async () => {
    const recording = loadRecording('lab-create-lro.json');
    const res = await t.call('PUT', q(labPath(), API.plans), labBody());
    expect(res.status).toBe(exchange(recording, 0).status);
    expect(answeredHeaders(res)).toEqual(recordedHeaders(recording[0]));
    const asyncUrl = res.headers.get('azure-asyncoperation') ?? '';
    const running = await t.follow(asyncUrl);
    expect(running.status).toBe(exchange(recording, 1).status);
    expect(keysOf(running.body)).toEqual(keysOf(exchange(recording, 1).responseBody));
    const done = await t.follow(asyncUrl);
    expect(keysOf(done.body)).toEqual(keysOf(exchange(recording, 2).responseBody));
  });

  it('lab delete (lab-create-lro #4–#5, labplan-crud #7): 202 with Location …&monitor=true and the operation result; the monitor URL answers 200 once done', async () => {
    const recording = loadRecording('lab-create-lro.json');
    const crud = loadRecording('labplan-crud-2022-08-01.json');
    await t.call('PUT', q(labPath(), API.plans), labBody());
    await t.call('GET', q(labPath(), API.plans));
    await t.call('GET', q(labPath(), API.plans));
    const res = await t.call('DELETE', q(labPath(), API.plans));
    expect(res.status).toBe(exchange(recording, 4).status);
    expect(answeredHeaders(res)).toEqual(recordedHeaders(recording[4]));
    expect(keysOf(res.body)).toEqual(keysOf(exchange(crud, 7).responseBody));
    await t.follow(res.headers.get('azure-asyncoperation') ?? '');
    const done = await t.follow(res.headers.get('location') ?? '');
    expect(done.status).toBe(exchange(recording, 5).status);
    expect(keysOf(done.body)).toEqual(keysOf(exchange(recording, 5).responseBody));
  });

  it('saveImage (labplan-save-image-lro #0): 202 with the three headers and the operation result', async () => {
    const recording = loadRecording('labplan-save-image-lro.json');
    const res = await t.call('POST', q(`${planId}/saveImage`, API.plans), { name: 'UnitTestSave', labVirtualMachineId: `${labPath()}/virtualMachines/0` });
    expect(res.status).toBe(exchange(recording, 0).status);
    expect(answeredHeaders(res)).toEqual(recordedHeaders(recording[0]));
    expect(keysOf(res.body)).toEqual(keysOf(exchange(recording, 0).responseBody));
  });

  it('lab plan PATCH (labplan-get-patch #1, labplan-crud #5): 200 at once, no LRO header, the whole plan', async () => {
    const recording = loadRecording('labplan-get-patch.json');
    const res = await t.call<{ properties: Record<string, unknown> }>('PATCH', q(planId, API.plans), exchange(recording, 1).requestBody);
    expect(res.status).toBe(exchange(recording, 1).status);
    expect(answeredHeaders(res)).toEqual(recordedHeaders(recording[1]));
    expect(res.body.properties).toMatchObject({ provisioningState: 'Succeeded', sharedGalleryId: galleryId, defaultAutoShutdownProfile: { disconnectDelay: 'PT17M' } });
  });

  it('a missing lab plan (labplan-crud #10): 404 application/problem+json with the recorded keys', async () => {
    const crud = loadRecording('labplan-crud-2022-08-01.json');
    const res = await t.call('GET', q(planId.replace(/plan$/, 'gone'), API.plans));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe(exchange(crud, 10).responseHeaders?.['Content-Type']);
    expect(keysOf(res.body)).toEqual(keysOf(exchange(crud, 10).responseBody));
  });

  it('gallery create and delete (gallery-create-delete #0, #1, #9): 201 + Azure-AsyncOperation only; 202 + both, empty body', async () => {
    const recording = loadRecording('gallery-create-delete.json');
    const path = `/subscriptions/${t.sub}/resourceGroups/rg/providers/Microsoft.Compute/galleries/gallery_000003`;
    const created = await t.call('PUT', q(path, API.compute), exchange(recording, 0).requestBody);
    expect(created.status).toBe(201);
    expect(answeredHeaders(created)).toEqual(recordedHeaders(recording[0]));
    await t.follow(created.headers.get('azure-asyncoperation') ?? '');
    const done = await t.follow(created.headers.get('azure-asyncoperation') ?? '');
    expect(keysOf(done.body)).toEqual(keysOf(exchange(recording, 1).responseBody));
    const deleted = await t.call('DELETE', q(path, API.compute));
    expect(deleted.status).toBe(exchange(recording, 9).status);
    expect(answeredHeaders(deleted)).toEqual(recordedHeaders(recording[9]));
    expect(deleted.body).toBeUndefined();
  });

  it('version region update (gallery-image-version-create-update #6): the recorded full PUT answers 200 Updating with the recorded regions', async () => {
    const recording = loadRecording('gallery-image-version-create-update.json');
    const put = exchange(recording, 6);
    const res = await t.call<{ properties: { provisioningState: string; publishingProfile: { targetRegions: unknown[]; replicaCount: number } } }>(
      'PUT',
      q(`${definitionId}/versions/1.1.2`, API.compute),
      put.requestBody,
    );
    expect(res.status).toBe(put.status);
    expect(answeredHeaders(res)).toEqual(recordedHeaders(put));
    const recorded = put.responseBody as { properties: { provisioningState: string; publishingProfile: { targetRegions: unknown[]; replicaCount: number } } };
    expect(res.body.properties.provisioningState).toBe(recorded.properties.provisioningState);
    // Names as display names, East US 2 without a count inheriting replicaCount 2, Standard_LRS filled in.
    expect(res.body.properties.publishingProfile.targetRegions).toEqual(recorded.properties.publishingProfile.targetRegions);
    expect(res.body.properties.publishingProfile.replicaCount).toBe(recorded.properties.publishingProfile.replicaCount);
  });

  it('fails the next operation of a resource on request over the admin endpoint (no failed Lab Services LRO was recorded)', async () => {
    const added = await t.call<{ id: string }>('POST', '/_admin/faults', { method: 'PUT', path: 'labs/lab1$', failOperation: true, code: 'LabCreationFailed', message: 'no capacity', times: 1 });
    expect(added.status).toBe(201);
    const res = await t.call('PUT', q(labPath(), API.plans), labBody());
    const asyncUrl = res.headers.get('azure-asyncoperation') ?? '';
    await t.follow(asyncUrl);
    expect((await t.follow(asyncUrl)).body).toMatchObject({ status: 'Failed', error: { code: 'LabCreationFailed', message: 'no capacity' } });
    expect((await t.call('DELETE', '/_admin/faults')).status).toBe(204);
    expect((await t.call('POST', '/_admin/faults', { path: '(' })).status).toBe(400);
  });
});
