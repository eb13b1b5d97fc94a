import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient, PipelinePolicy, PipelineRetryOptions } from '@azure/core-rest-pipeline';
import { AzureAuthorityHosts, DefaultAzureCredential } from '@azure/identity';
import { systemClock, type Clock } from '../ports/clock';
import { createFacadeHttpClient, createStaticTokenCredential } from './facadeHttpClient';

export type AzureCloudName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';

export type ArmSettings =
  | {
      mode: 'azure';
      subscriptionId: string;
      tenantId?: string;
      /** Default AzureCloud. */
      cloud?: AzureCloudName;
      /** An https ARM endpoint other than the cloud's own (Azure Stack Hub); tokens are asked for its audience. */
      armEndpoint?: string;
    }
  | { mode: 'emulator'; subscriptionId: string; emulatorUrl: string; facadeOrigin: string };

export interface CloudEndpoints {
  arm: string;
  authorityHost: string;
  graph: string;
}

/** The national clouds' public endpoints (`az cloud show`; authority hosts as @azure/identity names them). */
export const CLOUDS: Readonly<Record<AzureCloudName, CloudEndpoints>> = {
  AzureCloud: { arm: 'https://management.azure.com', authorityHost: AzureAuthorityHosts.AzurePublicCloud, graph: 'https://graph.microsoft.com' },
  AzureUSGovernment: { arm: 'https://management.usgovcloudapi.net', authorityHost: AzureAuthorityHosts.AzureGovernment, graph: 'https://graph.microsoft.us' },
  AzureChinaCloud: { arm: 'https://management.chinacloudapi.cn', authorityHost: AzureAuthorityHosts.AzureChina, graph: 'https://microsoftgraph.chinacloudapi.cn' },
};

/**
 * An ARM_ENDPOINT served by a local emulator: plain http on a loopback address. Such an endpoint gets the
 * emulator treatment (an https facade for the SDKs and a fixed development token), never a real token.
 */
export function isLocalArmEndpoint(endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  return url.protocol === 'http:' && (host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host));
}

/** What `createArmConnection` takes for a configured cloud and ARM_ENDPOINT: a loopback http endpoint is a local emulator. */
export function armSettingsFor(input: { subscriptionId: string; tenantId?: string; cloud: AzureCloudName; armEndpoint?: string }): ArmSettings {
  if (input.armEndpoint && isLocalArmEndpoint(input.armEndpoint)) {
    return { mode: 'emulator', subscriptionId: input.subscriptionId, emulatorUrl: input.armEndpoint, facadeOrigin: DEFAULT_FACADE_ORIGIN };
  }
  if (input.armEndpoint?.toLowerCase().startsWith('http:')) throw new Error(`Refusing plain-http ARM endpoint ${input.armEndpoint}: only a loopback address may use http`);
  return {
    mode: 'azure',
    subscriptionId: input.subscriptionId,
    ...(input.tenantId ? { tenantId: input.tenantId } : {}),
    cloud: input.cloud,
    ...(input.armEndpoint ? { armEndpoint: input.armEndpoint } : {}),
  };
}

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

export const DEFAULT_FACADE_ORIGIN = 'https://management.azure.test';

export function createArmConnection(settings: ArmSettings, options: ArmConnectionOptions = {}): ArmConnection {
  const intervalMs = options.pollIntervalMs ?? 5_000;
  const settle = {
    intervalMs,
    attempts: Math.max(1, Math.ceil((options.settleTimeoutMs ?? 30 * 60_000) / Math.max(1, intervalMs))),
    clock: options.clock ?? systemClock,
  };
  const cloud = CLOUDS[settings.mode === 'azure' ? (settings.cloud ?? 'AzureCloud') : 'AzureCloud'];
  const common = {
    subscriptionId: settings.subscriptionId,
    graphScopes: [`${cloud.graph}/.default`],
    retryOptions: options.retryOptions,
    pollIntervalMs: options.pollIntervalMs,
    settle,
    longOperationWaitMs: options.longOperationWaitMs ?? 60_000,
    additionalPolicies: options.additionalPolicies ?? [],
  };
  if (settings.mode === 'azure') {
    const armEndpoint = (settings.armEndpoint ?? cloud.arm).replace(/\/+$/, '');
    return {
      ...common,
      mode: 'azure',
      credential: new DefaultAzureCredential({ authorityHost: cloud.authorityHost, ...(settings.tenantId ? { tenantId: settings.tenantId } : {}) }),
      // The token's audience is the endpoint the requests go to (Azure Stack Hub has its own).
      armScopes: [`${armEndpoint}/.default`],
      armEndpoint,
      graphEndpoint: cloud.graph,
    };
  }
  const facade = settings.facadeOrigin.replace(/\/+$/, '');
  return {
    ...common,
    mode: 'emulator',
    // A fixed development token for a local emulator only: it grants nothing anywhere else. The scopes are the
    // public cloud's, as the SDKs would ask for them.
    credential: createStaticTokenCredential(),
    armScopes: [`${cloud.arm}/.default`],
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
