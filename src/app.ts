import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DefaultAzureCredential } from '@azure/identity';
import { ConversationState } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { CardActionRouter } from './actions/cardActionRouter';
import { imageActions } from './actions/imageActions';
import { retryRegionsAction } from './actions/retryRegionsAction';
import { templateActions } from './actions/templateActions';
import { setUpAzure, type AzureSetup } from './azureSetup';
import { LabGalleryBot } from './bot/labGalleryBot';
import { BotConnectorTransport } from './bot/botConnectorTransport';
import { dialogEdge } from './bot/turnState';
import { createCommandRegistry } from './commands';
import { CommandDispatcher } from './commands/dispatcher';
import type { CommandServices } from './interaction';
import type { Config, GeographyMatch, ReadinessSettings, ReplicationSettings } from './config';
import { CachedLabHostGateway } from './core/cachedLabHostGateway';
import { ConfigAccessPolicy } from './core/configAccessPolicy';
import { ConfirmationService } from './core/confirmationService';
import { FileShelf } from './core/fileShelf';
import { ConversationDirectory } from './core/conversationDirectory';
import { GalleryService } from './core/galleryService';
import { ImageService } from './core/imageService';
import { LabCreationService } from './core/labCreationService';
import { SecretVault } from './core/secretVault';
import { OperationRunner } from './core/operationRunner';
import { ReplicationService } from './core/replicationService';
import { Outbox, teamsRateLimits } from './outbox';
import { GalleryScanner } from './replication/galleryScanner';
import { ReadBudget } from './replication/readBudget';
import { ReplicationAudience } from './replication/replicationAudience';
import { ReplicationTracker } from './replication/replicationTracker';
import { TrackerLease } from './replication/trackerLease';
import { createGalleryDialogs, type GalleryDialogDeps } from './dialogs/galleryDialogs';
import { operationNotice, operationReport } from './dialogs/operationReports';
import { ProposalHandler } from './dialogs/proposals';
import { OperationPosts, operationCardKey } from './operations/operationPosts';
import { finishedCard, labReadyMention } from './operations/statusCards';
import { toActivity } from './bot/replies';
import { GatewayHostDirectory } from './core/gatewayHostDirectory';
import { HighestRoleAccessPolicy } from './core/highestRoleAccessPolicy';
import { RbacAccessPolicy } from './core/rbacAccessPolicy';
import type { AccessPolicy } from './ports/accessPolicy';
import { systemClock, type Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import type { ConversationNotifier } from './ports/notifier';
import { noTelemetry, type Telemetry } from './ports/telemetry';
import { armTelemetryPolicy } from './azure/armTelemetryPolicy';
import { FailureStreak } from './telemetry/failureStreak';
import { setUpTelemetry, type TelemetryOverrides, type TelemetrySetup } from './telemetry/setUpTelemetry';
import { createAdapter, startServer, type ReadinessCheck, type RunningServer } from './server';
import {
  isStorageBackend,
  openPostgresDatabase,
  openSqliteDatabase,
  postgresBackend,
  sqliteBackend,
  type SqliteDatabase,
  type StorageBackend,
} from './storage';

/** A host read is reused this long by status and role checks; mutations drop it at once. */
const HOST_CACHE_MS = 60_000;

export interface BotParts {
  /** Every store, from either backend; the tests hand in an open SQLite database, which stands for its backend. */
  db: SqliteDatabase | StorageBackend;
  azure: AzureSetup;
  access: Config['access'];
  /** The one clock everything reads and waits on (the replication tracker's, in the demo, is `azure.simulatedClock`). */
  clock: Clock;
  log: Logger;
  /** Sends what long operations have to say after their turn has ended. */
  notifier: ConversationNotifier;
  /** Defaults: 90,000 reads/hour, a tenth of it for the tracker, a scan every 5 minutes, `geography`. */
  replication?: ReplicationSettings;
  geographyMatch?: GeographyMatch;
  /** Tenants answered (lower case); empty or absent: any. */
  allowedTenantIds?: readonly string[];
  /** Turn, operation and step spans and metrics; default none. */
  telemetry?: Telemetry;
  /**
   * How files (inventory CSVs) reach the requester: Teams' file consent card, or a signed, expiring download link
   * served by the bot (the demo: the Agents Playground cannot carry out a file consent upload). Default link.
   */
  fileDelivery?: 'consent' | 'link';
  /** The bot's Microsoft app id (opening a personal chat from a channel); empty in the demo. */
  botAppId?: string;
  /** One of several instances on a shared database: its name in claims and leases, and their period. Default: alone. */
  instance?: { id: string; leaseMs: number };
}

const DEFAULT_REPLICATION: ReplicationSettings = { armReadsPerHour: 90_000, readShare: 0.1, scanIntervalSeconds: 300 };

export interface BuiltBot {
  bot: LabGalleryBot;
  services: CommandServices;
  policy: AccessPolicy;
  runner: OperationRunner;
  /** What the gallery dialogs run on (DialogTestClient tests drive the dialogs with it). */
  dialogDeps: GalleryDialogDeps;
  /** Not started: startApp starts it, tests tick it. */
  tracker: ReplicationTracker;
  /** Files waiting for their requester; closed (deleted) by the owner of the bot. */
  files: FileShelf;
}

/** Wires the bot over storage and Azure. Shared by startApp and the bot-level tests. */
export function buildBot(parts: BotParts): BuiltBot {
  const { azure, access, clock, log, notifier } = parts;
  const storage = isStorageBackend(parts.db) ? parts.db : sqliteBackend(parts.db);
  const telemetry = parts.telemetry ?? noTelemetry;
  const { gateways } = azure;
  const geographyMatch = parts.geographyMatch ?? 'geography';
  const labHosts = new CachedLabHostGateway(gateways.labHosts, clock, HOST_CACHE_MS);
  const policy = new HighestRoleAccessPolicy(
    [
      new ConfigAccessPolicy(access),
      new RbacAccessPolicy(gateways.roles, clock, { ttlMs: access.roleCacheTtlSeconds * 1000, logger: log }),
    ],
    (error) => log.warn({ err: error }, 'role source failed; counted as member'),
  );
  const operations = storage.operations(log.child({ component: 'operations' }));
  const bindings = storage.bindings;
  const refs = storage.conversationRefs;
  const tracker = buildTracker(parts, storage, labHosts, geographyMatch);
  const audit = storage.audit;
  // Lab passwords go from LabCreationService to the runner through this one vault, in memory only.
  const secrets = new SecretVault();
  // Operation steps must see Azure as it is now (a host still Updating is waited out), so they skip the cache.
  const stepGateways = { labHosts: gateways.labHosts, galleries: gateways.galleries, roles: gateways.roles, servicePrincipals: gateways.servicePrincipals };
  const galleryService = new GalleryService({ ...stepGateways, labHosts, operations, clock, newId: randomUUID, locations: gateways.locations });
  const posts = new OperationPosts(storage.botStorage, notifier);
  const runner = new OperationRunner({
    operations,
    gateways: stepGateways,
    secrets,
    audit,
    clock,
    logger: log,
    telemetry,
    ...(parts.instance ? { claims: { owner: parts.instance.id, ttlMs: parts.instance.leaseMs } } : {}),
    report: async (op) => {
      labHosts.forget(op.hostId);
      // The card the turn posted for it, if it recorded one: then the outcome is told there, in place.
      const post = await posts.get(op.id);
      const cardKey = operationCardKey(op.id);
      if ((op.kind === 'replicate' || op.kind === 'retryRegions') && op.status === 'succeeded') {
        await tracker.track({
          versionId: op.target,
          hostId: op.hostId,
          targets: op.progress.targets ?? [],
          // The journal's time is the bot's clock; in the demo the tracker keeps simulated time, and one clock is shown.
          ...(parts.azure.simulatedClock ? {} : { startedAt: op.createdAt }),
          requester: { userId: op.requestedBy, conversationId: op.conversationId, locale: op.locale, ...(post ? { cardKey } : {}) },
          // Same targets as the failed replication: the retry is a new attempt, watched and announced anew.
          ...(op.kind === 'retryRegions' ? { attempt: op.id } : {}),
        });
      }
      if (!post) {
        await notifier.send(op.conversationId, operationReport(op), { key: `operation:${op.id}` });
        return;
      }
      await notifier.update(post.conversationId, cardKey, finishedCard(op, post.user.name));
      if (op.kind === 'createLab' && op.status === 'succeeded' && post.user.name) {
        await notifier.send(post.conversationId, labReadyMention(op, { id: post.user.id, name: post.user.name }, post.thread), { key: `operation:${op.id}:ready` });
      }
    },
    // The outbox key makes each notice once per operation, even when a resumed step asks again.
    notice: async (op, noticeKey, message) => {
      await notifier.send(op.conversationId, operationNotice(op, message), { key: `operation:${op.id}:${noticeKey}` });
    },
  });
  const images = new ImageService(labHosts, gateways.galleries, clock);
  const confirmations = new ConfirmationService(storage.confirmations, clock, randomUUID);
  const files = new FileShelf(clock);
  const services: CommandServices = {
    bindings,
    audit,
    clock,
    hosts: new GatewayHostDirectory(labHosts),
    labHosts,
    locations: gateways.locations,
    permissions: gateways.permissions,
    images,
    labs: new LabCreationService({ labHosts, images, operations, secrets, newId: randomUUID }),
    galleries: gateways.galleries,
    replicationWatches: storage.replicationWatches(parts.azure.simulatedClock ?? clock),
    files,
    confirmations,
    posts,
    launch: (operationId) => runner.launch(operationId),
  };
  const proposals = new ProposalHandler({ confirmations, galleryService, runner, policy, audit, clock, posts, toActivity, logger: log });
  const replication = new ReplicationService({ labHosts, galleries: gateways.galleries, locations: gateways.locations, geographyMatch });
  const dialogDeps: GalleryDialogDeps = { galleries: gateways.galleries, galleryService, confirmations, proposals, replication, edge: dialogEdge, clock, logger: log };
  const conversationState = new ConversationState(storage.botStorage);
  const bot = new LabGalleryBot({
    dispatcher: new CommandDispatcher(createCommandRegistry(), services, policy, telemetry),
    conversations: new ConversationDirectory(refs, services.bindings, clock, () => azure.defaultHostId),
    conversationState,
    dialogs: createGalleryDialogs(conversationState.createProperty<DialogState>('dialogState'), dialogDeps),
    dialogOwner: conversationState.createProperty<string | undefined>('dialogOwner'),
    proposals,
    actions: new CardActionRouter([...imageActions, ...templateActions, retryRegionsAction], { services, policy, notifier }),
    log,
    ...(parts.allowedTenantIds ? { allowedTenantIds: parts.allowedTenantIds } : {}),
    telemetry,
    files: { shelf: files, delivery: parts.fileDelivery ?? 'link', ...(parts.botAppId ? { appId: parts.botAppId } : {}) },
  });
  return { bot, services, policy, runner, dialogDeps, tracker, files };
}

function buildTracker(
  parts: BotParts,
  storage: Pick<StorageBackend, 'bindings' | 'conversationRefs' | 'replicationWatches' | 'leases'>,
  labHosts: CachedLabHostGateway,
  geographyMatch: GeographyMatch,
): ReplicationTracker {
  const settings = parts.replication ?? DEFAULT_REPLICATION;
  const galleries = parts.azure.trackerGalleries ?? parts.azure.gateways.galleries;
  // In the demo the tracker reads and waits in the emulator's simulated time, like the replications it watches.
  const clock = parts.azure.simulatedClock ?? parts.clock;
  const watches = storage.replicationWatches(clock);
  const { bindings, conversationRefs: refs } = storage;
  const budget = new ReadBudget(clock, { readsPerHour: settings.armReadsPerHour * settings.readShare });
  return new ReplicationTracker({
    watches,
    galleries,
    scanner: new GalleryScanner({ bindings, labHosts, galleries, watches, onRead: () => budget.spend() }),
    audience: new ReplicationAudience(bindings, refs),
    locations: parts.azure.gateways.locations,
    geographyMatch,
    notifier: parts.notifier,
    ...(parts.instance ? { leases: storage.leases } : {}),
    budget,
    clock,
    logger: parts.log.child({ component: 'replication' }),
    scanIntervalMs: settings.scanIntervalSeconds * 1000,
  });
}

export interface AppOptions {
  log: Logger;
  clock?: Clock;
  /** Tests hand in their own emulator and gateways; otherwise built from the configuration. */
  azure?: AzureSetup;
  /** Tests and the bench: spans to their own tracer, metrics without a listener. */
  telemetry?: TelemetryOverrides;
}

export interface RunningApp {
  server: RunningServer;
  services: CommandServices;
  azure: AzureSetup;
  telemetry: TelemetrySetup;
  /** Stops accepting, lets turns in flight finish, closes storage (and the demo emulator). Idempotent. */
  close(): Promise<void>;
}

/** Builds everything from the configuration and starts listening. */
export async function startApp(config: Config, options: AppOptions): Promise<RunningApp> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  const observed = await setUpTelemetry(config.telemetry, log, options.telemetry);
  const { telemetry } = observed;
  // Always counted, telemetry or not: readiness reads it.
  const azureFailures = new FailureStreak();
  const db = await openStorage(config, clock, log);
  if (db.migrationsApplied.length) log.info({ versions: db.migrationsApplied, backend: db.kind, database: db.location }, 'database migrated');
  let azure: AzureSetup | undefined;
  const ownsAzure = !options.azure;

  try {
    azure = options.azure ?? (await setUpAzure(config, clock, log, [armTelemetryPolicy([telemetry, azureFailures])]));
    const { gateways } = azure;
    const adapter = createAdapter(config.botFramework, log);
    const refs = db.conversationRefs;
    // On PostgreSQL other instances may deliver too: Teams' limits are counted in the database, and their rows read.
    const fleetLimiter = db.outboxRateLimiter(teamsRateLimits);
    const outbox = new Outbox({
      store: db.outbox,
      transport: new BotConnectorTransport(adapter, config.botFramework.appId, refs, { telemetry }),
      refs,
      // One backend: a send is queued in one round trip where the store can (PostgreSQL).
      refsShareStore: true,
      clock,
      logger: log.child({ component: 'outbox' }),
      telemetry,
      ...(fleetLimiter ? { limiter: fleetLimiter, fleet: { rescanEveryMs: 5_000 } } : {}),
    });
    // PostgreSQL may be shared by several instances: they coordinate through leases and claims. A SQLite file has one.
    const instance = db.kind === 'postgres' ? { id: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, leaseMs: config.leaseSeconds * 1000 } : undefined;
    const { bot, services, runner, tracker, files } = buildBot({
      db,
      azure,
      access: config.access,
      clock,
      log,
      notifier: outbox,
      replication: config.replication,
      geographyMatch: config.geographyMatch,
      allowedTenantIds: config.allowedTenantIds,
      telemetry,
      fileDelivery: config.mode === 'demo' ? 'link' : 'consent',
      botAppId: config.botFramework.appId,
      ...(instance ? { instance } : {}),
    });
    const trackerRun = instance
      ? new TrackerLease({ leases: db.leases, tracker, holder: instance.id, ttlMs: instance.leaseMs, renewMs: instance.leaseMs / 3, clock, logger: log.child({ component: 'replication' }) })
      : tracker;
    observed.metrics?.observe({ outbox: () => outbox.backlog(), replication: () => tracker.stats(), azureFailureStreak: () => azureFailures.current, now: () => clock.now() });
    const server = await startServer(
      {
        adapter,
        bot,
        log,
        readiness: readinessChecks({ db, gateways, azureFailures, outbox, clock, settings: config.readiness }),
        files,
      },
      config.port,
      config.host,
    );
    if (config.mode === 'demo') {
      log.info(
        { chat: `TEAMSAPPTESTER_BROWSER=none npx agentsplayground -e http://127.0.0.1:${server.port}/api/messages -c msteams -p 56150 --disable-telemetry` },
        'demo mode: chat with the bot through the Microsoft 365 Agents Playground (or start both with: npm run playground)',
      );
    }
    files.baseUrl = server.url;
    // Messages queued before a restart go out first; then unfinished operations and replications resume.
    await outbox.start();
    const resumed = await runner.resumeAll();
    if (resumed.length) log.info({ operations: resumed }, 'resumed unfinished operations');
    runner.keepClaims();
    trackerRun.start();

    const setup = azure;
    let closing: Promise<void> | undefined;
    return {
      server,
      services,
      azure: setup,
      telemetry: observed,
      close() {
        closing ??= (async () => {
          const timeoutMs = config.shutdownTimeoutSeconds * 1000;
          // The tracker's lease first, then (after the drain) the operation claims: other instances take over at once.
          await trackerRun.stop();
          await server.close(timeoutMs);
          await runner.drain(timeoutMs);
          await outbox.drain(timeoutMs);
          await outbox.stop();
          files.close();
          await db.close();
          if (ownsAzure) await setup.close();
          await observed.close();
          log.info('stopped');
        })();
        return closing;
      },
    };
  } catch (error) {
    await db.close();
    if (azure && ownsAzure) await azure.close();
    await observed.close();
    throw error;
  }
}

