import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { memoryLogger } from './memoryLogger';
import { actionPayload, cardTexts, findCardAction, type ActionSelector, type CardJson } from './cardReader';
import { openWebSocketReader, type WebSocketReader } from './webSocketReader';
import { playgroundNodeArgs } from './playgroundCli';

/**
 * The bot (demo mode, in-process) and the Microsoft 365 Agents Playground (a child process) on free ports, with a
 * typed client for the Playground's HTTP API and its WebSocket. One per test file: start it in beforeAll and close
 * it in afterAll. How the Playground's API works is written down at the end of this file.
 */

export interface PlaygroundUser {
  /** Channel user id (`user-id-0`…): what `from.id` carries and card `refresh.userIds` name. */
  id: string;
  name: string;
  aadObjectId: string;
}

export interface PlaygroundConversations {
  /** The current user's one-to-one chat with the bot. Only the current user is in it. */
  personal: string;
  /** A group chat of the current user and every other user. The bot only hears @mentions there. */
  group: string;
  /** The team's General channel (its id is the team id). A message there starts a new post (thread). */
  channel: string;
  /** The team's channels, General first. */
  channels: readonly { id: string; name: string }[];
}

/** A message the bot sent, as the Playground streams it on the WebSocket. */
export interface BotActivity {
  /** Position in the order of arrival, from 0. */
  seq: number;
  /** `create`: a new message; `update`: the bot replaced an earlier one in place (updateActivity). */
  action: 'create' | 'update';
  /** The Playground's id of the message: the replyToId of its card buttons, the id updateActivity targets. */
  messageId: string;
  /** The conversation the message is in; in a channel, the post (thread) `<channel>;messageid=<id>`. */
  conversationId: string;
  /** For a message that starts a channel post, the channel it was posted in. */
  postedIn?: string;
  fromId: string;
  text?: string;
  attachments: readonly { contentType: string; content: unknown }[];
  /** The Adaptive Card of the first card attachment. */
  card?: CardJson;
  receivedAt: number;
}

/** Where a message of the test went; `since` is where to start looking for what the bot answered. */
export interface Sent {
  conversationId: string;
  messageId: string;
  since: number;
}

/** What an `adaptiveCard/action` invoke was answered with. */
export interface InvokeAnswer {
  /** `application/vnd.microsoft.card.adaptive`, `application/vnd.microsoft.activity.message` or `…error`. */
  type: string;
  /** The card that replaces the pressed one (Teams and the Playground show it in place). */
  card?: CardJson;
  /** A message response: the text shown under the card. */
  text?: string;
  error?: { code?: string; message?: string };
  /** Activities that arrived while the invoke ran; follow-ups come later, look from here. */
  since: number;
}

export interface ButtonOptions {
  /** Who presses it; the current user by default. */
  as?: PlaygroundUser;
  /** Values typed or toggled into the card's inputs, by input id. */
  inputs?: Readonly<Record<string, string>>;
}

export interface WaitOptions {
  /** Only activities from this position on (default: all received so far and later). */
  since?: number;
  timeoutMs?: number;
}

export interface PlaygroundOptions {
  /** Extra bot configuration (the keys of .env.example); demo mode, a temp DATA_DIR and free ports by default. */
  env?: Readonly<Record<string, string>>;
  /** How long the Playground may take to start. */
  startTimeoutMs?: number;
}

