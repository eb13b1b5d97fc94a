import path from 'node:path';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { Config } from './config';
import { armSettingsFor, createArmConnection, type ArmConnectionOptions } from './azure/armConnection';
import { createAzureGateways, type AzureGateways } from './azure/createAzureGateways';
import { GatewayHostDirectory } from './core/gatewayHostDirectory';
import { DEMO_IDS, DEMO_MARKETPLACE_IMAGES, PLAYGROUND_USERS, seedDemo, startEmulator, STATE_FILE_NAME } from './emulator';
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
 * Azure mode: DefaultAzureCredential against the configured cloud's ARM (or ARM_ENDPOINT; a loopback http one is a
 * standalone emulator, reached with a fixed development token).
 * Demo mode: the ARM emulator in-process, seeded, with the Agents Playground's users holding real roles.
 */
export async function setUpAzure(config: Config, clock: Clock, log: Logger, additionalPolicies: readonly PipelinePolicy[] = []): Promise<AzureSetup> {
  const servicePrincipalObjectIds = {
    ...(config.labServices.planPrincipalObjectId ? { labPlan: config.labServices.planPrincipalObjectId } : {}),
    ...(config.labServices.accountPrincipalObjectId ? { labAccount: config.labServices.accountPrincipalObjectId } : {}),
  };
  if (config.mode === 'azure' && config.azure) {
    const settings = armSettingsFor({ ...config.azure, cloud: config.cloud.name, ...(config.cloud.armEndpoint ? { armEndpoint: config.cloud.armEndpoint } : {}) });
    if (settings.mode === 'emulator') log.warn({ armEndpoint: settings.emulatorUrl }, 'ARM_ENDPOINT is a local emulator: requests carry a fixed development token, not an Azure credential');
    const connection = createArmConnection(settings, { clock, additionalPolicies });
    const gateways = createAzureGateways(connection, { clock, logger: log, servicePrincipalObjectIds });
    // The tracker has retries off (a 429 must reach it at once) but the same telemetry policy: its reads count too.
    const trackerGalleries = createAzureGateways(createArmConnection(settings, { clock, retryOptions: NO_RETRIES, additionalPolicies }), { clock, logger: log }).galleries;
    const defaultHostId = config.defaultLabHost ? await resolveDefault(gateways, config.defaultLabHost, log) : undefined;
    const endpoint = settings.mode === 'emulator' ? settings.emulatorUrl : connection.armEndpoint;
    return { gateways, trackerGalleries, ...(defaultHostId ? { defaultHostId } : {}), endpoint, close: async () => undefined };
  }

  // The demo's Azure lives in DATA_DIR beside the bot's journal, so a restarted bot resumes against the Azure it left.
  const stateFile = path.join(config.dataDir, STATE_FILE_NAME);
  const simulated = new ScaledClock(clock, config.demo.timeScale);
  const emulator = await startEmulator({
    port: config.demo.emulatorPort,
    clock: simulated,
    marketplaceImages: DEMO_MARKETPLACE_IMAGES,
    rolePropagationMs: config.demo.rolePropagationMinutes * 60_000,
    ...(config.demo.botMissingPermissions.length > 0 ? { caller: { missingActions: config.demo.botMissingPermissions } } : {}),
    stateFile,
    onStateWriteError: (error) => log.warn({ err: error, stateFile }, 'demo mode: the emulator state could not be saved'),
    seed: (state) =>
      seedDemo(state, {
        ownerPrincipalIds: [PLAYGROUND_USERS.currentUser],
        teacherPrincipalIds: [PLAYGROUND_USERS.teacher],
        campusGallery: true,
      }),
  });
  // The bot waits on its own clock; only the emulator (and the tracker that follows its replications) runs on simulated time.
  // It polls the local emulator's long operations every 250 ms: a detach or an attach in the demo ends when it is done,
  // not up to a second later.
  const options: ArmConnectionOptions = { pollIntervalMs: 250, clock, additionalPolicies };
  const settings = { mode: 'emulator' as const, subscriptionId: emulator.subscriptionId, emulatorUrl: emulator.url, facadeOrigin: emulator.facadeOrigin };
  const connection = createArmConnection(settings, options);
  const gateways = createAzureGateways(connection, { clock, logger: log, servicePrincipalObjectIds });
  const trackerGalleries = createAzureGateways(createArmConnection(settings, { ...options, retryOptions: NO_RETRIES }), { clock, logger: log }).galleries;
  const defaultHostId = config.defaultLabHost ? await resolveDefault(gateways, config.defaultLabHost, log) : DEMO_IDS.labPlanId;
  log.info({ emulator: emulator.url, defaultHostId, timeScale: config.demo.timeScale, stateFile, restored: emulator.restored }, 'demo mode: ARM emulator started');
  return {
    gateways,
    trackerGalleries,
    // Resumed no earlier than the saved simulated time.
    simulatedClock: emulator.state.clock,
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