/**
 * SQLite under DATA_DIR unless DATABASE_URL names a PostgreSQL database. With DATABASE_AUTH=entra the password is
 * an Entra token of the bot's identity (DefaultAzureCredential: the managed identity on Azure).
 */
async function openStorage(config: Config, clock: Clock, log: Logger): Promise<StorageBackend> {
  if (!config.database) return sqliteBackend(openSqliteDatabase({ dataDir: config.dataDir, clock }));
  const { url, auth } = config.database;
  const tenantId = config.azure?.tenantId;
  const database = await openPostgresDatabase({
    url,
    auth,
    clock,
    logger: log.child({ component: 'storage' }),
    ...(auth === 'entra' ? { credential: new DefaultAzureCredential(tenantId ? { tenantId } : {}) } : {}),
  });
  return postgresBackend(database);
}

export interface ReadinessParts {
  db: { ping(): boolean | Promise<boolean> };
  gateways: Pick<AzureSetup['gateways'], 'labHosts' | 'locations'>;
  azureFailures: FailureStreak;
  outbox: Pick<Outbox, 'backlog'>;
  clock: Clock;
  settings: ReadinessSettings;
}

/**
 * What /readyz checks: storage answers; Azure has not failed `azureFailures` times in a row (then one
 * uncached read probes it, so that an idle instance recovers on its own); the oldest pending proactive
 * message is younger than the limit (otherwise Teams or the outbox is stuck).
 */
export function readinessChecks(parts: ReadinessParts): ReadinessCheck[] {
  const { db, gateways, azureFailures, outbox, clock, settings } = parts;
  return [
    { name: 'storage', check: async () => (await db.ping()) || { ok: false, reason: 'storage unreachable' } },
    {
      name: 'azure',
      check: async () => {
        if (azureFailures.current >= settings.azureFailures) {
          await gateways.labHosts.listHosts().catch(() => undefined);
          if (azureFailures.current >= settings.azureFailures) return { ok: false, reason: `${azureFailures.current} ARM requests failed in a row` };
        }
        return (await gateways.locations.listRegions()).length > 0;
      },
    },
    {
      name: 'outbox',
      check: async () => {
        const { oldestCreatedAt } = await outbox.backlog();
        const ageSeconds = oldestCreatedAt === undefined ? 0 : Math.floor((clock.now() - oldestCreatedAt) / 1000);
        return ageSeconds > settings.outboxMaxAgeSeconds
          ? { ok: false, reason: `oldest pending message is ${ageSeconds} s old (limit ${settings.outboxMaxAgeSeconds} s)` }
          : true;
      },
    },
  ];
}
