/**
 * emulator/: a local ARM (and a bit of Graph) server that plays Azure for the demo and the tests. It keeps its
 * own ARM-id helpers and imports only ports and kernel of ours.
 */
import { systemClock, type Clock } from '../ports/clock';
import { FaultRules, type FaultInjector } from './faults/faultInjector';
import { ALL_ROUTES } from './handlers/routes';
import { Pipeline } from './http/pipeline';
import type { RequestLogEntry } from './http/requestLog';
import { Router } from './http/router';
import { listen } from './http/server';
import { LroTracker } from './lro/lroTracker';
import { Prng } from './prng';
import type { GeographyScope } from './regions';
import { ScaledClock } from './scaledClock';
import { DEFAULT_SUBSCRIPTION_ID } from './seed';
import { EmulatorState } from './state/emulatorState';
import { marketplaceCatalogue } from './state/marketplaceCatalogue';
import type { CallerPrincipalOptions } from './state/callerPermissions';
import type { ReplicationDefaults } from './state/galleryStore';
import { continuingClock, readSnapshot, restoreSnapshot, snapshotOf, SnapshotWriter } from './state/persistence';
import type { RawRequest } from './http/request';
import type { EmulatorResponse } from './http/response';
import { Throttler, type ThrottleOptions } from './throttling/throttler';

export interface EmulatorOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Simulated time; default a ScaledClock over the system clock at `timeScale`. */
  clock?: Clock;
  /** Simulated ms per real ms when no clock is given. Default 1. */
  timeScale?: number;
  /** Written in Location / Azure-AsyncOperation headers and nextLinks. Default https://management.azure.test. */
  facadeOrigin?: string;
  subscriptionId?: string;
  tenantId?: string;
  /** Token buckets per subscription and bearer token; Azure's published numbers by default; false disables. */
  throttle?: ThrottleOptions | false;
  /** How many polls an LRO answers "in progress" before it is done. Default 1. */
  lroPolls?: number;
  /** Retry-After on LRO answers. Default 1. */
  retryAfterSeconds?: number;
  /** Items per page of every list (unless `$top` says otherwise). Default 100. */
  pageSize?: number;
  /** Seeds replication durations and fault rates. Default 1. */
  randomSeed?: number;
  /** Simulated replication time per region when none is set. Default 20–60 min. */
  replicationDurationMs?: ReplicationDefaults;
  /** "Same geography" for lab accounts' automatic replication. Default `geography`. */
  geographyScope?: GeographyScope;
  /**
   * How many Marketplace images every lab plan lists besides its gallery's (a generated, deterministic catalogue;
   * Azure lists thousands). Default 0.
   */
  marketplaceImages?: number;
  seed?: (state: EmulatorState) => void;
  // doctor / permissions
  /** Simulated ms before a new Owner for the Lab Services principal is honoured by the lab plan. Default 0. */
  rolePropagationMs?: number;
  /** The principal behind the emulator's token (the bot), e.g. actions it lacks. */
  caller?: CallerPrincipalOptions;
  /**
   * Keep the state in this JSON file: loaded at start instead of running `seed` when it exists, rewritten
   * (debounced, atomically) after requests. The clock resumes no earlier than the saved simulated time.
   */
  stateFile?: string;
  /** Debounce of the state file's writes. Default 100 ms. */
  stateWriteDebounceMs?: number;
  /** Told when a state file write fails (the emulator goes on, in memory). */
  onStateWriteError?: (error: unknown) => void;
}

export interface RunningEmulator {
  /** http://127.0.0.1:PORT */
  url: string;
  facadeOrigin: string;
  subscriptionId: string;
  state: EmulatorState;
  requestLog: RequestLogEntry[];
  faults: FaultInjector;
  /** Whether the state came from `stateFile` rather than the seed. */
  restored: boolean;
  clearRequestLog(): void;
  /** Writes the state file now if anything changed (no-op without `stateFile`). */
  saveState(): Promise<void>;
  /** Saves the state (with `stateFile`), then stops listening. */
  close(): Promise<void>;
}

export const DEFAULT_FACADE_ORIGIN = 'https://management.azure.test';
const DEFAULT_TENANT_ID = '00000000-0000-0000-0000-0000000000aa';

