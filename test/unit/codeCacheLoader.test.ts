import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHILD_NODE_FLAGS } from '../support/childNode';

/**
 * test/support/codeCacheLoader.js, as the crash, fleet and Playground tests start their processes with it: on a
 * small program whose top level takes a moment (as a bundle's does), in a temp folder.
 */
const LOADER = path.join(__dirname, '../support/codeCacheLoader.js');

/** Its top level takes 400 ms (a bundle's takes about as long), then it says it started and ends. */
const PROGRAM = `
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
setImmediate(() => { process.emit('lgb:started'); process.stdout.write('started ' + process.argv.slice(2).join(' ')); });
`;

let dir: string;
let cacheDir: string;
let program: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-code-cache-'));
  cacheDir = path.join(dir, 'cache');
  program = path.join(dir, 'main.js');
  fs.writeFileSync(program, PROGRAM);
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  pid: number;
  code: number | null;
  stdout: string;
}

function start(args: string[] = []): { child: ReturnType<typeof spawn>; done: Promise<Run> } {
  const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, LOADER, '--cache-dir', cacheDir, program, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const done = new Promise<Run>((resolve) => child.once('close', (code) => resolve({ pid: child.pid ?? 0, code, stdout })));
  return { child, done };
}

/** The processes that wrote a cache while `run` ran: each writes `<cache>.<its pid>`, then renames it. */
async function writersDuring(run: () => Promise<Run[]>): Promise<{ runs: Run[]; writers: Set<number> }> {
  fs.mkdirSync(cacheDir, { recursive: true });
  const writers = new Set<number>();
  const watcher = fs.watch(cacheDir, (_event, name) => {
    const pid = /\.cache\.(\d+)$/.exec(name ?? '')?.[1];
    if (pid) writers.add(Number(pid));
  });
  try {
    return { runs: await run(), writers };
  } finally {
    watcher.close();
  }
}

const cacheFiles = () => fs.readdirSync(cacheDir).filter((name) => name.endsWith('.cache'));
const claims = () => fs.readdirSync(cacheDir).filter((name) => name.endsWith('.claim'));

describe('codeCacheLoader', () => {
  it('runs the program with its arguments, and writes its cache once it has started', async () => {
    const first = await start(['a', 'b']).done;
    expect(first).toMatchObject({ code: 0, stdout: 'started a b' });
    expect(cacheFiles()).toHaveLength(1);
    const { runs, writers } = await writersDuring(async () => [await start(['c']).done]);
    expect(runs[0]).toMatchObject({ code: 0, stdout: 'started c' });
    expect(writers.size).toBe(0);
  }, 30_000);

  it('starts launched together with no cache compile once: the first claims it, the others start from its cache', async () => {
    const { runs, writers } = await writersDuring(() => Promise.all([start().done, start().done, start().done]));
    expect(runs.map((run) => [run.code, run.stdout])).toEqual([
      [0, 'started '],
      [0, 'started '],
      [0, 'started '],
    ]);
    expect(writers.size).toBe(1);
    expect(cacheFiles()).toHaveLength(1);
    expect(claims()).toEqual([]);
  }, 30_000);

  it('takes over the claim of a start that died while compiling', async () => {
    const dying = start();
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (fs.existsSync(cacheDir) && claims().length > 0) {
          clearInterval(poll);
          resolve();
        }
      }, 10);
      void dying.done.then(() => {
        clearInterval(poll);
        reject(new Error('the first start ended before it was seen claiming the cache'));
      });
    });
    dying.child.kill('SIGKILL');
    await dying.done;
    const [claim] = claims();
    expect(claim).toBeDefined();
    const longAgo = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(cacheDir, claim ?? ''), longAgo, longAgo);

    const next = await start().done;
    expect(next).toMatchObject({ code: 0, stdout: 'started ' });
    expect(cacheFiles()).toHaveLength(1);
    expect(claims()).toEqual([]);
  }, 30_000);
});
