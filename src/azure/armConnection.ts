import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient, PipelinePolicy, PipelineRetryOptions } from '@azure/core-rest-pipeline';
import { DefaultAzureCredential } from '@azure/identity';
import { systemClock, type Clock } from '../ports/clock';
import { createFacadeHttpClient, createStaticTokenCredential } from './facadeHttpClient';

export type ArmSettings =
  | { mode: 'azure'; subscriptionId: string; tenantId?: string }
  | { mode: 'emulator'; subscriptionId: string; emulatorUrl: string; facadeOrigin: string };

export interface ArmConnectionOptions {
  /** Interval between LRO polls and post-operation re-reads; SDK defaults (and 5 s for re-reads) when absent. */
  pollIntervalMs?: number;
  /** How long to keep re-reading a resource whose provisioningState is not final yet. Default 30 min. */
  settleTimeoutMs?: number;
  /** Passed to every SDK pipeline; tests shorten the delays. */
  retryOptions?: PipelineRetryOptions;
  /** How long an LRO that may last as long as its side effect (a version's target-region update) is waited for. Default 60 s. */
  longOperationWaitMs?: number;
  /** What the adapters' own waits run on (re-reads, the long-operation limit); the SDK pollers keep real time. Default real time. */
  clock?: Clock;
  /** Added to every SDK pipeline, per retry (telemetry, the readiness failure streak). */
  additionalPolicies?: readonly PipelinePolicy[];
}

/** What every adapter needs to build its SDK client. Holds no client itself. */
export interface ArmConnection {
  readonly mode: ArmSettings['mode'];
  readonly subscriptionId: string;
  readonly credential: TokenCredential;
  readonly armEndpoint: string;
  readonly armScopes: string[];
  readonly graphEndpoint: string;
  readonly graphScopes: string[];
  readonly httpClient?: HttpClient;
  readonly retryOptions?: PipelineRetryOptions;
  readonly pollIntervalMs?: number;
  readonly settle: { intervalMs: number; attempts: number; clock: Clock };
  readonly longOperationWaitMs: number;
  readonly additionalPolicies?: readonly PipelinePolicy[];
}

const ARM_ENDPOINT = 'https://management.azure.com';
const GRAPH_ENDPOINT = 'https://graph.microsoft.com';
export const DEFAULT_FACADE_ORIGIN = 'https://management.azure.test';

export function createArmConnection(settings: ArmSettings, options: ArmConnectionOptions = {}): ArmConnection {
  const intervalMs = options.pollIntervalMs ?? 5_000;
  const settle = {
    intervalMs,
    attempts: Math.max(1, Math.ceil((options.settleTimeoutMs ?? 30 * 60_000) / Math.max(1, intervalMs))),
    clock: options.clock ?? systemClock,
  };
  // Tokens are always asked for the real audiences, whatever endpoint the requests go to.
  const common = {
    subscriptionId: settings.subscriptionId,
    armScopes: [`${ARM_ENDPOINT}/.default`],
    graphScopes: [`${GRAPH_ENDPOINT}/.default`],
    retryOptions: options.retryOptions,
    pollIntervalMs: options.pollIntervalMs,
    settle,
    longOperationWaitMs: options.longOperationWaitMs ?? 60_000,
    additionalPolicies: options.additionalPolicies ?? [],
  };
  if (settings.mode === 'azure') {
    return {
      ...common,
      mode: 'azure',
      credential: new DefaultAzureCredential(settings.tenantId ? { tenantId: settings.tenantId } : {}),
      armEndpoint: ARM_ENDPOINT,
      graphEndpoint: GRAPH_ENDPOINT,
    };
  }
  const facade = settings.facadeOrigin.replace(/\/+$/, '');
  return {
    ...common,
    mode: 'emulator',
    credential: createStaticTokenCredential(),
    armEndpoint: facade,
    graphEndpoint: facade,
    httpClient: createFacadeHttpClient(facade, settings.emulatorUrl),
  };
}

/** Options for the "classic" generated clients (LabServicesClient, AuthorizationManagementClient, SubscriptionClient). */
export function classicClientOptions(connection: ArmConnection): {
  endpoint: string;
  $host: string;
  credentialScopes: string[];
  httpClient?: HttpClient;
  retryOptions?: PipelineRetryOptions;
  additionalPolicies?: AdditionalPolicy[];
} {
  return {
    endpoint: connection.armEndpoint,
    $host: connection.armEndpoint,
    credentialScopes: connection.armScopes,
    ...(connection.httpClient ? { httpClient: connection.httpClient } : {}),
    ...(connection.retryOptions ? { retryOptions: connection.retryOptions } : {}),
    ...additionalPoliciesOf(connection),
  };
}

/** Options for the "modular" @azure/arm-compute client. */
export function modularClientOptions(connection: ArmConnection): {
  endpoint: string;
  credentials: { scopes: string[] };
  httpClient?: HttpClient;
  retryOptions?: PipelineRetryOptions;
  additionalPolicies?: AdditionalPolicy[];
} {
  return {
    endpoint: connection.armEndpoint,
    credentials: { scopes: connection.armScopes },
    ...(connection.httpClient ? { httpClient: connection.httpClient } : {}),
    ...(connection.retryOptions ? { retryOptions: connection.retryOptions } : {}),
    ...additionalPoliciesOf(connection),
  };
}

export interface AdditionalPolicy {
  policy: PipelinePolicy;
  position: 'perCall' | 'perRetry';
}

/** The connection's extra policies as SDK client options (every attempt, retries included), when there are any. */
export function additionalPoliciesOf(connection: ArmConnection): { additionalPolicies?: AdditionalPolicy[] } {
  const policies = connection.additionalPolicies ?? [];
  return policies.length === 0 ? {} : { additionalPolicies: policies.map((policy) => ({ policy, position: 'perRetry' })) };
}

/** `updateIntervalInMs` for LRO calls, only when configured. */
export function lroOptions(connection: ArmConnection): { updateIntervalInMs?: number } {
  return connection.pollIntervalMs === undefined ? {} : { updateIntervalInMs: connection.pollIntervalMs };
}
