import { createArmConnection, type ArmConnection } from '../../src/azure/armConnection';
import { createAzureGateways, type AzureGatewayOptions, type AzureGateways } from '../../src/azure/createAzureGateways';
import { startEmulator, type EmulatorOptions, type EmulatorState, type RunningEmulator } from '../../src/emulator';
import { ManualClock } from '../../src/ports/clock';

export interface Harness {
  emulator: RunningEmulator;
  state: EmulatorState;
  clock: ManualClock;
  connection: ArmConnection;
  gateways: AzureGateways;
  /** Requests the emulator served for that route (e.g. `labPlans.get`) since the log was last cleared. */
  calls(operation: string): number;
  close(): Promise<void>;
}

export const RG = 'labs-rg';
export const LAB_PLAN_SP = 'sp-labplans-0001';
export const LAB_ACCOUNT_SP = 'sp-labaccounts-0001';

/**
 * The real SDKs against a fresh emulator on simulated time: LROs finish after one in-progress answer,
 * no Retry-After waits, SDK retries with millisecond delays, token buckets off unless asked for.
 */
export async function startHarness(
  seed: (state: EmulatorState) => void = () => undefined,
  options: { emulator?: EmulatorOptions; gateways?: Partial<AzureGatewayOptions>; settleTimeoutMs?: number } = {},
): Promise<Harness> {
  const clock = new ManualClock();
  const emulator = await startEmulator({ clock, lroPolls: 1, retryAfterSeconds: 0, throttle: false, seed, ...options.emulator });
  const connection = createArmConnection(
    { mode: 'emulator', subscriptionId: emulator.subscriptionId, emulatorUrl: emulator.url, facadeOrigin: emulator.facadeOrigin },
    { pollIntervalMs: 1, settleTimeoutMs: options.settleTimeoutMs ?? 50, retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 2 } },
  );
  const gateways = createAzureGateways(connection, { clock, ...options.gateways });
  return {
    emulator,
    state: emulator.state,
    clock,
    connection,
    gateways,
    calls: (operation) => emulator.requestLog.filter((e) => e.operation === operation).length,
    close: () => emulator.close(),
  };
}
