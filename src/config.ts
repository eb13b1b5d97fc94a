/**
 * Configuration: a pure function of the environment. Every problem is reported at once;
 * the result is frozen. Nothing else in src/ reads process.env.
 */
export type AppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
export type LogFormat = 'json' | 'pretty';
export type GeographyMatch = 'geography' | 'geographyGroup';

export interface BotFrameworkSettings {
  /** Empty = local no-auth mode (Agents Playground, tests). */
  appId: string;
  appPassword: string;
  appType: AppType;
  appTenantId: string;
}

export interface AzureSettings {
  subscriptionId: string;
  tenantId?: string;
}

export interface DemoSettings {
  /** Port of the in-process ARM emulator; 0 picks a free one. */
  emulatorPort: number;
  /** Simulated seconds per real second, so a demo replication finishes in about a minute. */
  timeScale: number;
}

export interface Config {
  port: number;
  host: string;
  botFramework: BotFrameworkSettings;
  dataDir: string;
  log: { level: string; format: LogFormat };
  /** 'azure' when a subscription is configured, otherwise the self-contained demo. */
  mode: 'azure' | 'demo';
  azure?: AzureSettings;
  demo: DemoSettings;
  access: { adminIds: readonly string[]; teacherIds: readonly string[]; roleCacheTtlSeconds: number };
  /** Host (ARM id or name) a conversation starts bound to; in the demo the lab plan. */
  defaultLabHost?: string;
  labServices: { planPrincipalObjectId?: string; accountPrincipalObjectId?: string };
  geographyMatch: GeographyMatch;
  replication: ReplicationSettings;
  shutdownTimeoutSeconds: number;
  telemetry: TelemetrySettings;
  readiness: ReadinessSettings;
}

/** Operability (issue 18): both off unless set. */
export interface TelemetrySettings {
  /** Traces to Application Insights through @azure/monitor-opentelemetry. */
  appInsightsConnectionString?: string;
  /** Prometheus /metrics listener; off when unset. */
  metricsPort?: number;
  /** Its address: loopback unless set. */
  metricsHost: string;
}

/** When /readyz says 503. */
export interface ReadinessSettings {
  /** ARM requests failed in a row (no answer, 5xx, 401) before the instance is not ready. */
  azureFailures: number;
  /** Age of the oldest pending outbox message beyond which the instance is not ready. */
  outboxMaxAgeSeconds: number;
}

