import { ConfigError, loadConfig } from '../../src/config';

const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
const APP_ID = '99999999-8888-7777-6666-555555555555';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('Azure mode without Bot Framework authentication', () => {
  it.each([[{}], [{ HOST: '0.0.0.0' }], [{ HOST: '::' }], [{ HOST: '10.0.0.4' }]])(
    'refuses to start on a non-loopback host (%j), naming the settings',
    (env: Record<string, string>) => {
      const problems = problemsOf({ AZURE_SUBSCRIPTION_ID: SUBSCRIPTION, ...env });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/AZURE_SUBSCRIPTION_ID/);
      expect(problems[0]).toMatch(/MicrosoftAppId/);
      expect(problems[0]).toMatch(/HOST/);
    },
  );

  it.each(['127.0.0.1', '::1', 'localhost', 'LOCALHOST'])('starts on loopback (%s) for local work', (host) => {
    const config = loadConfig({ AZURE_SUBSCRIPTION_ID: SUBSCRIPTION, HOST: host });
    expect(config.mode).toBe('azure');
    expect(config.botFramework.appId).toBe('');
  });

  it('starts on any host with app credentials', () => {
    const config = loadConfig({ AZURE_SUBSCRIPTION_ID: SUBSCRIPTION, MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'pw' });
    expect(config.host).toBe('0.0.0.0');
  });

  it('leaves the demo (no subscription) as it was: no credentials, any host', () => {
    expect(loadConfig({}).host).toBe('0.0.0.0');
  });
});
