import { ConfigError, loadConfig } from '../../src/config';
import { ManualClock } from '../../src/ports/clock';
import {
  connectionSettings,
  entraPasswordProvider,
  isLoopbackHost,
  POSTGRES_ENTRA_SCOPE,
  REFRESH_BEFORE_EXPIRY_MS,
  type AccessTokenSource,
} from '../../src/storage/postgres';

describe('DATABASE_URL → connection settings', () => {
  const azure = 'postgres://lab-gallery-bot@school.postgres.database.azure.com:5432/labgallery';

  it('requires TLS with a verified certificate for any host but loopback', () => {
    expect(connectionSettings(azure)).toEqual({
      host: 'school.postgres.database.azure.com',
      port: 5432,
      database: 'labgallery',
      user: 'lab-gallery-bot',
      ssl: { rejectUnauthorized: true, servername: 'school.postgres.database.azure.com' },
      location: 'school.postgres.database.azure.com:5432/labgallery',
    });
    for (const sslmode of ['prefer', 'require', 'allow', 'verify-ca']) {
      expect(connectionSettings(`${azure}?sslmode=${sslmode}`).ssl).toEqual({ rejectUnauthorized: true, servername: 'school.postgres.database.azure.com' });
    }
    expect(connectionSettings('postgres://bot:pw@10.0.0.4/db').ssl).toMatchObject({ rejectUnauthorized: true });
  });

  it('refuses sslmode=disable for a remote host rather than ignoring it', () => {
    expect(() => connectionSettings(`${azure}?sslmode=disable`)).toThrow('TLS is required for school.postgres.database.azure.com');
  });

  it('lets a loopback host go without TLS, unless sslmode asks for it', () => {
    for (const host of ['localhost', '127.0.0.1', '127.0.1.1', '[::1]']) {
      expect(connectionSettings(`postgres://bot:pw@${host}:5433/db`).ssl).toBe(false);
    }
    expect(connectionSettings('postgres://bot:pw@localhost/db?sslmode=require').ssl).toMatchObject({ rejectUnauthorized: true });
    expect(isLoopbackHost('127.0.0.1.example.com')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });

  it('decodes the user and password, and keeps the password out of the location', () => {
    const settings = connectionSettings('postgresql://bot%40school:p%2Fss%3Aword@localhost/lab%20db');
    expect(settings).toMatchObject({ user: 'bot@school', password: 'p/ss:word', database: 'lab db', port: 5432 });
    expect(settings.location).toBe('localhost:5432/lab db');
  });

  it('says what is missing', () => {
    expect(() => connectionSettings('mysql://bot@host/db')).toThrow('must start with postgres://');
    expect(() => connectionSettings('postgres://bot@host')).toThrow('names no database');
    expect(() => connectionSettings('postgres://host/db')).toThrow('names no user');
    expect(() => connectionSettings('not a url')).toThrow('is not a URL');
  });
});

describe('DATABASE_AUTH=entra password provider', () => {
  function fakeCredential(lifetimeMs: number, clock: ManualClock) {
    const scopes: (string | string[])[] = [];
    let issued = 0;
    const credential: AccessTokenSource = {
      async getToken(scope) {
        scopes.push(scope);
        issued += 1;
        return { token: `token-${issued}`, expiresOnTimestamp: clock.now() + lifetimeMs };
      },
    };
    return { credential, scopes, issued: () => issued };
  }

  it('asks for the Azure Database for PostgreSQL scope and reuses the token while it is fresh', async () => {
    const clock = new ManualClock();
    const fake = fakeCredential(60 * 60_000, clock);
    const password = entraPasswordProvider(fake.credential, clock);
    expect(await password()).toBe('token-1');
    clock.advance(30 * 60_000);
    expect(await password()).toBe('token-1');
    expect(fake.scopes).toEqual([POSTGRES_ENTRA_SCOPE]);
    expect(POSTGRES_ENTRA_SCOPE).toBe('https://ossrdbms-aad.database.windows.net/.default');
  });

  it('fetches a new token before the old one expires', async () => {
    const clock = new ManualClock();
    const fake = fakeCredential(60 * 60_000, clock);
    const password = entraPasswordProvider(fake.credential, clock);
    await password();
    clock.advance(60 * 60_000 - REFRESH_BEFORE_EXPIRY_MS - 1);
    expect(await password()).toBe('token-1');
    clock.advance(1);
    expect(await password()).toBe('token-2');
  });

  it('shares one request between connections opened together, and does not cache a failure', async () => {
    const clock = new ManualClock();
    const fake = fakeCredential(60 * 60_000, clock);
    const password = entraPasswordProvider(fake.credential, clock);
    expect(await Promise.all([password(), password(), password()])).toEqual(['token-1', 'token-1', 'token-1']);
    expect(fake.issued()).toBe(1);

    let fail = true;
    const flaky: AccessTokenSource = {
      getToken: async () => {
        if (fail) throw new Error('IMDS unavailable');
        return { token: 'late', expiresOnTimestamp: clock.now() + 60 * 60_000 };
      },
    };
    const retrying = entraPasswordProvider(flaky, clock);
    await expect(retrying()).rejects.toThrow('IMDS unavailable');
    fail = false;
    expect(await retrying()).toBe('late');
  });

  it('refuses a credential that gives no token', async () => {
    const password = entraPasswordProvider({ getToken: async () => null }, new ManualClock());
    await expect(password()).rejects.toThrow(`no Entra token for ${POSTGRES_ENTRA_SCOPE}`);
  });
});

describe('loadConfig: DATABASE_URL and DATABASE_AUTH', () => {
  const url = 'postgres://lab-gallery-bot@school.postgres.database.azure.com/labgallery';

  it('keeps SQLite when DATABASE_URL is unset', () => {
    expect(loadConfig({}).database).toBeUndefined();
  });

  it('selects PostgreSQL with password or Entra authentication', () => {
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ url, auth: 'password' });
    expect(loadConfig({ DATABASE_URL: url, DATABASE_AUTH: 'Entra' }).database).toEqual({ url, auth: 'entra' });
  });

  it('reports every database problem at once', () => {
    const problems = (env: Record<string, string>): readonly string[] => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ DATABASE_URL: 'mysql://x@y/z', DATABASE_AUTH: 'kerberos' })).toEqual([
      'DATABASE_AUTH must be one of password, entra (got "kerberos")',
      'DATABASE_URL must start with postgres:// (got mysql://)',
    ]);
    expect(problems({ DATABASE_AUTH: 'entra' })).toEqual([expect.stringContaining('DATABASE_AUTH=entra needs DATABASE_URL')]);
    expect(problems({ DATABASE_URL: 'postgres://bot:secret@host/db', DATABASE_AUTH: 'entra' })).toEqual([
      'DATABASE_URL must not carry a password with DATABASE_AUTH=entra',
    ]);
  });
});
