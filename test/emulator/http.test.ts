import { API, q, startTestEmulator, type ArmErrorJson, type LabPlanProps, type ListJson, type ResourceJson, type TestEmulator } from './harness';

describe('emulator HTTP surface', () => {
  let t: TestEmulator;
  let planId: string;
  let rgPath: string;

  beforeAll(async () => {
    t = await startTestEmulator({
      seed: (state) => {
        planId = state.addLabPlan({ resourceGroup: 'rg-labs', name: 'physics-plan', location: 'westus2' });
        state.setServicePrincipal('c7bb12bf-0b39-4f7f-9171-f418ff39b76a', 'sp-object-id');
      },
    });
    rgPath = `/subscriptions/${t.sub}/resourceGroups/rg-labs`;
  });
  afterAll(() => t.close());

  it('tolerates //subscriptions and matches provider, type and names case-insensitively, answering canonical ids', async () => {
    const res = await t.call<ResourceJson<LabPlanProps>>('GET', q(`//subscriptions/${t.sub}/RESOURCEGROUPS/RG-LABS/providers/microsoft.labservices/LABPLANS/Physics-Plan`, API.plans));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(planId);
    expect(res.body.id).toBe(`/subscriptions/${t.sub}/resourceGroups/rg-labs/providers/Microsoft.LabServices/labPlans/physics-plan`);
    expect(res.body.type).toBe('Microsoft.LabServices/labPlans');
    expect(res.body.properties.provisioningState).toBe('Succeeded');
  });

  it('accepts the wire-identical 2023-06-07 api-version for lab plans', async () => {
    expect((await t.call('GET', q(planId, '2023-06-07'))).status).toBe(200);
  });

  it('requires api-version and answers the ARM error body', async () => {
    const missing = await t.call<ArmErrorJson>('GET', planId);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: { code: 'MissingApiVersionParameter', message: expect.any(String) } });
    const wrong = await t.call<ArmErrorJson>('GET', q(planId, '1999-01-01'));
    expect(wrong.status).toBe(400);
    expect(Object.keys(wrong.body)).toEqual(['error']);
    expect(wrong.body.error.code).toBe('NoRegisteredProviderFound');
  });

  it.each([
    [`/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-labs/providers/Microsoft.LabServices/labPlans/physics-plan`, 'SubscriptionNotFound'],
    [`/subscriptions/SUB/resourceGroups/nope/providers/Microsoft.LabServices/labPlans/physics-plan`, 'ResourceGroupNotFound'],
    [`/subscriptions/SUB/providers/Microsoft.Nothing/things`, 'NotFound'],
  ])('404 for %s', async (path, code) => {
    const res = await t.call<ArmErrorJson>('GET', q(path.replace('SUB', t.sub), API.plans));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
  });

  it('answers a missing Lab Services resource as Lab Services does: application/problem+json, no error object', async () => {
    const res = await t.call<Record<string, unknown>>('GET', q(`/subscriptions/${t.sub}/resourceGroups/rg-labs/providers/Microsoft.LabServices/labPlans/nope`, API.plans));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toEqual({ type: 'https://tools.ietf.org/html/rfc7231#section-6.5.4', title: 'Not Found', status: 404, traceId: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) });
  });

  it('answers 405 for a known path with an unsupported method', async () => {
    const res = await t.call<ArmErrorJson>('DELETE', q(planId, API.plans));
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('MethodNotAllowed');
  });

  it('rejects a body that is not JSON', async () => {
    const res = await t.call<ArmErrorJson>('PATCH', q(planId, API.plans), '{not json');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('InvalidRequestContent');
  });

  it('sends request ids, echoes the client correlation ids, and reports the remaining budget', async () => {
    const res = await t.call('GET', q(planId, API.plans), undefined, { 'x-ms-client-request-id': 'client-123' });
    expect(res.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-ms-correlation-request-id')).toBe('client-123');
    expect(res.headers.get('x-ms-client-request-id')).toBe('client-123');
    expect(Number(res.headers.get('x-ms-ratelimit-remaining-subscription-reads'))).toBeGreaterThan(0);
    const corr = await t.call('GET', q(planId, API.plans), undefined, { 'x-ms-correlation-request-id': 'corr-9' });
    expect(corr.headers.get('x-ms-correlation-request-id')).toBe('corr-9');
    const write = await t.call('PATCH', q(planId, API.plans), { properties: {} });
    expect(write.headers.get('x-ms-ratelimit-remaining-subscription-writes')).not.toBeNull();
    const error = await t.call('GET', planId);
    expect(error.headers.get('x-ms-request-id')).not.toBeNull();
  });

  it('logs every request with its operation name, path without query, and status', async () => {
    t.emulator.clearRequestLog();
    await t.call('GET', q(`${rgPath}/providers/Microsoft.LabServices/labPlans`, API.plans, '&%24top=5'));
    await t.call('GET', `${planId}`);
    expect(t.emulator.requestLog).toEqual([
      expect.objectContaining({ method: 'GET', path: `${rgPath}/providers/Microsoft.LabServices/labPlans`, query: { 'api-version': API.plans, $top: '5' }, status: 200, operation: 'labPlans.listByResourceGroup', time: t.clock.now() }),
      expect.objectContaining({ status: 400, operation: 'labPlans.get' }),
    ]);
  });

  it('lists physical regions with geography metadata, and logical ones that callers must filter out', async () => {
    const res = await t.call<ListJson<{ name: string; displayName: string; metadata: { regionType: string; geography: string; geographyGroup: string; pairedRegion?: { name: string }[] } }>>(
      'GET',
      q(`/subscriptions/${t.sub}/locations`, API.subs),
    );
    expect(res.status).toBe(200);
    const westus = res.body.value.find((l) => l.name === 'westus');
    expect(westus).toMatchObject({ displayName: 'West US', metadata: { regionType: 'Physical', geography: 'United States', geographyGroup: 'US', pairedRegion: [{ name: 'eastus' }] } });
    const physical = res.body.value.filter((l) => l.metadata.regionType === 'Physical');
    expect(physical.filter((l) => l.metadata.geography === 'Europe').map((l) => l.name).sort()).toEqual(['northeurope', 'westeurope']);
    expect(physical).toHaveLength(30);
    expect(res.body.value.some((l) => l.metadata.regionType === 'Logical')).toBe(true);
  });

  it('serves Microsoft Graph service principals by app id', async () => {
    const known = await t.call<{ id: string; appId: string; displayName: string }>('GET', "/v1.0/servicePrincipals(appId='c7bb12bf-0b39-4f7f-9171-f418ff39b76a')");
    expect(known.status).toBe(200);
    expect(known.body).toMatchObject({ id: 'sp-object-id', appId: 'c7bb12bf-0b39-4f7f-9171-f418ff39b76a', displayName: expect.any(String) });
    const encoded = await t.call('GET', '/v1.0/servicePrincipals(appId=%27c7bb12bf-0b39-4f7f-9171-f418ff39b76a%27)');
    expect(encoded.status).toBe(200);
    const unknown = await t.call<ArmErrorJson>('GET', "/v1.0/servicePrincipals(appId='1a14be2a-e903-4cec-99cf-b2e209259a0f')");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('Request_ResourceNotFound');
  });
});
