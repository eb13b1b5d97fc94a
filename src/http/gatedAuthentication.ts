import {
  AuthenticationError,
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';
import type { Logger } from '../ports/logger';
import type { SigningKeyGate } from './signingKeyGate';

const UNAUTHORIZED = 401;

/**
 * botbuilder's authentication, with two changes at the door: a token whose key is unknown is refused by the
 * SigningKeyGate without a metadata fetch, and every failure is an AuthenticationError (401). botbuilder lets
 * some through as plain errors (e.g. jsonwebtoken's "invalid algorithm"), which CloudAdapter answers with 500.
 */
export class GatedAuthentication extends BotFrameworkAuthentication {
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    /** Absent when authentication is off (no app id): botbuilder then lets every request in. */
    private readonly gate: SigningKeyGate | undefined,
    private readonly log: Logger,
  ) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.guard(authHeader, () => this.inner.authenticateRequest(activity, authHeader));
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.guard(authHeader, () => this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.guard(authHeader, () => this.inner.authenticateChannelRequest(authHeader));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.inner.createConnectorFactory(claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  private async guard<T>(authHeader: string, authenticate: () => Promise<T>): Promise<T> {
    if (this.gate) {
      const [scheme, token, ...rest] = authHeader.trim().split(' ');
      if (scheme !== 'Bearer' || !token || rest.length || !(await this.gate.admits(token))) {
        this.log.warn({ reason: 'no token, or its issuer or signing key is unknown' }, 'request refused: not authenticated');
        throw new AuthenticationError('Unauthorized', UNAUTHORIZED);
      }
    }
    try {
      return await authenticate();
    } catch (error) {
      this.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'request refused: not authenticated');
      throw new AuthenticationError('Unauthorized', UNAUTHORIZED);
    }
  }
}