export interface ReplicationSettings {
  /** The subscription's ARM read budget per hour (25 reads/s refill since 2024 = 90,000). */
  armReadsPerHour: number;
  /** Share of that budget the replication tracker may spend (0–1). */
  readShare: number;
  /** How often galleries of bound hosts are scanned for replications others started (in the demo, simulated seconds). */
  scanIntervalSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const str = (key: string): string | undefined => {
    const v = env[key]?.trim();
    return v ? v : undefined;
  };
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const raw = str(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${key} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const num = (key: string, fallback: number, min: number, max: number): number => {
    const raw = str(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      problems.push(`${key} must be a number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const raw = str(key);
    if (raw === undefined) return fallback;
    const hit = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
    if (!hit) problems.push(`${key} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return hit ?? fallback;
  };
  const guid = (key: string): string | undefined => {
    const raw = str(key);
    if (raw !== undefined && !GUID.test(raw)) problems.push(`${key} must be a GUID`);
    return raw;
  };
  const guidList = (key: string): string[] => {
    const items = (str(key) ?? '').split(/[,;\s]+/).filter(Boolean);
    const bad = items.filter((i) => !GUID.test(i));
    if (bad.length) problems.push(`${key} must list Entra object ids (GUIDs); not GUIDs: ${bad.join(', ')}`);
    return items.filter((i) => GUID.test(i)).map((i) => i.toLowerCase());
  };

  const appId = guid('MicrosoftAppId') ?? '';
  const appPassword = str('MicrosoftAppPassword') ?? '';
  const appType = oneOf<AppType>('MicrosoftAppType', ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], 'MultiTenant');
  const appTenantId = guid('MicrosoftAppTenantId') ?? '';
  if (appId && appType !== 'UserAssignedMSI' && !appPassword) {
    problems.push('MicrosoftAppPassword is required when MicrosoftAppId is set');
  }
  if (!appId && appPassword) problems.push('MicrosoftAppId is required when MicrosoftAppPassword is set');
  if (appType !== 'MultiTenant' && appId && !appTenantId) {
    problems.push(`MicrosoftAppTenantId is required when MicrosoftAppType is ${appType}`);
  }

  const subscriptionId = guid('AZURE_SUBSCRIPTION_ID');
  const tenantId = guid('AZURE_TENANT_ID');

  const config: Config = {
    port: int('PORT', 3978, 0, 65535),
    host: str('HOST') ?? '0.0.0.0',
    botFramework: { appId, appPassword, appType, appTenantId },
    dataDir: str('DATA_DIR') ?? './data',
    log: {
      level: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
      format: oneOf<LogFormat>('LOG_FORMAT', ['json', 'pretty'], 'json'),
    },
    mode: subscriptionId ? 'azure' : 'demo',
    ...(subscriptionId ? { azure: { subscriptionId, ...(tenantId ? { tenantId } : {}) } } : {}),
    demo: {
      emulatorPort: int('DEMO_EMULATOR_PORT', 0, 0, 65535),
      timeScale: num('DEMO_TIME_SCALE', 60, 0.001, 100000),
    },
    access: {
      adminIds: guidList('ADMIN_AAD_OBJECT_IDS'),
      teacherIds: guidList('TEACHER_AAD_OBJECT_IDS'),
      roleCacheTtlSeconds: int('ROLE_CACHE_TTL_SECONDS', 300, 0, 86400),
    },
    ...(str('DEFAULT_LAB_HOST') ? { defaultLabHost: str('DEFAULT_LAB_HOST') } : {}),
    labServices: {
      ...(guid('LAB_SERVICES_PRINCIPAL_OBJECT_ID') ? { planPrincipalObjectId: str('LAB_SERVICES_PRINCIPAL_OBJECT_ID') } : {}),
      ...(guid('LAB_SERVICES_CLASSIC_PRINCIPAL_OBJECT_ID')
        ? { accountPrincipalObjectId: str('LAB_SERVICES_CLASSIC_PRINCIPAL_OBJECT_ID') }
        : {}),
    },
    geographyMatch: oneOf<GeographyMatch>('GEOGRAPHY_MATCH', ['geography', 'geographyGroup'], 'geography'),
    replication: {
      armReadsPerHour: int('ARM_READS_PER_HOUR', 90_000, 100, 10_000_000),
      readShare: num('REPLICATION_READ_SHARE', 0.1, 0.001, 1),
      scanIntervalSeconds: int('REPLICATION_SCAN_SECONDS', 300, 1, 86_400),
    },
    shutdownTimeoutSeconds: int('SHUTDOWN_TIMEOUT_SECONDS', 10, 0, 600),
    telemetry: {
      ...(str('APPLICATIONINSIGHTS_CONNECTION_STRING') ? { appInsightsConnectionString: str('APPLICATIONINSIGHTS_CONNECTION_STRING') } : {}),
      ...(str('METRICS_PORT') !== undefined ? { metricsPort: int('METRICS_PORT', 0, 0, 65535) } : {}),
      metricsHost: str('METRICS_HOST') ?? '127.0.0.1',
    },
    readiness: {
      azureFailures: int('READY_AZURE_FAILURES', 5, 1, 1000),
      outboxMaxAgeSeconds: int('READY_OUTBOX_MAX_AGE_SECONDS', 900, 1, 7 * 86_400),
    },
  };

  if (problems.length) throw new ConfigError(problems);
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