export interface Playground {
  /** The running bot: its services and demo Azure (`app.azure.gateways`) let tests assert side effects. */
  app: RunningApp;
  /** Everything the bot logged (memory logger). */
  log: ReturnType<typeof memoryLogger>;
  /** The Playground's base URL (its web UI too). */
  url: string;
  botName: string;
  tenantId: string;
  /**
   * The Playground's users by their demo role: `admin` is its current user (Owner of both demo hosts), `teacher`
   * its first other user (Lab Creator), `member` the next one (no role).
   */
  users: { admin: PlaygroundUser; teacher: PlaygroundUser; member: PlaygroundUser; all: readonly PlaygroundUser[] };
  conversations: PlaygroundConversations;
  /** Every message the bot sent or updated, in order of arrival. */
  readonly activities: readonly BotActivity[];
  /** Position the next activity will have: pass it as `since` to look only at what comes after now. */
  mark(): number;
  /**
   * Sends a message as a user. The current user, in English, goes through the Playground's message API, as its
   * web UI does; another user or another locale goes as a "custom activity" (the Playground's "Mock an activity"),
   * because its message API always sends as the current user. In a group chat or a channel, the bot is @mentioned.
   */
  say(conversationId: string, text: string, as?: PlaygroundUser, options?: { locale?: string }): Promise<Sent>;
  /** Presses an Action.Execute button of a message's card: an `adaptiveCard/action` invoke, answered at once. */
  execute(message: BotActivity, selector: ActionSelector, options?: ButtonOptions): Promise<InvokeAnswer>;
  /** Presses an Action.Submit button: a message activity with `value`; the bot answers with new messages. */
  submit(message: BotActivity, selector: ActionSelector, options?: ButtonOptions): Promise<Sent>;
  /** The first activity (from `since`) the predicate accepts; rejects after the timeout with diagnostics. */
  waitForActivity(predicate: (activity: BotActivity) => boolean, options?: WaitOptions): Promise<BotActivity>;
  /** The bot's next new message in the conversation of `sent` (optionally the first one the predicate accepts). */
  replyTo(sent: Sent, predicate?: (activity: BotActivity) => boolean, timeoutMs?: number): Promise<BotActivity>;
  /** The card a message shows now: the last of its creation, its in-place updates and invoke answers. */
  currentCard(messageId: string): CardJson | undefined;
  /** What the Playground's UI does when the app is added to a conversation: installationUpdate + conversationUpdate. */
  install(conversationId: string): Promise<void>;
  /** Recent activities, Playground output and bot warnings, for failure messages. */
  diagnostics(): string;
  close(): Promise<void>;
}

interface PlaygroundConfigResponse {
  config: {
    tenantId: string;
    bot: { id: string; name: string };
    currentUser: PlaygroundUser;
    users: PlaygroundUser[];
    personalChat: { id: string };
    groupChats: { id: string }[];
    teams: { id: string; channels: { id: string; name: string }[] }[];
  };
}

/** An entry of the Playground's log panel: a text, or a request between it and the bot. */
interface PlaygroundLogItem {
  level?: string;
  displayText?: string;
  activityName?: string;
  from?: string;
  to?: string;
  response?: { statusCode?: number };
}

interface StreamFrame {
  action: string;
  actionConversationId: string;
  message?: {
    messageId: string;
    from?: { id?: string };
    text?: string;
    attachments?: { contentType: string; content: unknown }[];
    postConversationId?: string;
  };
}

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const HTTP_TIMEOUT_MS = 10_000;
const DEFAULT_WAIT_MS = 10_000;
const KEPT_OUTPUT_LINES = 200;

/**
 * Runs the Playground's CLI (through the loader below) in a process that exits when its stdin closes: if the test
 * process dies without closing the Playground (a crash, a kill), the pipe closes and the Playground goes with it.
 */
const WATCHDOG = "process.stdin.on('end',()=>process.exit(0));process.stdin.on('error',()=>process.exit(0));process.stdin.resume();require(process.argv[1]);";

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-playground-'));
  const log = memoryLogger();
  const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: path.join(workDir, 'data'), SHUTDOWN_TIMEOUT_SECONDS: '2', ...options.env };
  let app: RunningApp | undefined;
  let child: ChildProcess | undefined;
  const output: string[] = [];
  try {
    app = await startApp(loadConfig(env), { log });
    child = spawnPlayground(`${app.server.url}/api/messages`, workDir, output);
    const port = await listeningPort(child, output, options.startTimeoutMs ?? 20_000);
    return await connect(app, child, `http://127.0.0.1:${port}`, { log, output, workDir });
  } catch (error) {
    if (child) await stopProcessGroup(child);
    await app?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
    if (error instanceof Error) error.message += `\n--- Playground output ---\n${output.slice(-40).join('\n')}`;
    throw error;
  }
}

