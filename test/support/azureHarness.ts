import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { createArmConnection } from '../../src/azure/armConnection';
import { createAzureGateways } from '../../src/azure/createAzureGateways';
import type { AzureSetup } from '../../src/azureSetup';
import { DEMO_IDS, seedDemo, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator';
import { ManualClock } from '../../src/ports/clock';

export interface DemoAzure {
  emulator: RunningEmulator;
  setup: AzureSetup;
  clock: ManualClock;
}

/**
 * The demo world in an ARM emulator on a manual clock, reached through the real SDK adapters with fast polling.
 * `owners` get Owner and `teachers` Lab Creator on both demo hosts.
 */
export async function startDemoAzure(
  options: { owners?: string[]; teachers?: string[]; clock?: ManualClock; emulator?: EmulatorOptions; defaultHost?: boolean; additionalPolicies?: PipelinePolicy[] } = {},
): Promise<DemoAzure> {
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0));
  const emulator = await startEmulator({
    clock,
    retryAfterSeconds: 0,
    seed: (state) => seedDemo(state, { ownerPrincipalIds: options.owners ?? [], teacherPrincipalIds: options.teachers ?? [] }),
    ...options.emulator,
  });
  const connection = createArmConnection(
    { mode: 'emulator', subscriptionId: emulator.subscriptionId, emulatorUrl: emulator.url, facadeOrigin: emulator.facadeOrigin },
    { pollIntervalMs: 5, settleTimeoutMs: 2000, retryOptions: { retryDelayInMs: 5, maxRetryDelayInMs: 20 }, additionalPolicies: options.additionalPolicies ?? [] },
  );
  const gateways = createAzureGateways(connection, { clock });
  return {
    emulator,
    clock,
    setup: {
      gateways,
      ...(options.defaultHost ? { defaultHostId: DEMO_IDS.labPlanId } : {}),
      endpoint: emulator.url,
      close: () => emulator.close(),
    },
  };
}
