import { setUpAzure } from '../../src/azureSetup';
import { loadConfig } from '../../src/config';
import { DEMO_IDS } from '../../src/emulator';
import { checkFeatures } from '../../src/kernel';
import { ManualClock } from '../../src/ports/clock';
import { memoryLogger } from '../support/memoryLogger';

describe('demo settings for permissions', () => {
  it('DEMO_BOT_MISSING_PERMISSION takes the action from the bot; the short form names Microsoft.Authorization', async () => {
    const config = loadConfig({ DEMO_BOT_MISSING_PERMISSION: 'roleAssignments/write', DEMO_ROLE_PROPAGATION_MINUTES: '3' });
    expect(config.demo.botMissingPermissions).toEqual(['Microsoft.Authorization/roleAssignments/write']);
    expect(config.demo.rolePropagationMinutes).toBe(3);
    const azure = await setUpAzure(config, new ManualClock(), memoryLogger());
    try {
      const { permissions } = azure.gateways;
      const checks = checkFeatures('labPlan', await permissions.listForScope(DEMO_IDS.labPlanId), await permissions.listForScope(DEMO_IDS.physicsGalleryId));
      expect(checks.filter((c) => c.missing.length > 0).map((c) => c.feature)).toEqual(['attach']);
    } finally {
      await azure.close();
    }
  });

  it('defaults: 3 simulated minutes of propagation, nothing missing', () => {
    expect(loadConfig({}).demo).toMatchObject({ rolePropagationMinutes: 3, botMissingPermissions: [] });
  });
});
