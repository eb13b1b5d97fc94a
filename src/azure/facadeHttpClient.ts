import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';

/**
 * Lets the real SDKs talk to the local emulator: they address an https facade origin (their bearer
 * token policy refuses http), and this client sends the request to the emulator instead. `request.url`
 * is restored afterwards because core-lro builds the final GET of an operation from it.
 */
export function createFacadeHttpClient(facadeOrigin: string, emulatorUrl: string, inner: HttpClient = createDefaultHttpClient()): HttpClient {
  const from = stripTrailingSlash(facadeOrigin).toLowerCase();
  const to = stripTrailingSlash(emulatorUrl);
  return {
    async sendRequest(request) {
      const original = request.url;
      // ARM's absolute nextLinks name the default port (`https://management.azure.com:443/…`).
      const target = withoutDefaultPort(original);
      if (target.toLowerCase().startsWith(from)) {
        request.url = to + target.slice(from.length);
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

/** The emulator accepts any bearer token. */
export function createStaticTokenCredential(token = 'emulator-token'): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      return { token, expiresOnTimestamp: Number.MAX_SAFE_INTEGER };
    },
  };
}

function withoutDefaultPort(url: string): string {
  return url.replace(/^(https:\/\/[^/:?#]+):443(?=[/?#]|$)/i, '$1');
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
