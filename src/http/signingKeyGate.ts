import type { Logger } from '../ports/logger';

/** Where the keys of each kind of token are published (botbuilder's two OpenID metadata documents). */
export interface SigningKeySources {
  /** Tokens from Bot Framework channels (Teams): issuer `https://api.botframework.com`. */
  channel: { metadataUrl: string; issuer: string };
  /** Tokens from the Emulator and skills (Entra ID): the issuers botbuilder accepts there. */
  emulator: { metadataUrl: string; issuers: readonly string[] };
}

export interface SigningKeyGateOptions {
  now?: () => number;
  /** A key id not in the cached set refetches at most this often (botbuilder itself: once an hour). */
  unknownKeyRefetchMs?: number;
  /** After a failed fetch, none for this long: the set we have (or none) answers meanwhile. */
  failureBackoffMs?: number;
  /** Known keys are refreshed this often (botbuilder: 24 h). */
  maxAgeMs?: number;
  timeoutMs?: number;
}

/**
 * A cheap check before botbuilder validates a token: is its issuer one botbuilder accepts, and its `kid` in the
 * published key set? botbuilder refetches the OpenID metadata whenever a fetch failed, so without this gate every
 * bogus token costs an outbound request; here a failure or an unknown key is remembered for a while instead.
 * Passing the gate proves nothing: botbuilder still verifies signature, issuer, audience, expiry and serviceUrl.
 */
export class SigningKeyGate {
  private readonly channel: KeySet;
  private readonly emulator: KeySet;

  constructor(
    private readonly sources: SigningKeySources,
    log: Logger,
    options: SigningKeyGateOptions = {},
  ) {
    const settings: Required<SigningKeyGateOptions> = {
      now: options.now ?? Date.now,
      unknownKeyRefetchMs: options.unknownKeyRefetchMs ?? 5 * 60_000,
      failureBackoffMs: options.failureBackoffMs ?? 60_000,
      maxAgeMs: options.maxAgeMs ?? 24 * 3_600_000,
      timeoutMs: options.timeoutMs ?? 10_000,
    };
    this.channel = new KeySet(sources.channel.metadataUrl, settings, log);
    this.emulator = new KeySet(sources.emulator.metadataUrl, settings, log);
  }

  /** True when the token may be worth botbuilder's full validation. */
  async admits(token: string): Promise<boolean> {
    const parts = token.split('.');
    if (parts.length !== 3) return false;
    const header = decodeSegment(parts[0] ?? '');
    const payload = decodeSegment(parts[1] ?? '');
    if (!header || !payload || typeof header.kid !== 'string' || typeof payload.iss !== 'string') return false;
    if (payload.iss === this.sources.channel.issuer) return this.channel.has(header.kid);
    if (this.sources.emulator.issuers.includes(payload.iss)) return this.emulator.has(header.kid);
    return false;
  }
}

class KeySet {
  private kids: ReadonlySet<string> = new Set();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private failedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly metadataUrl: string,
    private readonly settings: Required<SigningKeyGateOptions>,
    private readonly log: Logger,
  ) {}

  async has(kid: string): Promise<boolean> {
    const now = this.settings.now();
    const stale = now - this.fetchedAt > this.settings.maxAgeMs;
    const worthRefetch = !this.kids.has(kid) && now - this.fetchedAt > this.settings.unknownKeyRefetchMs;
    if ((stale || worthRefetch) && now - this.failedAt > this.settings.failureBackoffMs) {
      // Concurrent requests share one fetch.
      this.loading ??= this.load().finally(() => (this.loading = undefined));
      await this.loading;
    }
    return this.kids.has(kid);
  }

  private async load(): Promise<void> {
    try {
      const metadata = await this.getJson(this.metadataUrl);
      const jwksUri = metadata.jwks_uri;
      if (typeof jwksUri !== 'string') throw new Error('OpenID metadata without jwks_uri');
      const jwks = await this.getJson(jwksUri);
      const keys = Array.isArray(jwks.keys) ? (jwks.keys as unknown[]) : [];
      this.kids = new Set(keys.flatMap((k) => (typeof k === 'object' && k !== null && 'kid' in k && typeof k.kid === 'string' ? [k.kid] : [])));
      this.fetchedAt = this.settings.now();
    } catch (error) {
      this.failedAt = this.settings.now();
      this.log.warn({ err: error, metadataUrl: this.metadataUrl }, 'could not load the Bot Framework signing keys; retrying later');
    }
  }

  private async getJson(url: string): Promise<Record<string, unknown>> {
    const response = await fetch(url, { signal: AbortSignal.timeout(this.settings.timeoutMs) });
    if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
    const body: unknown = await response.json();
    if (typeof body !== 'object' || body === null) throw new Error(`GET ${url}: not a JSON object`);
    return body as Record<string, unknown>;
  }
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
