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
  /** Unset = Microsoft's public cloud. Not read from the environment: the token tests point it at a local server. */
  endpoints?: BotFrameworkEndpoints;
}

/** Where Bot Framework publishes its signing keys, and the issuer of the channels' tokens. */
export interface BotFrameworkEndpoints {
  openIdMetadataUrl: string;
  tokenIssuer: string;
  /** Keys for Emulator and skill tokens (Entra ID). */
  emulatorOpenIdMetadataUrl: string;
}

export interface AzureSettings {
  subscriptionId: string;
  tenantId?: string;
}

export type AzureCloudName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';

/** Which Azure the bot talks to: the national cloud (ARM, authority host, Graph) and an optional ARM endpoint override. */
export interface CloudSettings {
  name: AzureCloudName;
  /**
   * ARM_ENDPOINT without its trailing slash: Azure Stack Hub (https) or a local emulator (`http://` on a
   * loopback address only, served with a fixed development token). Absent: the cloud's own endpoint.
   */
  armEndpoint?: string;
}

export interface DemoSettings {
  /** Port of the in-process ARM emulator; 0 picks a free one. */
  emulatorPort: number;
  /** Simulated seconds per real second, so a demo replication finishes in about a minute. */
  timeScale: number;
  // doctor / permissions
  /** Simulated minutes before the emulator's Lab Services honours a new Owner on a gallery (Azure: up to ~10). */
  rolePropagationMinutes: number;
  /** Actions the demo bot's identity lacks, e.g. `Microsoft.Authorization/roleAssignments/write`, for `doctor`. */
  botMissingPermissions: readonly string[];
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
  cloud: CloudSettings;
  demo: DemoSettings;
  access: { adminIds: readonly string[]; teacherIds: readonly string[]; roleCacheTtlSeconds: number };
  /** Host (ARM id or name) a conversation starts bound to; in the demo the lab plan. */
  defaultLabHost?: string;
  labServices: { planPrincipalObjectId?: string; accountPrincipalObjectId?: string };
  geographyMatch: GeographyMatch;
  replication: ReplicationSettings;
  shutdownTimeoutSeconds: number;
  /**
   * With PostgreSQL (several instances): how long the replication tracker's lease and an instance's operation
   * claims last unless renewed (renewed every third of it). A dead instance's work is taken over within about this.
   */
  leaseSeconds: number;
  /** Tenants whose activities the bot answers (lower case); empty = any. */
  allowedTenantIds: readonly string[];
  /** Set by DATABASE_URL: PostgreSQL instead of the SQLite file under dataDir. */
  database?: DatabaseSettings;
  telemetry: TelemetrySettings;
  readiness: ReadinessSettings;
}