function spawnPlayground(endpoint: string, workDir: string, output: string[]): ChildProcess {
  const args = playgroundNodeArgs(['-e', endpoint, '-c', 'msteams', '-p', '0', '--disable-telemetry'], ['-e', WATCHDOG, '--']);
  // Its own process group, so that closing kills it and anything it started; its own folder, so that no
  // .m365agentsplayground.yml of the repository changes its users.
  const child = spawn(process.execPath, args, {
    cwd: workDir,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const keep = (stream: string) => (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) keepLine(output, `[${stream}] ${line}`);
  };
  child.stdout?.on('data', keep('out'));
  child.stderr?.on('data', keep('err'));
  child.on('exit', (code, signal) => keepLine(output, `[exit] code=${String(code)} signal=${String(signal)}`));
  return child;
}

function keepLine(output: string[], line: string): void {
  output.push(line);
  if (output.length > KEPT_OUTPUT_LINES) output.splice(0, output.length - KEPT_OUTPUT_LINES);
}

/** The port the Playground says it listens on (`-p 0`: a free one; it would also fall back from a busy one). */
function listeningPort(child: ChildProcess, output: string[], timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`the Playground did not start within ${timeoutMs} ms`)), timeoutMs);
    const onData = () => {
      const port = output.map((line) => /Listening on (\d+)/.exec(line)?.[1]).find(Boolean);
      if (port) finish(undefined, Number(port));
    };
    const onExit = () => finish(new Error('the Playground exited while starting'));
    const finish = (error?: Error, port?: number) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error || port === undefined) reject(error ?? new Error('no port'));
      else resolve(port);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid ?? 0), signal);
    } catch {
      // Already gone.
    }
  };
  signalGroup('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), 3000);
  });
  if ((await Promise.race([exited, late])) === 'late') {
    signalGroup('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

interface Internals {
  log: ReturnType<typeof memoryLogger>;
  output: string[];
  workDir: string;
}

async function connect(app: RunningApp, child: ChildProcess, url: string, { log, output, workDir }: Internals): Promise<Playground> {
  const activities: BotActivity[] = [];
  const conversationOf = new Map<string, string>();
  const cards = new Map<string, CardJson>();
  const waiters = new Set<() => void>();

  const diagnostics = (): string => {
    const shown = activities.slice(-20).map((a) => {
      const shows = a.card ? `[card] ${cardTexts(a.card).slice(0, 4).join(' | ')}` : (a.text ?? '');
      return `  #${a.seq} ${a.action} ${a.messageId} in ${a.conversationId}: ${shows.slice(0, 240)}`;
    });
    const problems = log.lines.filter((l) => l.level === 'warn' || l.level === 'error').slice(-15).map((l) => `  ${JSON.stringify(l).slice(0, 400)}`);
    return [
      `--- bot activities (${activities.length}) ---`,
      ...shown,
      '--- bot warnings and errors ---',
      ...problems,
      '--- Playground output and log ---',
      ...output.slice(-30),
    ].join('\n');
  };

  const http = async <T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${route}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text.slice(0, 500)}\n${diagnostics()}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  const { config } = await http<PlaygroundConfigResponse>('GET', '/_internal/v1/testConfig');
  const [teacher, member] = config.users;
  const [team] = config.teams;
  const [group] = config.groupChats;
  if (!teacher || !member || !team || !group) throw new Error('the Playground configuration lacks the users, team or group chat these tests expect');
  const personal = config.personalChat.id;
  const bot = config.bot;
  const users = { admin: config.currentUser, teacher, member, all: [config.currentUser, ...config.users] };

  const onFrame = (raw: string) => {
    const frame = JSON.parse(raw) as StreamFrame;
    const message = frame.message;
    if (!message || (frame.action !== 'createMessage' && frame.action !== 'updateMessage')) return;
    const create = frame.action === 'createMessage';
    // A message that starts a channel post is streamed to the channel, with the post's id beside it; its
    // updates only name the channel, so the post is remembered from its creation.
    const conversationId = create ? (message.postConversationId ?? frame.actionConversationId) : (conversationOf.get(message.messageId) ?? frame.actionConversationId);
    if (create) conversationOf.set(message.messageId, conversationId);
    const attachments = message.attachments ?? [];
    const card = attachments.find((a) => a.contentType === ADAPTIVE_CARD)?.content as CardJson | undefined;
    // What the message shows now: an update without a card replaced the card.
    if (card) cards.set(message.messageId, card);
    else cards.delete(message.messageId);
    activities.push({
      seq: activities.length,
      action: create ? 'create' : 'update',
      messageId: message.messageId,
      conversationId,
      ...(create && message.postConversationId ? { postedIn: frame.actionConversationId } : {}),
      fromId: message.from?.id ?? '',
      ...(message.text ? { text: message.text } : {}),
      attachments,
      ...(card ? { card } : {}),
      receivedAt: Date.now(),
    });
    for (const wake of [...waiters]) wake();
  };

  // The Playground's log panel (requests to the bot, their status, its warnings) goes with its output.
  const onLog = (text: string) => {
    const { log: item } = JSON.parse(text) as { log?: PlaygroundLogItem };
    if (!item) return;
    const exchange = item.activityName ? `${item.from ?? '?'} → ${item.to ?? '?'} ${item.activityName} ${String(item.response?.statusCode ?? '')}` : '';
    keepLine(output, `[log] ${[item.level, exchange, item.displayText?.slice(0, 200)].filter(Boolean).join(' ')}`);
  };
  const sockets: WebSocketReader[] = [];
  try {
    for (const [route, handle] of [
      ['/_ws_conversation/v1/conversations/stream', onFrame],
      ['/_ws/log/stream', onLog],
    ] as const) {
      sockets.push(
        await openWebSocketReader(`${url.replace(/^http/, 'ws')}${route}`, (text) => {
          try {
            handle(text);
          } catch (error) {
            keepLine(output, `[test] unreadable frame: ${String(error)}: ${text.slice(0, 200)}`);
          }
        }),
      );
    }
  } catch (error) {
    await Promise.all(sockets.map((socket) => socket.close()));
    await stopProcessGroup(child);
    throw error;
  }

  // A test process that exits without afterAll (a crash) still takes the Playground down.
  const killOnExit = () => {
    try {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', killOnExit);

  const isPersonal = (conversationId: string) => conversationId === personal;
  const mention = { text: `<at>${bot.name}</at>`, mentioned: { id: bot.id, name: bot.name } };

  const waitForActivity = (predicate: (a: BotActivity) => boolean, { since = 0, timeoutMs = DEFAULT_WAIT_MS }: WaitOptions = {}) =>
    new Promise<BotActivity>((resolve, reject) => {
      const settle = (outcome: { found: BotActivity } | { error: Error }) => {
        clearTimeout(timer);
        waiters.delete(check);
        if ('found' in outcome) resolve(outcome.found);
        else reject(outcome.error);
      };
      const check = () => {
        try {
          const found = activities.slice(since).find(predicate);
          if (found) settle({ found });
        } catch (error) {
          settle({ error: error instanceof Error ? error : new Error(String(error)) });
        }
      };
      const timer = setTimeout(
        () => settle({ error: new Error(`no matching bot activity within ${timeoutMs} ms (looking from #${since})\n${diagnostics()}`) }),
        timeoutMs,
      );
      waiters.add(check);
      check();
    });

  const sayAsCurrentUser = async (conversationId: string, text: string, since: number): Promise<Sent> => {
    const mentioned = !isPersonal(conversationId);
    const answer = await http<{ messageId: string; postConversationId?: string }>('POST', `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
      from: { id: users.admin.id },
      text: mentioned ? `${mention.text} ${text}` : text,
      textFormat: 'plain',
      ...(mentioned ? { mentions: [{ mentioned: { id: bot.id }, text: mention.text }] } : {}),
    });
    return { conversationId: answer.postConversationId ?? conversationId, messageId: answer.messageId, since };
  };

  /** The activity the Playground's own message generator would make, with another sender or locale. */
  const sayAsCustomActivity = async (conversationId: string, text: string, user: PlaygroundUser, locale: string, since: number): Promise<Sent> => {
    const template = await http<Record<string, unknown>>('GET', `/_internal/v1/customActivities/template?conversationId=${encodeURIComponent(conversationId)}`);
    const mentioned = !isPersonal(conversationId);
    const inChannel = team.channels.some((c) => conversationId === c.id || conversationId.startsWith(`${c.id};`));
    const channelId = conversationId.split(';')[0] ?? conversationId;
    const activity = {
      ...template,
      type: 'message',
      text: mentioned ? `${mention.text} ${text}` : text,
      textFormat: 'plain',
      from: { id: user.id, aadObjectId: user.aadObjectId, name: user.name },
      locale,
      localTimestamp: template.timestamp,
      channelData: { tenant: { id: config.tenantId }, ...(inChannel ? { team: { id: team.id }, channel: { id: channelId } } : {}) },
      entities: [...(mentioned ? [{ type: 'mention', ...mention }] : []), { type: 'clientInfo', locale, country: 'US', platform: 'Web' }],
    };
    await http('POST', '/_internal/v1/customActivities', activity);
    return { conversationId, messageId: String(template.id), since };
  };

  const cardOf = (message: BotActivity): CardJson => {
    // The card the user sees now, which an earlier button may have replaced.
    const card = cards.get(message.messageId);
    if (!card) throw new Error(`message ${message.messageId} shows no card: ${message.text ?? ''}`);
    return card;
  };

  let closing: Promise<void> | undefined;

  return {
    app,
    log,
    url,
    botName: bot.name,
    tenantId: config.tenantId,
    users,
    conversations: { personal, group: group.id, channel: team.id, channels: team.channels.map((c) => ({ id: c.id, name: c.name })) },
    activities,
    mark: () => activities.length,

    async say(conversationId, text, as = users.admin, { locale } = {}) {
      if (isPersonal(conversationId) && as.id !== users.admin.id) {
        throw new Error(`${as.name} is not in the personal chat (only ${users.admin.name} is): use the group chat or a channel`);
      }
      const since = activities.length;
      if (as.id === users.admin.id && (locale === undefined || locale === 'en-US')) return sayAsCurrentUser(conversationId, text, since);
      return sayAsCustomActivity(conversationId, text, as, locale ?? 'en-US', since);
    },

    async execute(message, selector, { as = users.admin, inputs } = {}) {
      const card = cardOf(message);
      const action = findCardAction(card, selector);
      if (action.type !== 'Action.Execute') throw new Error(`"${action.title ?? ''}" is an ${action.type}, not an Action.Execute`);
      const since = activities.length;
      const answer = await http<{ type: string; value: unknown }>('POST', '/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        value: { action: { type: action.type, title: action.title, verb: action.verb, data: actionPayload(card, action, inputs) } },
        from: { id: as.id },
        conversation: { id: message.conversationId },
        replyToId: message.messageId,
      });
      const result: InvokeAnswer = { type: answer.type, since };
      if (answer.type === ADAPTIVE_CARD && typeof answer.value === 'object' && answer.value !== null) {
        result.card = answer.value as CardJson;
        cards.set(message.messageId, result.card);
      } else if (typeof answer.value === 'string') result.text = answer.value;
      else if (typeof answer.value === 'object' && answer.value !== null) result.error = answer.value as InvokeAnswer['error'];
      return result;
    },

    async submit(message, selector, { as = users.admin, inputs } = {}) {
      const card = cardOf(message);
      const action = findCardAction(card, selector);
      if (action.type !== 'Action.Submit') throw new Error(`"${action.title ?? ''}" is an ${action.type}, not an Action.Submit`);
      const since = activities.length;
      await http('POST', '/_conversation/v1/submit', {
        conversation: { id: message.conversationId },
        from: { id: as.id },
        replyToId: message.messageId,
        value: actionPayload(card, action, inputs),
      });
      return { conversationId: message.conversationId, messageId: message.messageId, since };
    },

    waitForActivity,

    replyTo(sent, predicate = () => true, timeoutMs) {
      return waitForActivity((a) => a.action === 'create' && a.conversationId === sent.conversationId && predicate(a), {
        since: sent.since,
        ...(timeoutMs ? { timeoutMs } : {}),
      });
    },

    currentCard: (messageId) => cards.get(messageId),

    async install(conversationId) {
      await http('POST', `/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {});
    },

    diagnostics,

    close() {
      closing ??= (async () => {
        try {
          await Promise.all(sockets.map((socket) => socket.close()));
          await app.close();
        } finally {
          await stopProcessGroup(child);
          process.off('exit', killOnExit);
          fs.rmSync(workDir, { recursive: true, force: true });
        }
      })();
      return closing;
    },
  };
}

/*
 * The Playground's API (0.2.28), as read from its bundled server (dist/index.js) and client:
 *
 * - GET /_internal/v1/testConfig: the configuration (users, chats, team), at once. GET /_internal/v1/config is the
 *   same, but first waits (up to 15 s) for the bot endpoint to answer and logs to the UI.
 * - POST /_conversation/v1/conversations/{id}/messages, body
 *   `{ from: { id }, text, textFormat: 'plain'|'markdown'|'xml', mentions?: [{ mentioned: { id }, text }] }` (or
 *   `attachments` + `attachmentLayout` instead of text). `from.id` must be a member of the conversation, but the
 *   activity sent to the bot is always from the current user. Outside the personal chat it reaches the bot only when
 *   `mentions` names the bot. In a channel it starts a post: the answer's `postConversationId` is the thread the
 *   bot sees and answers in.
 * - POST /_conversation/v1/invoke, body `{ name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute',
 *   title, verb, data } }, from: { id }, conversation: { id }, replyToId }`: forwarded as an invoke from that user
 *   (any user of the conversation); the HTTP answer is the bot's invoke response `{ type, value }`. A card answer
 *   replaces the card in the Playground's store; nothing is streamed for it.
 * - POST /_conversation/v1/submit, body `{ conversation: { id }, from: { id }, replyToId, value }`: forwarded as a
 *   message activity with `value`, from that user; answered 200 at once, replies are streamed.
 * - GET /_internal/v1/customActivities/template?conversationId=…, POST /_internal/v1/customActivities: the UI's
 *   "Mock an activity". The posted activity goes to the bot as is (any `from`, any locale).
 * - POST /_debug/conversation/{id}/installation: installationUpdate (add) and conversationUpdate (bot added).
 * - WebSocket /_ws_conversation/v1/conversations/stream: JSON frames `{ action: 'createMessage'|'updateMessage'|
 *   'typing', actionConversationId, message: { messageId, from: { id }, text, attachments: [{ contentType,
 *   content }], postConversationId? } }` for what the bot sends (not for what the client sends). Frames sent while no
 *   socket is open are buffered for the first one.
 */
