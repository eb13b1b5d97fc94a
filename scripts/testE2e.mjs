// `npm run test:e2e`: the tests that go through the Microsoft 365 Agents Playground, as two Jest runs side by side.
// - The browser lane (test/e2e/jest.config.js): Chromium drives the Playground's web page, one file at a time.
// - The protocol lane (test/playground/jest.config.js): the Playground's HTTP and WebSocket API, no browser.
// A browser file mostly waits on its page, the Playground and the bot, which leaves a core idle on two; the protocol
// lane fills it, and two browsers still never run at once.
// The browser lane's output streams; the protocol lane's is printed whole once the browser lane is done, so that the
// two never interleave. Arguments after `--` go to both lanes (a lane with no file matching them passes).
// The exit code is 0 only when both lanes passed.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const jest = path.join(root, 'node_modules/jest/bin/jest.js');
const args = process.argv.slice(2);

/** Runs one lane; `live`: its output goes straight to ours, else it is kept and handed back. */
function runLane(config, live) {
  const child = spawn(process.execPath, ['--single-threaded', jest, '-c', config, ...(args.length ? ['--passWithNoTests', ...args] : [])], {
    cwd: root,
    stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  child.stdout?.on('data', (chunk) => output.push(chunk));
  child.stderr?.on('data', (chunk) => output.push(chunk));
  const done = new Promise((resolve) => child.on('close', (code, signal) => resolve({ passed: code === 0, code, signal, output: Buffer.concat(output) })));
  return { child, done };
}

const lanes = [
  { name: 'browser tests', ...runLane('test/e2e/jest.config.js', true) },
  { name: 'Playground protocol tests', ...runLane('test/playground/jest.config.js', false) },
];
// Ctrl-C reaches the lanes from the terminal, SIGTERM from us: either way each lane ends its run, and its report is printed.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => lanes.forEach(({ child }) => child.kill('SIGTERM')));

const results = [];
for (const lane of lanes) results.push({ name: lane.name, ...(await lane.done) });
// A live lane kept nothing: what is printed here is the kept lanes' reports.
for (const { name, output } of results) if (output.length) process.stderr.write(`\n== ${name}\n${output}`);
const failed = results.filter((result) => !result.passed);
for (const { name, code, signal } of failed) process.stderr.write(`\n${name} failed (${signal ?? `exit code ${code}`})\n`);
process.exitCode = failed.length ? 1 : 0;
