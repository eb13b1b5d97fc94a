import type { Clock } from '../../ports/clock';

/** The scope of Azure Database for PostgreSQL's Entra tokens. */
export const POSTGRES_ENTRA_SCOPE = 'https://ossrdbms-aad.database.windows.net/.default';

/**
 * What the password provider needs of an Azure credential: `@azure/identity`'s DefaultAzureCredential fits
 * (the composition root builds it; storage/ does not import the Azure SDK).
 */
export interface AccessTokenSource {
  getToken(scopes: string | string[]): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

/** A token is replaced this long before it expires, so that no connection is opened with one about to lapse. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * The pool's `password` as an async function: pg calls it for every new connection. An Entra access token is the
 * password; it is cached and fetched again once within REFRESH_BEFORE_EXPIRY_MS of its expiry. Concurrent
 * connections share one request; a failed request is not cached.
 */
export function entraPasswordProvider(credential: AccessTokenSource, clock: Clock): () => Promise<string> {
  let cached: { token: string; expiresOnTimestamp: number } | undefined;
  let pending: Promise<string> | undefined;
  return () => {
    if (cached && clock.now() < cached.expiresOnTimestamp - REFRESH_BEFORE_EXPIRY_MS) return Promise.resolve(cached.token);
    pending ??= credential
      .getToken(POSTGRES_ENTRA_SCOPE)
      .then((token) => {
        if (!token) throw new Error(`no Entra token for ${POSTGRES_ENTRA_SCOPE}`);
        cached = token;
        return token.token;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