/** Starts an ARM (and a bit of Graph) emulator on 127.0.0.1. Everything it holds hangs off the returned instance. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const subscriptionId = options.subscriptionId ?? DEFAULT_SUBSCRIPTION_ID;
  const facadeOrigin = (options.facadeOrigin ?? DEFAULT_FACADE_ORIGIN).replace(/\/+$/, '');
  const snapshot = options.stateFile ? readSnapshot(options.stateFile) : undefined;
  const baseClock = options.clock ?? new ScaledClock(systemClock, options.timeScale ?? 1);
  const clock = snapshot ? continuingClock(baseClock, snapshot.savedAt) : baseClock;
  const randomSeed = options.randomSeed ?? 1;
  const state = new EmulatorState({
    subscriptionId,
    tenantId: options.tenantId ?? DEFAULT_TENANT_ID,
    clock,
    randomSeed,
    ...(options.replicationDurationMs ? { replicationDurationMs: options.replicationDurationMs } : {}),
    ...(options.geographyScope ? { geographyScope: options.geographyScope } : {}),
    ...(options.rolePropagationMs ? { rolePropagationMs: options.rolePropagationMs } : {}),
    ...(options.caller ? { caller: options.caller } : {}),
  });
  if (options.marketplaceImages) state.labPlans.useMarketplaceCatalogue(marketplaceCatalogue(options.marketplaceImages));
  if (snapshot) restoreSnapshot(state, snapshot);
  else options.seed?.(state);
  const writer = options.stateFile
    ? new SnapshotWriter(options.stateFile, () => snapshotOf(state), {
        ...(options.stateWriteDebounceMs !== undefined ? { debounceMs: options.stateWriteDebounceMs } : {}),
        ...(options.onStateWriteError ? { onError: options.onStateWriteError } : {}),
      })
    : undefined;
  if (writer && !snapshot) writer.writeNow();
  const now = (): number => clock.now();
  const faults = new FaultRules(new Prng(randomSeed + 1));
  const requestLog: RequestLogEntry[] = [];
  const pipeline = new SavingPipeline((soon) => writer?.changed(soon), {
    router: new Router(ALL_ROUTES),
    context: {
      state,
      lro: new LroTracker({ pollsBeforeDone: options.lroPolls ?? 1, retryAfterSeconds: options.retryAfterSeconds ?? 1, facadeOrigin, subscriptionId, now }),
      facadeOrigin,
      subscriptionId,
      pageSize: options.pageSize ?? 100,
      faults,
    },
    throttler: new Throttler(options.throttle ?? {}, now),
    faults,
    requestLog,
  });
  const server = await listen(pipeline, options.port ?? 0);
  return {
    url: server.url,
    facadeOrigin,
    subscriptionId,
    state,
    requestLog,
    faults,
    restored: snapshot !== undefined,
    clearRequestLog: () => {
      requestLog.length = 0;
    },
    saveState: async () => writer?.flush(),
    close: async () => {
      await server.close();
      await writer?.flush();
    },
  };
}

/** Any request may change the state (a GET can finish an operation): each one schedules a snapshot, writes soonest. */
class SavingPipeline extends Pipeline {
  constructor(
    private readonly changed: (soon: boolean) => void,
    deps: ConstructorParameters<typeof Pipeline>[0],
  ) {
    super(deps);
  }

  override async handle(raw: RawRequest): Promise<EmulatorResponse> {
    try {
      return await super.handle(raw);
    } finally {
      this.changed(raw.method.toUpperCase() !== 'GET');
    }
  }
}

export { seedDemo, DEMO_MARKETPLACE_IMAGES, demoIds, DEMO_IDS, DEMO_NAMES, DEMO_SERVICE_PRINCIPALS, DEFAULT_SUBSCRIPTION_ID, PLAYGROUND_USERS } from './seed';
export type { DemoIds, DemoSeedOptions } from './seed';
export { EmulatorState } from './state/emulatorState';
export type {
  EmulatorStateOptions,
  AddLabPlanInput,
  AddLabAccountInput,
  AddLabInput,
  AddGalleryInput,
  AddImageDefinitionInput,
  AddImageVersionInput,
  AddRoleAssignmentInput,
  PublishImageInput,
} from './state/emulatorState';
export type { FaultInjector, FaultSpec } from './faults/faultInjector';
export type { ThrottleOptions } from './throttling/throttler';
export type { BucketOptions } from './throttling/tokenBucket';
export type { RequestLogEntry } from './http/requestLog';
export type { ReplicationStatus, RegionalReplicationStatus, Replica } from './state/replication';
export { BUILT_IN_ROLES, LAB_SERVICES_APP_IDS } from './state/builtInRoles';
export { EMULATOR_ERROR_CODES } from './armError';
export { DEFAULT_CALLER, type CallerPrincipalOptions } from './state/callerPermissions';
export { ScaledClock } from './scaledClock';
export { STATE_FILE_NAME } from './state/persistence';
export { isLoopbackAddress } from './http/loopback';
export { REGIONS, findPhysicalRegion, regionsOfSameGeography } from './regions';
