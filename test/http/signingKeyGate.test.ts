import { SigningKeyGate } from '../../src/http/signingKeyGate';
import { memoryLogger } from '../support/memoryLogger';
import { CHANNEL_ISSUER, KNOWN_KID, startTokenAuthority, type TokenAuthority } from './tokenAuthority';

describe('SigningKeyGate', () => {
  let authority: TokenAuthority;
  let now: number;
  let gate: SigningKeyGate;
  const token = (kid: string, iss = CHANNEL_ISSUER) => authority.sign({ iss }, { kid });

  beforeEach(async () => {
    authority = await startTokenAuthority();
    now = 1_000_000;
    gate = new SigningKeyGate(
      { channel: { metadataUrl: authority.metadataUrl, issuer: CHANNEL_ISSUER }, emulator: { metadataUrl: authority.metadataUrl, issuers: ['https://sts.example/'] } },
      memoryLogger(),
      { now: () => now, unknownKeyRefetchMs: 300_000, failureBackoffMs: 60_000 },
    );
  });

  afterEach(() => authority.close());

  it('admits a published key, and refuses unknown keys and issuers with one fetch for all of them', async () => {
    const answers = await Promise.all([token(KNOWN_KID), ...Array.from({ length: 10 }, (_, i) => token(`other-${i}`))].map((t) => gate.admits(t)));
    expect(answers).toEqual([true, ...Array<boolean>(10).fill(false)]);
    expect(await gate.admits(token(KNOWN_KID, 'https://attacker.example'))).toBe(false);
    expect(await gate.admits('not-a-token')).toBe(false);
    expect(authority.metadataFetches).toBe(1);
  });

  it('refetches for an unknown key only after the refetch interval', async () => {
    await gate.admits(token('new-key'));
    now += 299_000;
    await gate.admits(token('new-key'));
    expect(authority.metadataFetches).toBe(1);
    now += 2_000;
    await gate.admits(token('new-key'));
    expect(authority.metadataFetches).toBe(2);
  });

  it('remembers a failed fetch for the backoff, then tries again', async () => {
    authority.failing = true;
    for (let i = 0; i < 5; i++) expect(await gate.admits(token(KNOWN_KID))).toBe(false);
    expect(authority.metadataFetches).toBe(1);
    authority.failing = false;
    now += 61_000;
    expect(await gate.admits(token(KNOWN_KID))).toBe(true);
    expect(authority.metadataFetches).toBe(2);
  });
});
