import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';

/**
 * Test-only copy of the facade wiring: the SDKs address `https://management.azure.test` (their token
 * policy refuses http) and this client sends to the emulator, restoring request.url afterwards.
 */
export function facadeHttpClient(facadeOrigin: string, emulatorUrl: string): HttpClient {
  const inner = createDefaultHttpClient();
  return {
    async sendRequest(request) {
      const original = request.url;
      if (original.toLowerCase().startsWith(facadeOrigin.toLowerCase())) {
        request.url = emulatorUrl + original.slice(facadeOrigin.length);
        request.allowInsecureConnection = true;
      }
      try {
        return await inner.sendRequest(request);
      } finally {
        request.url = original;
      }
    },
  };
}

export const staticCredential: TokenCredential = {
  getToken: (): Promise<AccessToken> => Promise.resolve({ token: 'sdk-test-token', expiresOnTimestamp: Date.UTC(2100, 0, 1) }),
};

export const ARM_SCOPES = ['https://management.azure.com/.default'];
