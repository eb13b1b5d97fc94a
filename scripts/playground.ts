/**
 * npm run playground — the bot in demo mode with the Microsoft 365 Agents Playground wired to it.
 * Open the printed URL: personal chat, group chat and a team channel, as Alex Wilber (Owner of the demo hosts).
 * PLAYGROUND_PORT (default 56150) picks the Playground's port; the bot listens on PORT (default 3978).
 */
import 'dotenv/config';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (config.mode !== 'demo') process.stderr.write('Note: AZURE_SUBSCRIPTION_ID is set, so the bot talks to Azure, not the demo emulator.\n');
  const log = createLogger({ ...config.log, level: process.env.LOG_LEVEL ?? 'warn' });
  const app = await startApp(config, { log });
  const endpoint = `http://127.0.0.1:${app.server.port}/api/messages`;
  const port = process.env.PLAYGROUND_PORT ?? '56150';
  const bin = path.join(__dirname, '..', 'node_modules', '.bin', process.platform === 'win32' ? 'agentsplayground.cmd' : 'agentsplayground');
  const child = spawn(bin, ['-e', endpoint, '-c', 'msteams', '-p', port, '--disable-telemetry'], {
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let announced = false;
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    const listening = /Listening on (\d+)/i.exec(text);
    if (listening && !announced) {
      announced = true;
      process.stdout.write(`\nLab Gallery Bot (${config.mode} mode) at ${endpoint}\nAgents Playground: http://127.0.0.1:${listening[1]}/  — try: help, status, images, replicate physics-ubuntu\nCtrl+C stops both.\n\n`);
    }
  });
  const stop = () => {
    child.kill('SIGTERM');
    void app.close().then(() => process.exit(0));
  };
  child.on('exit', (code) => {
    process.stderr.write(`Agents Playground exited (${code ?? 'signal'}).\n`);
    void app.close().then(() => process.exit(code ?? 0));
  });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
