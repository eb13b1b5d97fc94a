import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { buildBot } from '../../src/app';
import type { CommandServices } from '../../src/interaction';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { Config } from '../../src/config';
import type { Telemetry } from '../../src/ports/telemetry';
import type { EmulatorOptions } from '../../src/emulator';
import type { ManualClock } from '../../src/ports/clock';
import { SqliteOperationStore, type SqliteDatabase } from '../../src/storage/sqlite';
import { startDemoAzure, type DemoAzure } from './azureHarness';
import type { ReplicationTracker } from '../../src/replication/replicationTracker';
import { RecordingNotifier } from './recordingNotifier';
import type { OperationRunner } from '../../src/core/operationRunner';
import { instantSleeps } from './manualTime';
import { ADMIN, TEACHER } from './identities';
import { memoryLogger } from './memoryLogger';
import { openMigratedSqlite } from './migratedSqlite';

// Light helpers live in modules of their own, so that a test needing only them does not load the whole bot.
export { ACCOUNT_ID, ADMIN, MEMBER, PLAN_ID, TEACHER } from './identities';
export { memoryLogger } from './memoryLogger';
export { visibleText } from './visibleText';

export interface BotHarnessOptions {
  /** Extra admins and teachers from configuration (RBAC gives ADMIN and TEACHER their roles). */
  access?: Partial<Config['access']>;
  /** Bind new conversations to the demo lab plan. */
  defaultHost?: boolean;
  /** Emulator settings (e.g. throttling off for a benchmark). */
  emulator?: EmulatorOptions;
  dataDir?: string;
  /** Tenant restriction (lower case); the harness's activities come from `tenant-1`. */
  allowedTenantIds?: readonly string[];
  /** Telemetry for the bot, and policies for every ARM pipeline (the telemetry's ARM policy). */
  telemetry?: Telemetry;
  armPolicies?: PipelinePolicy[];
  /** How files (inventory) reach the requester; default a download link. */
  fileDelivery?: 'consent' | 'link';
}

export interface BotHarness {
  adapter: TestAdapter;
  services: CommandServices;
  azure: DemoAzure;
  db: SqliteDatabase;
  clock: ManualClock;
  log: ReturnType<typeof memoryLogger>;
  notifier: RecordingNotifier;
  /** Every activity the bot replaced in place (updateActivity), in order. */
  updated: Partial<Activity>[];
  runner: OperationRunner;
  /** Not started: tests tick it on the manual clock. */
  tracker: ReplicationTracker;
  /** Waits until every launched operation has finished and been reported. */
  settle(): Promise<void>;
  /** Sends a message as the given user and returns every activity the bot sent back. */
  say(text: string, as?: { aadObjectId?: string; locale?: string; conversationId?: string }): Promise<Partial<Activity>[]>;
  send(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
  close(): Promise<void>;
}

/**
 * The bot as startApp wires it (real SQLite, real SDK adapters against the seeded ARM emulator), driven by
 * botbuilder's TestAdapter on channel msteams. ADMIN is Owner and TEACHER Lab Creator on both demo hosts.
 */
export async function createBotHarness(options: BotHarnessOptions = {}): Promise<BotHarness> {
  // A folder the caller passed is the caller's to remove; one made here goes in close().
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-bot-'));
  const azure = await startDemoAzure({
    owners: [ADMIN],
    teachers: [TEACHER],
    defaultHost: options.defaultHost ?? false,
    ...(options.emulator ? { emulator: options.emulator } : {}),
    ...(options.armPolicies ? { additionalPolicies: options.armPolicies } : {}),
  });
  const { clock } = azure;
  const db = openMigratedSqlite({ dataDir, clock });
  const log = memoryLogger();
  const access = { adminIds: [], teacherIds: [], roleCacheTtlSeconds: 300, ...options.access };
  const notifier = new RecordingNotifier();
  const { bot, services, runner, tracker, files } = buildBot({
    db,
    azure: azure.setup,
    access,
    clock: instantSleeps(clock),
    log,
    notifier,
    ...(options.allowedTenantIds ? { allowedTenantIds: options.allowedTenantIds } : {}),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    ...(options.fileDelivery ? { fileDelivery: options.fileDelivery } : {}),
  });
  // The template overrides every activity's fields, so it holds only what never varies; send() fills the rest.
  const adapter = new TestAdapter(async (context) => bot.run(context), { channelId: 'msteams' });
  const updated: Partial<Activity>[] = [];
  const update = adapter.updateActivity.bind(adapter);
  adapter.updateActivity = async (context, activity) => {
    updated.push(activity);
    return update(context, activity);
  };

  const drain = () => {
    const out: Partial<Activity>[] = [];
    while (adapter.activeQueue.length) out.push(adapter.activeQueue.shift() as Partial<Activity>);
    return out;
  };
  const send = async (activity: Partial<Activity>) => {
    await adapter.processActivity({
      conversation: { id: 'conversation-1', isGroup: false, conversationType: 'personal', name: 'chat' },
      recipient: { id: 'bot-1', name: 'Lab Gallery' },
      channelData: { tenant: { id: 'tenant-1' } },
      ...activity,
    });
    return drain();
  };

  return {
    adapter,
    services,
    azure,
    db,
    clock,
    log,
    notifier,
    updated,
    runner,
    tracker,
    settle: async () => {
      // The journal is quiet when nothing is running and every outcome has been reported.
      const journal = new SqliteOperationStore(db);
      for (let waited = 0; (await journal.listUnfinished()).length > 0; waited += 10) {
        if (waited > 10_000) throw new Error('operations still unfinished after 10 s');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    send,
    say: (text, as = {}) =>
      send({
        type: 'message',
        text,
        locale: as.locale ?? 'en-US',
        from: { id: `user-${as.aadObjectId ?? 'anon'}`, name: 'User', ...(as.aadObjectId ? { aadObjectId: as.aadObjectId } : {}) },
        ...(as.conversationId ? { conversation: { id: as.conversationId, isGroup: true, conversationType: 'channel', name: 'General' } } : {}),
      }),
    close: async () => {
      try {
        await runner.drain(10_000);
        files.close();
        db.close();
        await azure.emulator.close();
      } finally {
        if (ownDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
