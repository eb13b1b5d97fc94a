import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConversationState, type Activity, type Middleware } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { buildBot } from '../../src/app';
import { parseAttachArgs, parseCreateArgs, type CommandServices, type DialogRequest, type DialogStart } from '../../src/interaction';
import { beginTurn } from '../../src/bot/turnState';
import type { Config } from '../../src/config';
import type { OperationRunner } from '../../src/core/operationRunner';
import { attachDialog } from '../../src/dialogs/attachDialog';
import { createGalleryDialog } from '../../src/dialogs/createDialog';
import { detachDialog } from '../../src/dialogs/detachDialog';
import type { GalleryDialogDeps } from '../../src/dialogs/galleryFlow';
import type { ManualClock } from '../../src/ports/clock';
import {
  SqliteBotStorage,
  SqliteOperationStore,
  type SqliteDatabase,
} from '../../src/storage/sqlite';
import { startDemoAzure, type DemoAzure } from './azureHarness';
import { memoryLogger } from './memoryLogger';
import { ADMIN, TEACHER } from './identities';
import { RecordingNotifier } from './recordingNotifier';
import { instantSleeps } from './manualTime';
import { openMigratedSqlite } from './migratedSqlite';

export type FlowName = 'attach' | 'create' | 'detach';

interface Flow {
  dialog: (deps: GalleryDialogDeps) => Dialog;
  /** The flow's options from the typed arguments, as its command's parse makes them. */
  options: (request: DialogRequest, args: string) => DialogStart['options'];
}

const DIALOGS: Readonly<Record<FlowName, Flow>> = {
  attach: { dialog: attachDialog, options: (request, args) => ({ ...request, ...parseAttachArgs(args) }) },
  create: { dialog: createGalleryDialog, options: (request, args) => ({ ...request, ...parseCreateArgs(args) }) },
  detach: { dialog: detachDialog, options: (request) => request },
};

/** What a flow is started with in these tests: the host, the requester, and the arguments as typed. */
export interface FlowRequest extends DialogRequest {
  args: string;
}

/** The conversation every DialogTestClient turn is addressed to (proposals and reports are bound to it). */
export const CONVERSATION_ID = 'conversation-1';

export interface DialogHarnessOptions {
  /** Extra admins and teachers from configuration (RBAC already gives ADMIN and TEACHER their roles). */
  access?: Partial<Config['access']>;
}

export interface DialogHarness {
  deps: GalleryDialogDeps;
  azure: DemoAzure;
  clock: ManualClock;
  db: SqliteDatabase;
  services: CommandServices;
  notifier: RecordingNotifier;
  /** Every activity a dialog replaced in place (updateActivity), in order. */
  updated: Partial<Activity>[];
  log: ReturnType<typeof memoryLogger>;
  runner: OperationRunner;
  /** A DialogTestClient on channel msteams with one component dialog as its root, state kept in SQLite. */
  client(flow: FlowName, request: FlowRequest): DialogTestClient;
  /** Waits (bounded) until every launched operation has finished and been reported. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The gallery dialogs' dependencies as buildBot wires them (real SQLite, real SDK adapters against the
 * seeded ARM emulator on a manual clock, the Config+RBAC policy, a runner that reports to a RecordingNotifier
 * and never really sleeps). ADMIN is Owner and TEACHER Lab Creator on both demo hosts.
 */
export async function createDialogHarness(options: DialogHarnessOptions = {}): Promise<DialogHarness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-dialog-'));
  const azure = await startDemoAzure({ owners: [ADMIN], teachers: [TEACHER] });
  const { clock } = azure;
  const db = openMigratedSqlite({ dataDir, clock });
  const log = memoryLogger();
  const notifier = new RecordingNotifier();
  const access = { adminIds: [], teacherIds: [], roleCacheTtlSeconds: 300, ...options.access };
  const { runner, services, dialogDeps: deps } = buildBot({ db, azure: azure.setup, access, clock: instantSleeps(clock), log, notifier });

  let turns = 0;
  // The bot edge gives every turn a correlation id; dialogs put it in journal entries and reports.
  const correlation: Middleware = {
    onTurn: async (context, next) => {
      beginTurn(context, log, `turn-${++turns}`);
      await next();
    },
  };

  const updated: Partial<Activity>[] = [];
  const recordUpdates: Middleware = {
    onTurn: async (context, next) => {
      context.onUpdateActivity(async (_context, activity, nextUpdate) => {
        updated.push(activity);
        await nextUpdate();
      });
      await next();
    },
  };
  return {
    deps,
    azure,
    clock,
    db,
    services,
    notifier,
    updated,
    log,
    runner,
    client: (flow, { args, ...request }) =>
      new DialogTestClient('msteams', DIALOGS[flow].dialog(deps), DIALOGS[flow].options(request, args), [correlation, recordUpdates], new ConversationState(new SqliteBotStorage(db))),
    settle: async () => {
      const journal = new SqliteOperationStore(db);
      for (let waited = 0; (await journal.listUnfinished()).length > 0; waited += 10) {
        if (waited > 5_000) throw new Error('operations still unfinished after 5 s');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: async () => {
      try {
        await runner.drain(5_000);
        db.close();
        await azure.emulator.close();
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export interface Speaker {
  aadObjectId: string;
  locale?: string;
}

/** A Teams message from this user: typed text, or a card's Action.Submit data. */
export function teamsMessage(input: string | Record<string, unknown>, as: Speaker): Partial<Activity> {
  return {
    type: 'message',
    ...(typeof input === 'string' ? { text: input } : { value: input }),
    locale: as.locale ?? 'en-US',
    from: { id: `29:user-${as.aadObjectId}`, name: 'User', aadObjectId: as.aadObjectId },
    conversation: { id: CONVERSATION_ID, isGroup: false, conversationType: 'personal', name: 'chat' },
    recipient: { id: '28:bot-1', name: 'Lab Gallery' },
    channelData: { tenant: { id: 'tenant-1' } },
  };
}

/** Sends one activity to the dialog and drains every reply it produced. */
export async function turn(client: DialogTestClient, activity: Partial<Activity>): Promise<Partial<Activity>[]> {
  const first = (await client.sendActivity(activity)) as Partial<Activity> | undefined;
  const replies: Partial<Activity>[] = first ? [first] : [];
  for (let next = client.getNextReply(); next; next = client.getNextReply()) replies.push(next);
  return replies;
}

/** The data of the card's first Action.Submit whose data has this verb (and passes `where`). */
export function submitData(
  activity: Partial<Activity> | undefined,
  verb: string,
  where: (data: Record<string, unknown>) => boolean = () => true,
): Record<string, unknown> {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      const data = o.data as Record<string, unknown> | undefined;
      if (o.type === 'Action.Submit' && data?.verb === verb && where(data)) found.push(data);
      Object.values(o).forEach(walk);
    }
  };
  walk(activity?.attachments?.map((a) => a.content as unknown));
  if (!found[0]) throw new Error(`no matching ${verb} button in ${JSON.stringify(activity)}`);
  return found[0];
}
