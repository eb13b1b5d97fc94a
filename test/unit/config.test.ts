import { ConfigError, loadConfig } from '../../src/config';

const GUID = '11111111-2222-3333-4444-555555555555';

describe('loadConfig', () => {
  it('gives the demo defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3978);
    expect(config.mode).toBe('demo');
    expect(config.dataDir).toBe('./data');
    expect(config.botFramework).toEqual({ appId: '', appPassword: '', appType: 'MultiTenant', appTenantId: '' });
    expect(config.log).toEqual({ level: 'info', format: 'json' });
    expect(config.geographyMatch).toBe('geography');
  });

  it('is frozen, deeply', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.access.adminIds)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow();
  });

  it('reads Bot Framework keys, Azure mode and role lists', () => {
    const config = loadConfig({
      PORT: '4000',
      MicrosoftAppId: GUID,
      MicrosoftAppPassword: 's3cret',
      MicrosoftAppType: 'singletenant',
      MicrosoftAppTenantId: GUID,
      AZURE_SUBSCRIPTION_ID: GUID,
      ADMIN_AAD_OBJECT_IDS: `${GUID.toUpperCase()}, ${GUID.replace('1111', 'aaaa')}`,
      LOG_LEVEL: 'debug',
    });
    expect(config.port).toBe(4000);
    expect(config.botFramework.appType).toBe('SingleTenant');
    expect(config.mode).toBe('azure');
    expect(config.azure?.subscriptionId).toBe(GUID);
    expect(config.access.adminIds).toEqual([GUID, GUID.replace('1111', 'aaaa')]);
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        MicrosoftAppId: 'not-a-guid',
        MicrosoftAppType: 'Sometimes',
        LOG_LEVEL: 'loud',
        ADMIN_AAD_OBJECT_IDS: 'bob',
        DEMO_TIME_SCALE: '-1',
        GEOGRAPHY_MATCH: 'continent',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(8);
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/MicrosoftAppId must be a GUID/);
    expect(problems.join('\n')).toMatch(/MicrosoftAppType must be one of/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/);
    expect(problems.join('\n')).toMatch(/ADMIN_AAD_OBJECT_IDS .*bob/);
    expect(problems.join('\n')).toMatch(/DEMO_TIME_SCALE/);
    expect(problems.join('\n')).toMatch(/GEOGRAPHY_MATCH/);
  });

  it('requires the password with an app id, and never echoes it', () => {
    expect(() => loadConfig({ MicrosoftAppId: GUID })).toThrow(/MicrosoftAppPassword is required/);
    try {
      loadConfig({ MicrosoftAppPassword: 'hunter2', PORT: 'x' });
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('hunter2');
    }
  });
});

describe('ALLOWED_TENANT_IDS', () => {
  const SUB = '99999999-2222-3333-4444-555555555555';
  const TENANT = 'AAAAAAAA-2222-3333-4444-555555555555';

  it.each([
    ['the demo: any tenant', {}, []],
    // Azure mode needs app credentials off loopback; a loopback HOST keeps these cases about tenants.
    ['Azure mode: the subscription tenant', { AZURE_SUBSCRIPTION_ID: SUB, AZURE_TENANT_ID: TENANT, HOST: '127.0.0.1' }, [TENANT.toLowerCase()]],
    ['a list, lower-cased', { AZURE_SUBSCRIPTION_ID: SUB, AZURE_TENANT_ID: TENANT, HOST: '127.0.0.1', ALLOWED_TENANT_IDS: `${GUID}, ${TENANT}` }, [GUID, TENANT.toLowerCase()]],
    ['the demo with a list', { ALLOWED_TENANT_IDS: GUID }, [GUID]],
  ])('%s', (_name, env, expected) => {
    expect(loadConfig(env).allowedTenantIds).toEqual(expected);
  });

  it('reports an entry that is not a tenant id', () => {
    expect(() => loadConfig({ ALLOWED_TENANT_IDS: 'contoso.com' })).toThrow(/ALLOWED_TENANT_IDS/);
  });
});

describe('loadConfig: clouds and ARM_ENDPOINT', () => {
  const problemsOf = (env: Record<string, string>): readonly string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('defaults to the public cloud, no endpoint override', () => {
    expect(loadConfig({}).cloud).toEqual({ name: 'AzureCloud' });
  });

  it('reads AZURE_CLOUD case-insensitively and refuses unknown clouds', () => {
    expect(loadConfig({ AZURE_CLOUD: 'azureusgovernment' }).cloud.name).toBe('AzureUSGovernment');
    expect(loadConfig({ AZURE_CLOUD: 'AzureChinaCloud' }).cloud.name).toBe('AzureChinaCloud');
    expect(problemsOf({ AZURE_CLOUD: 'AzureGermanCloud' })).toEqual([expect.stringContaining('AZURE_CLOUD must be one of AzureCloud, AzureUSGovernment, AzureChinaCloud')]);
  });

  it('takes an https endpoint (Azure Stack Hub) or a loopback http one (a local emulator), as an origin', () => {
    expect(loadConfig({ AZURE_SUBSCRIPTION_ID: GUID, HOST: '127.0.0.1', ARM_ENDPOINT: 'https://management.local.azurestack.external/' }).cloud.armEndpoint).toBe('https://management.local.azurestack.external');
    expect(loadConfig({ AZURE_SUBSCRIPTION_ID: GUID, HOST: '127.0.0.1', ARM_ENDPOINT: 'http://127.0.0.1:4010' }).cloud.armEndpoint).toBe('http://127.0.0.1:4010');
    expect(loadConfig({ AZURE_SUBSCRIPTION_ID: GUID, HOST: '127.0.0.1', ARM_ENDPOINT: 'http://localhost:4010' }).cloud.armEndpoint).toBe('http://localhost:4010');
    expect(loadConfig({ AZURE_SUBSCRIPTION_ID: GUID, HOST: '127.0.0.1', ARM_ENDPOINT: 'http://[::1]:4010' }).cloud.armEndpoint).toBe('http://[::1]:4010');
  });

  it('refuses plain http anywhere but on a loopback address, with a clear reason', () => {
    for (const endpoint of ['http://10.0.0.5:4010', 'http://emulator.internal', 'http://127.0.0.1.nip.io', 'http://0.0.0.0:4010']) {
      expect(problemsOf({ AZURE_SUBSCRIPTION_ID: GUID, HOST: '127.0.0.1', ARM_ENDPOINT: endpoint })).toEqual([expect.stringMatching(/ARM_ENDPOINT .* plain http on a non-loopback host: tokens would travel unencrypted/)]);
    }
  });

  it('refuses endpoints that are not URLs, other schemes, paths, and an endpoint without a subscription', () => {
    expect(problemsOf({ AZURE_SUBSCRIPTION_ID: GUID, HOST: '127.0.0.1', ARM_ENDPOINT: 'management.azure.com' })).toEqual([expect.stringContaining('absolute URL')]);
    expect(problemsOf({ AZURE_SUBSCRIPTION_ID: GUID, HOST: '127.0.0.1', ARM_ENDPOINT: 'ftp://127.0.0.1' })).toEqual([expect.stringContaining('must use https')]);
    expect(problemsOf({ AZURE_SUBSCRIPTION_ID: GUID, HOST: '127.0.0.1', ARM_ENDPOINT: 'https://arm.example/tenant?x=1' })).toEqual([expect.stringContaining('without a path or query')]);
    expect(problemsOf({ ARM_ENDPOINT: 'http://127.0.0.1:4010' })).toEqual([expect.stringContaining('AZURE_SUBSCRIPTION_ID is required with ARM_ENDPOINT')]);
  });
});
