import { teamsMessage } from '../support/captureConnector';
import { APP_ID, APP_PASSWORD, OUTBOUND_TOKEN, startAuthedServer, type AuthedServer } from './authedServer';
import { CHANNEL_ISSUER, startRecorder, startTokenAuthority, type SignOptions, type TokenAuthority } from './tokenAuthority';

/** Real tokens against the real server: botbuilder's validation, our gate and answers, a local key server. */
describe('Bot Framework authentication with app credentials set', () => {
  let authority: TokenAuthority;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let bot: AuthedServer;

  beforeAll(async () => {
    authority = await startTokenAuthority();
    recorder = await startRecorder();
    bot = await startAuthedServer(authority.metadataUrl);
  });

  afterAll(async () => {
    await bot.close();
    await recorder.close();
    await authority.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) => ({
    iss: CHANNEL_ISSUER,
    aud: APP_ID,
    nbf: now() - 60,
    exp: now() + 3600,
    serviceurl: recorder.url,
    ...overrides,
  });
  const post = async (token: string | undefined, text = 'help') => {
    const response = await fetch(`${bot.server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(teamsMessage(recorder.url, text)),
    });
    return { status: response.status, body: await response.text() };
  };
  /** Lets a turn that wrongly started reach the recorder or the emulator before we count. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

  it('runs the turn for a valid token, and replies with the bot’s own credentials', async () => {
    const { status } = await post(authority.sign(claims()));
    expect(status).toBe(200);
    expect(bot.turns).toHaveLength(1);
    const replies = recorder.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/v3/conversations/'));
    expect(replies.length).toBeGreaterThanOrEqual(1);
    expect(replies[0]?.authorization).toBe(`Bearer ${OUTBOUND_TOKEN}`);
    expect(replies[0]?.body).toContain('Commands you can run here');
  });

  const forged: [string, () => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['wrong audience', () => authority.sign(claims({ aud: '11111111-2222-3333-4444-555555555555' }))],
    ['wrong issuer', () => authority.sign(claims({ iss: 'https://attacker.example' }))],
    ['expired (past the 5-minute leeway)', () => authority.sign(claims({ nbf: now() - 7200, exp: now() - 3600 }))],
    ['a key id not published', () => authority.sign(claims(), { kid: 'unknown-key', foreignKey: true })],
    ['a published key id, signed by another key', () => authority.sign(claims(), { foreignKey: true })],
    ['alg none', () => authority.sign(claims(), { unsigned: true } satisfies SignOptions)],
    ['HS256 signed with the app password', () => authority.sign(claims(), { hmacSecret: APP_PASSWORD })],
    ['a serviceUrl claim other than the activity’s', () => authority.sign(claims({ serviceurl: 'http://127.0.0.1:9/elsewhere' }))],
    ['not a JWT', () => 'not.a.jwt'],
  ];

  it.each(forged)('refuses %s: 401, no turn, no outbound request, no ARM request', async (_name, token) => {
    const turns = bot.turns.length;
    const outbound = recorder.requests.length;
    bot.azure.emulator.clearRequestLog();
    const { status, body } = await post(token());
    await settle();
    expect(status).toBe(401);
    expect(JSON.parse(body)).toEqual({ error: 'Unauthorized' });
    expect(bot.turns).toHaveLength(turns);
    expect(recorder.requests).toHaveLength(outbound);
    expect(bot.azure.emulator.requestLog).toHaveLength(0);
  });
});

describe('OpenID metadata fetches under bogus tokens', () => {
  const bogus = (authority: TokenAuthority, i: number) =>
    authority.sign(
      { iss: CHANNEL_ISSUER, aud: APP_ID, exp: Math.floor(Date.now() / 1000) + 3600, serviceurl: 'http://127.0.0.1:9' },
      { kid: `bogus-${i}`, foreignKey: true },
    );

  it.each([
    ['while the metadata server is up', false],
    ['while the metadata server fails', true],
  ])('20 bogus tokens cost at most 2 metadata fetches %s, and each is a clean 401', async (_name, failing) => {
    const authority = await startTokenAuthority();
    authority.failing = failing;
    const bot = await startAuthedServer(authority.metadataUrl);
    try {
      for (let i = 0; i < 20; i++) {
        const response = await fetch(`${bot.server.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${bogus(authority, i)}` },
          body: JSON.stringify(teamsMessage('http://127.0.0.1:9', 'help')),
        });
        expect(response.status).toBe(401);
        const text = await response.text();
        expect(text).not.toContain(authority.metadataUrl);
        expect(text).not.toMatch(/openid|Failed to load/i);
      }
      process.stdout.write(`metadata fetches for 20 bogus tokens (${failing ? 'failing' : 'healthy'} server): ${authority.metadataFetches}\n`);
      expect(authority.metadataFetches).toBeLessThanOrEqual(2);
      expect(bot.turns).toHaveLength(0);
    } finally {
      await bot.close();
      await authority.close();
    }
  });
});
