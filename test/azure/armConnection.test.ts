import { createHttpHeaders, createPipelineRequest, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import { classicClientOptions, createArmConnection, lroOptions, modularClientOptions } from '../../src/azure/armConnection';
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
