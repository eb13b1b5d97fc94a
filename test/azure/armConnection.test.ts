import { createHttpHeaders, createPipelineRequest, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import { armSettingsFor, classicClientOptions, CLOUDS, createArmConnection, DEFAULT_FACADE_ORIGIN, isLocalArmEndpoint, lroOptions, modularClientOptions } from '../../src/azure/armConnection';
import { createFacadeHttpClient } from '../../src/azure/facadeHttpClient';
import { systemClock } from '../../src/ports/clock';

describe('createFacadeHttpClient', () => {
  it('sends facade requests to the emulator and restores request.url afterwards', async () => {
    const seen: string[] = [];
    const inner: HttpClient = {
      async sendRequest(request: PipelineRequest) {
        seen.push(`${request.url} insecure=${String(request.allowInsecureConnection)}`);
        return { status: 200, headers: createHttpHeaders(), request };
      },
    };
    const client = createFacadeHttpClient('https://management.azure.test/', 'http://127.0.0.1:4000', inner);
    const request = createPipelineRequest({ url: 'https://MANAGEMENT.azure.test/subscriptions/s?api-version=1' });
    const response = await client.sendRequest(request);
    expect(seen).toEqual(['http://127.0.0.1:4000/subscriptions/s?api-version=1 insecure=true']);
    expect(request.url).toBe('https://MANAGEMENT.azure.test/subscriptions/s?api-version=1');
    expect(response.request.url).toBe(request.url);

    await client.sendRequest(createPipelineRequest({ url: 'https://elsewhere.test/x' }));
    expect(seen[1]).toBe('https://elsewhere.test/x insecure=false');
  });

  it('restores request.url when sending fails', async () => {
    const inner: HttpClient = { sendRequest: () => Promise.reject(new Error('down')) };
    const request = createPipelineRequest({ url: 'https://management.azure.test/x' });
    await expect(createFacadeHttpClient('https://management.azure.test', 'http://127.0.0.1:1', inner).sendRequest(request)).rejects.toThrow('down');
    expect(request.url).toBe('https://management.azure.test/x');
  });
});

describe('createArmConnection', () => {
  it('targets Azure with the real endpoints in azure mode', () => {
    const c = createArmConnection({ mode: 'azure', subscriptionId: 's1', tenantId: 't1' });
    expect(c).toMatchObject({ mode: 'azure', subscriptionId: 's1', armEndpoint: 'https://management.azure.com', graphEndpoint: 'https://graph.microsoft.com' });
    expect(c.httpClient).toBeUndefined();
    expect(lroOptions(c)).toEqual({});
  });

  it('targets the emulator through the facade, with real token scopes and a static token', async () => {
    const c = createArmConnection(
      { mode: 'emulator', subscriptionId: 's1', emulatorUrl: 'http://127.0.0.1:4000', facadeOrigin: 'https://management.azure.test/' },
      { pollIntervalMs: 5, settleTimeoutMs: 50, retryOptions: { maxRetries: 1 } },
    );
    expect(c.armEndpoint).toBe('https://management.azure.test');
    expect(c.graphEndpoint).toBe('https://management.azure.test');
    expect(c.settle).toEqual({ intervalMs: 5, attempts: 10, clock: systemClock });
    expect((await c.credential.getToken(c.armScopes))?.token).toBeTruthy();
    expect(classicClientOptions(c)).toMatchObject({
      endpoint: 'https://management.azure.test',
      $host: 'https://management.azure.test',
      credentialScopes: ['https://management.azure.com/.default'],
      retryOptions: { maxRetries: 1 },
    });
    expect(modularClientOptions(c)).toMatchObject({ credentials: { scopes: ['https://management.azure.com/.default'] } });
    expect(lroOptions(c)).toEqual({ updateIntervalInMs: 5 });
  });
});

describe('clouds and ARM endpoints', () => {
  it.each([
    ['AzureCloud', 'https://management.azure.com', 'https://login.microsoftonline.com', 'https://graph.microsoft.com'],
    ['AzureUSGovernment', 'https://management.usgovcloudapi.net', 'https://login.microsoftonline.us', 'https://graph.microsoft.us'],
    ['AzureChinaCloud', 'https://management.chinacloudapi.cn', 'https://login.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn'],
  ] as const)('%s: ARM, authority host and Graph, with token scopes that follow', (cloud, arm, authority, graph) => {
    expect(CLOUDS[cloud]).toEqual({ arm, authorityHost: authority, graph });
    const c = createArmConnection({ mode: 'azure', subscriptionId: 's1', cloud });
    expect(c).toMatchObject({ mode: 'azure', armEndpoint: arm, graphEndpoint: graph, armScopes: [`${arm}/.default`], graphScopes: [`${graph}/.default`] });
    expect(classicClientOptions(c)).toMatchObject({ endpoint: arm, $host: arm, credentialScopes: [`${arm}/.default`] });
    expect(modularClientOptions(c)).toMatchObject({ endpoint: arm, credentials: { scopes: [`${arm}/.default`] } });
  });

  it('ARM_ENDPOINT over https (Azure Stack Hub) replaces the ARM endpoint and its token audience, keeping the cloud\'s Graph', () => {
    const settings = armSettingsFor({ subscriptionId: 's1', cloud: 'AzureCloud', armEndpoint: 'https://management.local.azurestack.external' });
    expect(settings).toEqual({ mode: 'azure', subscriptionId: 's1', cloud: 'AzureCloud', armEndpoint: 'https://management.local.azurestack.external' });
    const c = createArmConnection(settings);
    expect(c).toMatchObject({ armEndpoint: 'https://management.local.azurestack.external', armScopes: ['https://management.local.azurestack.external/.default'], graphEndpoint: 'https://graph.microsoft.com' });
  });

  it('a loopback http ARM_ENDPOINT is a local emulator: https facade, fixed development token', async () => {
    const settings = armSettingsFor({ subscriptionId: 's1', cloud: 'AzureCloud', armEndpoint: 'http://127.0.0.1:4010' });
    expect(settings).toEqual({ mode: 'emulator', subscriptionId: 's1', emulatorUrl: 'http://127.0.0.1:4010', facadeOrigin: DEFAULT_FACADE_ORIGIN });
    const c = createArmConnection(settings);
    expect(c.armEndpoint).toBe(DEFAULT_FACADE_ORIGIN);
    expect((await c.credential.getToken(c.armScopes))?.token).toBe('emulator-token');
  });

  it('refuses a non-loopback http endpoint even if the configuration let it through', () => {
    expect(isLocalArmEndpoint('http://127.0.0.1:1')).toBe(true);
    expect(isLocalArmEndpoint('http://localhost:1')).toBe(true);
    expect(isLocalArmEndpoint('https://127.0.0.1:1')).toBe(false);
    expect(isLocalArmEndpoint('http://10.1.2.3:1')).toBe(false);
    expect(() => armSettingsFor({ subscriptionId: 's1', cloud: 'AzureCloud', armEndpoint: 'http://10.1.2.3:1' })).toThrow(/only a loopback address may use http/);
  });
});