export interface DatabaseSettings {
  /** postgres://user[:password]@host[:port]/database[?sslmode=…] */
  url: string;
  /** 'entra': passwordless, an Entra access token of the bot's identity (Azure Database for PostgreSQL). */
  auth: 'password' | 'entra';
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
const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];
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
  // Full RBAC actions; `roleAssignments/write` alone is short for the Microsoft.Authorization one.
  const actionList = (key: string): string[] =>
    (str(key) ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '')
      .map((a) => (a.includes('.') || a === '*' ? a : `Microsoft.Authorization/${a}`));
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
  const host = str('HOST') ?? '0.0.0.0';
  // Without an app id the Bot Framework checks no token: anyone who reaches the port could act on real Azure.
  if (subscriptionId && !appId && !LOOPBACK_HOSTS.includes(host.toLowerCase())) {
    problems.push(
      `AZURE_SUBSCRIPTION_ID is set (Azure mode) but MicrosoftAppId is empty, so requests would not be authenticated: ` +
        `set MicrosoftAppId and MicrosoftAppPassword, or bind HOST to ${LOOPBACK_HOSTS.join(', ')} (got "${host}")`,
    );
  }

  // Tenant restriction: ALLOWED_TENANT_IDS, else in Azure mode the subscription's tenant (AZURE_TENANT_ID, else
  // the bot's MicrosoftAppTenantId); in the demo, empty: any tenant.
  const listedTenants = str('ALLOWED_TENANT_IDS') === undefined ? undefined : guidList('ALLOWED_TENANT_IDS');
  const homeTenant = tenantId ?? (appTenantId || undefined);
  const allowedTenantIds = listedTenants ?? (subscriptionId && homeTenant ? [homeTenant.toLowerCase()] : []);

  const cloudName = oneOf<AzureCloudName>('AZURE_CLOUD', ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'], 'AzureCloud');
  const armEndpoint = armEndpointOf(str('ARM_ENDPOINT'), problems);
  if (armEndpoint && !subscriptionId) problems.push('AZURE_SUBSCRIPTION_ID is required with ARM_ENDPOINT (npm run emulator prints the emulator\'s)');

  const config: Config = {
    port: int('PORT', 3978, 0, 65535),
    host,
    botFramework: { appId, appPassword, appType, appTenantId },
    dataDir: str('DATA_DIR') ?? './data',
    log: {
      level: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
      format: oneOf<LogFormat>('LOG_FORMAT', ['json', 'pretty'], 'json'),
    },
    mode: subscriptionId ? 'azure' : 'demo',
    ...(subscriptionId ? { azure: { subscriptionId, ...(tenantId ? { tenantId } : {}) } } : {}),
    cloud: { name: cloudName, ...(armEndpoint ? { armEndpoint } : {}) },
    demo: {
      emulatorPort: int('DEMO_EMULATOR_PORT', 0, 0, 65535),
      timeScale: num('DEMO_TIME_SCALE', 60, 0.001, 100000),
      rolePropagationMinutes: num('DEMO_ROLE_PROPAGATION_MINUTES', 3, 0, 60),
      botMissingPermissions: actionList('DEMO_BOT_MISSING_PERMISSION'),
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
    leaseSeconds: num('LEASE_SECONDS', 15, 0.3, 300),
    allowedTenantIds,
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

  const database = databaseSettings(env, problems);
  if (database) config.database = database;

  if (problems.length) throw new ConfigError(problems);
  return deepFreeze(config);
}

/**
 * ARM_ENDPOINT: an absolute https URL, or http only on a loopback address (a local emulator: requests and the
 * development token never leave the machine). Any other http endpoint would send bearer tokens in clear text.
 */
function armEndpointOf(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`ARM_ENDPOINT must be an absolute URL such as https://management.local.azurestack.external (got "${raw}")`);
    return undefined;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    problems.push(`ARM_ENDPOINT "${raw}" is plain http on a non-loopback host: tokens would travel unencrypted. Use https, or http://127.0.0.1:<port> for a local emulator`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`ARM_ENDPOINT must use https (or http on a loopback address for a local emulator), got "${raw}"`);
    return undefined;
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    problems.push(`ARM_ENDPOINT must be an origin without a path or query, such as http://127.0.0.1:4000 (got "${raw}")`);
    return undefined;
  }
  return url.origin;
}

/** localhost, 127.0.0.0/8 and ::1, as a URL spells them. */
function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** DATABASE_URL and DATABASE_AUTH; the URL's TLS rules are checked when the pool is built (storage/postgres). */
function databaseSettings(env: Env, problems: string[]): DatabaseSettings | undefined {
  const url = env.DATABASE_URL?.trim();
  const rawAuth = env.DATABASE_AUTH?.trim().toLowerCase();
  const auth = rawAuth === undefined || rawAuth === '' ? 'password' : rawAuth;
  if (auth !== 'password' && auth !== 'entra') problems.push(`DATABASE_AUTH must be one of password, entra (got "${env.DATABASE_AUTH ?? ''}")`);
  if (!url) {
    if (auth === 'entra') problems.push('DATABASE_AUTH=entra needs DATABASE_URL (postgres://<role>@<server>.postgres.database.azure.com/<database>)');
    return undefined;
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    problems.push('DATABASE_URL must be a URL: postgres://user@host:5432/database');
  }
  if (!parsed) return undefined;
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    problems.push(`DATABASE_URL must start with postgres:// (got ${parsed.protocol}//)`);
  }
  if (auth === 'entra' && parsed.password) problems.push('DATABASE_URL must not carry a password with DATABASE_AUTH=entra');
  return { url, auth: auth === 'entra' ? 'entra' : 'password' };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
