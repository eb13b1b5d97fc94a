import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { runFixturesDir } from '../support/tempDirGuard';

export const CHANNEL_ISSUER = 'https://api.botframework.test';
export const KNOWN_KID = 'test-key-1';

export interface TokenAuthority {
  /** OpenID metadata document (its jwks_uri points back here). */
  metadataUrl: string;
  /** GETs of the metadata document so far. */
  metadataFetches: number;
  /** Answer 500 to everything from now on. */
  failing: boolean;
  /** An RS256 token signed with the published key, unless told otherwise. */
  sign(claims: Record<string, unknown>, options?: SignOptions): string;
  close(): Promise<void>;
}

export interface SignOptions {
  kid?: string;
  /** Sign with a key that is not published (under `kid`, default KNOWN_KID). */
  foreignKey?: boolean;
  /** alg none, no signature. */
  unsigned?: boolean;
  /** HS256 with this secret (the app password, as an attacker would try). */
  hmacSecret?: string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A stand-in for login.botframework.com: OpenID metadata and a JWKS with one RSA key, and a token signer. */
export async function startTokenAuthority(): Promise<TokenAuthority> {
  const published = runKeyPair('published');
  const foreign = runKeyPair('foreign');
  const jwk = { ...published.publicKey.export({ format: 'jwk' }), kid: KNOWN_KID, use: 'sig', alg: 'RS256' };
  let base = '';
  const authority: TokenAuthority = {
    metadataUrl: '',
    metadataFetches: 0,
    failing: false,
    sign(claims, options = {}) {
      const kid = options.kid ?? KNOWN_KID;
      if (options.unsigned) return `${b64({ alg: 'none', typ: 'JWT', kid })}.${b64(claims)}.`;
      if (options.hmacSecret !== undefined) {
        const data = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${b64(claims)}`;
        return `${data}.${crypto.createHmac('sha256', options.hmacSecret).update(data).digest('base64url')}`;
      }
      const data = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
      const key = options.foreignKey ? foreign.privateKey : published.privateKey;
      return `${data}.${crypto.sign('RSA-SHA256', Buffer.from(data), key).toString('base64url')}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/v1/.well-known/openidconfiguration') authority.metadataFetches++;
    if (authority.failing) return send(500, { error: 'down' });
    if (req.url === '/v1/.well-known/openidconfiguration') return send(200, { issuer: CHANNEL_ISSUER, jwks_uri: `${base}/v1/keys` });
    if (req.url === '/v1/keys') return send(200, { keys: [jwk] });
    return send(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  authority.metadataUrl = `${base}/v1/.well-known/openidconfiguration`;
  return authority;
}

/**
 * An RSA key pair of the run, made by the first test that asks (in the run's fixtures folder) and read by the
 * others: making one costs 0.1–0.5 s of CPU, and the authorities of a run need only two.
 */
function runKeyPair(name: 'published' | 'foreign'): { publicKey: crypto.KeyObject; privateKey: crypto.KeyObject } {
  const file = path.join(runFixturesDir(), `token-authority-${name}.pem`);
  if (!fs.existsSync(file)) {
    const pem = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    // Jest's workers may make it at the same time: each one's is written whole, then renamed into place.
    const scratch = `${file}.${process.pid}`;
    fs.writeFileSync(scratch, pem);
    fs.renameSync(scratch, file);
  }
  const privateKey = crypto.createPrivateKey(fs.readFileSync(file));
  return { privateKey, publicKey: crypto.createPublicKey(privateKey) };
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

/** A serviceUrl that records every request it gets (any path) and answers like the Bot Connector. */
export async function startRecorder(): Promise<{ url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${requests.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
