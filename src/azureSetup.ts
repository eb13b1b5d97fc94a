import type { Config } from './config';
import { createArmConnection, type ArmConnectionOptions } from './azure/armConnection';
import { createAzureGateways, type AzureGateways } from './azure/createAzureGateways';
import { GatewayHostDirectory } from './core/gatewayHostDirectory';
import { DEMO_IDS, PLAYGROUND_USERS, seedDemo, startEmulator } from './emulator';
import type { Clock } from './ports/clock';
import type { Logger } from './ports/logger';

/** Azure as the bot sees it: the gateways, the host new conversations start bound to, and how to let go. */
export interface AzureSetup {
  gateways: AzureGateways;
  /** ARM id of the default lab host, if any. */
  defaultHostId?: string;
  /** Where ARM requests go: Azure, or the demo's emulator url. */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Azure mode: DefaultAzureCredential against management.azure.com.
 * Demo mode: the ARM emulator in-process, seeded, with the Agents Playground's users holding real roles.
 */
export async function setUpAzure(config: Config, clock: Clock, log: Logger): Promise<AzureSetup> {
  const servicePrincipalObjectIds = {
    ...(config.labServices.planPrincipalObjectId ? { labPlan: config.labServices.planPrincipalObjectId } : {}),
    ...(config.labServices.accountPrincipalObjectId ? { labAccount: config.labServices.accountPrincipalObjectId } : {}),
  };
  if (config.mode === 'azure' && config.azure) {
    const connection = createArmConnection({ mode: 'azure', ...config.azure });
    const gateways = createAzureGateways(connection, { clock, logger: log, servicePrincipalObjectIds });
    const defaultHostId = config.defaultLabHost ? await resolveDefault(gateways, config.defaultLabHost, log) : undefined;
    return { gateways, ...(defaultHostId ? { defaultHostId } : {}), endpoint: connection.armEndpoint, close: async () => undefined };
  }

  const emulator = await startEmulator({
    port: config.demo.emulatorPort,
    timeScale: config.demo.timeScale,
    seed: (state) =>
      seedDemo(state, {
        ownerPrincipalIds: [PLAYGROUND_USERS.currentUser],
        teacherPrincipalIds: [PLAYGROUND_USERS.teacher],
      }),
  });
  const options: ArmConnectionOptions = { pollIntervalMs: 1000 };
  const connection = createArmConnection(
    { mode: 'emulator', subscriptionId: emulator.subscriptionId, emulatorUrl: emulator.url, facadeOrigin: emulator.facadeOrigin },
    options,
  );
  const gateways = createAzureGateways(connection, { clock, logger: log, servicePrincipalObjectIds });
  const defaultHostId = config.defaultLabHost ? await resolveDefault(gateways, config.defaultLabHost, log) : DEMO_IDS.labPlanId;
  log.info({ emulator: emulator.url, defaultHostId, timeScale: config.demo.timeScale }, 'demo mode: ARM emulator started');
  return {
    gateways,
    ...(defaultHostId ? { defaultHostId } : {}),
    endpoint: emulator.url,
    close: () => emulator.close(),
  };
}

async function resolveDefault(gateways: AzureGateways, value: string, log: Logger): Promise<string | undefined> {
  try {
    return (await new GatewayHostDirectory(gateways.labHosts).resolve(value)).id;
  } catch (error) {
    log.warn({ err: error, value }, 'DEFAULT_LAB_HOST could not be resolved; new conversations start unbound');
    return undefined;
  }
}
