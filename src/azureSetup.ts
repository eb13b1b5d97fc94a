import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { Config } from './config';
import { createArmConnection, type ArmConnectionOptions } from './azure/armConnection';
import { createAzureGateways, type AzureGateways } from './azure/createAzureGateways';
import { GatewayHostDirectory } from './core/gatewayHostDirectory';
import { DEMO_IDS, PLAYGROUND_USERS, seedDemo, startEmulator } from './emulator';
import { ScaledClock, type Clock } from './ports/clock';
import type { Logger } from './ports/logger';

const NO_RETRIES = { maxRetries: 0 };

/** Azure as the bot sees it: the gateways, the host new conversations start bound to, and how to let go. */
export interface AzureSetup {
  gateways: AzureGateways;
  /** ARM id of the default lab host, if any. */
  defaultHostId?: string;
  /**
   * Gallery reads for the replication tracker: no SDK retries, so a 429 reaches the tracker at once and it
   * pauses on Retry-After instead of blocking in the SDK. Defaults to `gateways.galleries`.
   */
  trackerGalleries?: AzureGateways['galleries'];
  /**
   * The demo's simulated time (the emulator's clock, `demo.timeScale` times faster than real time). The
   * replication tracker runs on it, so its schedule fits the simulated replications it watches.
   */
  simulatedClock?: Clock;
  /** Where ARM requests go: Azure, or the demo's emulator url. */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Azure mode: DefaultAzureCredential against management.azure.com.
 * Demo mode: the ARM emulator in-process, seeded, with the Agents Playground's users holding real roles.
 */
export async function setUpAzure(config: Config, clock: Clock, log: Logger, additionalPolicies: readonly PipelinePolicy[] = []): Promise<AzureSetup> {
  const servicePrincipalObjectIds = {
    ...(config.labServices.planPrincipalObjectId ? { labPlan: config.labServices.planPrincipalObjectId } : {}),
    ...(config.labServices.accountPrincipalObjectId ? { labAccount: config.labServices.accountPrincipalObjectId } : {}),
  };
  if (config.mode === 'azure' && config.azure) {
    const settings = { mode: 'azure' as const, ...config.azure };
    const connection = createArmConnection(settings, { clock, additionalPolicies });
    const gateways = createAzureGateways(connection, { clock, logger: log, servicePrincipalObjectIds });
    // Not with the extra policies: with them, the tracker's retry-less compute client stopped reading (to be understood, issue 18).
    const trackerGalleries = createAzureGateways(createArmConnection(settings, { clock, retryOptions: NO_RETRIES }), { clock, logger: log }).galleries;
    const defaultHostId = config.defaultLabHost ? await resolveDefault(gateways, config.defaultLabHost, log) : undefined;
    return { gateways, trackerGalleries, ...(defaultHostId ? { defaultHostId } : {}), endpoint: connection.armEndpoint, close: async () => undefined };
  }

  const simulated = new ScaledClock(clock, config.demo.timeScale);
  const emulator = await startEmulator({
    port: config.demo.emulatorPort,
    clock: simulated,
    seed: (state) =>
      seedDemo(state, {
        ownerPrincipalIds: [PLAYGROUND_USERS.currentUser],
        teacherPrincipalIds: [PLAYGROUND_USERS.teacher],
      }),
  });
  // The bot waits on its own clock; only the emulator (and the tracker that follows its replications) runs on simulated time.
  const options: ArmConnectionOptions = { pollIntervalMs: 1000, clock, additionalPolicies };
  const settings = { mode: 'emulator' as const, subscriptionId: emulator.subscriptionId, emulatorUrl: emulator.url, facadeOrigin: emulator.facadeOrigin };
  const connection = createArmConnection(settings, options);
  const gateways = createAzureGateways(connection, { clock, logger: log, servicePrincipalObjectIds });
  // See above: the tracker's reads go without the telemetry policy (they are counted by labgallery_replication_reads_total).
  const trackerGalleries = createAzureGateways(createArmConnection(settings, { ...options, retryOptions: NO_RETRIES, additionalPolicies: [] }), { clock, logger: log }).galleries;
  const defaultHostId = config.defaultLabHost ? await resolveDefault(gateways, config.defaultLabHost, log) : DEMO_IDS.labPlanId;
  log.info({ emulator: emulator.url, defaultHostId, timeScale: config.demo.timeScale }, 'demo mode: ARM emulator started');
  return {
    gateways,
    trackerGalleries,
    simulatedClock: simulated,
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
