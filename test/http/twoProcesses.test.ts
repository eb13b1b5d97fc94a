import { spawn, type ChildProcessByStdio } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { PLAYGROUND_USERS } from '../../src/emulator';
import { startCaptureConnector, teamsMessage, type CaptureConnector } from '../support/captureConnector';

/**
 * `npm run emulator` and `npm start` with ARM_ENDPOINT as two processes against one emulator, as the README
 * tells: the scripts themselves (scripts/emulator.mjs, scripts/start.mjs) in child processes, the bot reaching
 * the emulator only through ARM_ENDPOINT (a loopback http endpoint: fixed development token). A command sent to
 * the bot's HTTP endpoint is answered from the emulator's lab plan.
 */
const REPO_ROOT = path.resolve(__dirname, '../..');
/** Ceilings, not waits: each script bundles its sources on the first run, and the machine may be loaded. */
const START_TIMEOUT_MS = 120_000;

type Child = ChildProcessByStdio<null, Readable, Readable>;
const children: { child: Child; ended: Promise<number | null> }[] = [];

function run(script: string, args: string[], env: Record<string, string>, cwd: string): { child: Child; output: () => string; ended: Promise<number | null> } {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', script), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_PATH: path.join(REPO_ROOT, 'node_modules'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ended = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  children.push({ child, ended });
  return { child, output: () => output, ended };
}

async function waitForLine(output: () => string, pattern: RegExp, ended: Promise<number | null>, what: string): Promise<RegExpExecArray> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited: number | null | undefined;
  void ended.then((code) => (exited = code));
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (exited !== undefined) throw new Error(`${what} exited (${String(exited)}) first:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`${what}: no ${String(pattern)} after ${START_TIMEOUT_MS} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the bot and a standalone emulator, as two processes', () => {
  let workDir: string;
  let connector: CaptureConnector;
  /** The start the second case expects refused: it runs meanwhile, alongside the first case's two processes. */
  let refused: ReturnType<typeof run>;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-two-processes-'));
    refused = run('start.mjs', [], { ARM_ENDPOINT: 'http://10.1.2.3:4010', AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000001', DATA_DIR: path.join(workDir, 'refused') }, workDir);
    connector = await startCaptureConnector();
  });

  afterAll(async () => {
    for (const { child, ended } of children.splice(0)) {
      child.kill('SIGTERM');
      await ended;
    }
    await connector.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('npm start with ARM_ENDPOINT=http://127.0.0.1:<port> answers a command from the emulator npm run emulator started', async () => {
    const emulator = run('emulator.mjs', ['--port', '0', '--data-dir', path.join(workDir, 'emulator')], {}, workDir);
    const [, armEndpoint, subscriptionId] = await waitForLine(emulator.output, /ARM_ENDPOINT=(\S+) AZURE_SUBSCRIPTION_ID=(\S+) npm start/, emulator.ended, 'the emulator');

    const bot = run('start.mjs', [], {
      ARM_ENDPOINT: armEndpoint ?? '',
      AZURE_SUBSCRIPTION_ID: subscriptionId ?? '',
      DEFAULT_LAB_HOST: 'physics-plan',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: path.join(workDir, 'bot'),
      LOG_LEVEL: 'info',
    }, workDir);
    const [, botUrl] = await waitForLine(bot.output, /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"listening"/, bot.ended, 'the bot');
    expect(bot.output()).toContain('ARM_ENDPOINT is a local emulator');

    const ready = await fetch(`${botUrl}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { storage: true, azure: true, outbox: true } });

    const activity = teamsMessage(connector.url, 'status', { aadObjectId: PLAYGROUND_USERS.currentUser, conversationId: 'two-processes' });
    const response = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(response.status).toBe(200);
    const replies = connector.received.filter((a) => a.replyToId === activity.id).map((a) => JSON.stringify(a.activity));
    expect(replies.join('\n')).toContain('physics-plan');
    expect(replies.join('\n')).toContain('physics_gallery');
  }, 2 * START_TIMEOUT_MS);

  it('refuses, at start-up, a plain-http ARM endpoint that is not on this machine', async () => {
    expect(await refused.ended).toBe(2);
    expect(refused.output()).toMatch(/ARM_ENDPOINT "http:\/\/10\.1\.2\.3:4010" is plain http on a non-loopback host: tokens would travel unencrypted/);
  }, START_TIMEOUT_MS);
});
