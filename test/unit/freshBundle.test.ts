import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHILD_NODE_FLAGS } from '../support/childNode';

/**
 * scripts/lib/freshBundle.mjs, as `npm start` and `npm run emulator` use it, and from its command line, as the crash
 * tests do: in child processes (it is an ES module), on one-file entries of a temp folder, so that each esbuild run
 * costs little.
 */
const REPO_ROOT = path.resolve(__dirname, '../..');
const FRESH_BUNDLE_FILE = path.join(REPO_ROOT, 'scripts/lib/freshBundle.mjs');
const FRESH_BUNDLE = pathToFileURL(FRESH_BUNDLE_FILE).href;

interface Start {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
/** The temp folder, as freshBundle takes its paths: relative to the repository root. */
let fromRoot: (...parts: string[]) => string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-fresh-bundle-'));
  fromRoot = (...parts) => path.relative(REPO_ROOT, path.join(dir, ...parts));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src/entry.ts'), "export const answer: number = 42;\n");
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A start: bundles the entry if stale, prints the bundle's path. */
function start(): Promise<Start> {
  const options = { name: 'test entry', entry: fromRoot('src/entry.ts'), outDir: fromRoot('out'), outName: 'main.js', inputs: [fromRoot('src')] };
  const script = `import { freshBundle } from ${JSON.stringify(FRESH_BUNDLE)};\nprocess.stdout.write(await freshBundle(${JSON.stringify(options)}));`;
  return run(['--input-type=module', '-e', script]);
}

/** The command line with bundles `a` and `b` (entries src/a.ts, src/b.ts, each its own input): prints their paths. */
function commandLine(): Promise<Start> {
  const bundle = (name: string) => JSON.stringify({ name, entry: fromRoot(`src/${name}.ts`), outDir: fromRoot(`out-${name}`), outName: 'main.js', inputs: [fromRoot(`src/${name}.ts`)] });
  return run([FRESH_BUNDLE_FILE, bundle('a'), bundle('b')]);
}

function run(args: string[]): Promise<Start> {
  const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const result: Start = { code: null, stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ ...result, code })));
}

const bundlings = (starts: Start[]) => starts.map((s) => s.stderr).join('').match(/^bundling the test entry/gm)?.length ?? 0;
/** What a run bundled, as it said: `bundling the a, the b (…)…` → ['a', 'b']. */
const bundled = (run: Start) => /^bundling the (.*) \(/m.exec(run.stderr)?.[1]?.split(', the ') ?? [];

describe('freshBundle (npm start, npm run emulator)', () => {
  it('two starts at once after an edit bundle once: the second waits for the first one’s bundle', async () => {
    const starts = await Promise.all([start(), start()]);
    expect(starts.map((s) => s.code)).toEqual([0, 0]);
    expect(bundlings(starts)).toBe(1);
    const outfile = path.join(dir, 'out/main.js');
    expect(starts.map((s) => s.stdout)).toEqual([outfile, outfile]);
    expect(fs.readFileSync(outfile, 'utf8')).toContain('42');
    expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(['inputs.stamp', 'main.js']);

    // Unchanged sources: no bundling; an edit: a new bundle.
    expect(bundlings([await start()])).toBe(0);
    fs.writeFileSync(path.join(dir, 'src/entry.ts'), 'export const answer: number = 43;\n');
    expect(bundlings([await start()])).toBe(1);
    expect(fs.readFileSync(outfile, 'utf8')).toContain('43');
  }, 60_000);

  it('takes over the build lock of a start that died while bundling (older than two minutes)', async () => {
    const lock = path.join(dir, 'out/build.lock');
    fs.mkdirSync(lock, { recursive: true });
    const threeMinutesAgo = new Date(Date.now() - 180_000);
    fs.utimesSync(lock, threeMinutesAgo, threeMinutesAgo);

    const started = await start();
    expect(started.code).toBe(0);
    expect(bundlings([started])).toBe(1);
    expect(fs.existsSync(lock)).toBe(false);
  }, 60_000);

  it('a bundle that fails does not start stale code, and leaves no lock and no stamp behind', async () => {
    fs.writeFileSync(path.join(dir, 'src/entry.ts'), 'export const answer: number = ;\n');
    const started = await start();
    expect(started.code).toBe(1);
    expect(started.stderr).toContain('the bundle failed (see above): not starting stale code');
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual([]);
  }, 60_000);

  it('bundles that are stale together are built in one esbuild run; then only the one whose input changed', async () => {
    fs.writeFileSync(path.join(dir, 'src/a.ts'), "export const a: string = 'first';\n");
    fs.writeFileSync(path.join(dir, 'src/b.ts'), "export const b: string = 'second';\n");
    const first = await commandLine();
    expect(first.code).toBe(0);
    expect(bundled(first)).toEqual(['a', 'b']);
    expect(JSON.parse(first.stdout)).toEqual([path.join(dir, 'out-a/main.js'), path.join(dir, 'out-b/main.js')]);
    expect(fs.readFileSync(path.join(dir, 'out-a/main.js'), 'utf8')).toContain('first');
    expect(fs.readFileSync(path.join(dir, 'out-b/main.js'), 'utf8')).toContain('second');

    fs.writeFileSync(path.join(dir, 'src/b.ts'), "export const b: string = 'changed';\n");
    const second = await commandLine();
    expect(second.code).toBe(0);
    expect(bundled(second)).toEqual(['b']);
    expect(fs.readFileSync(path.join(dir, 'out-b/main.js'), 'utf8')).toContain('changed');
    expect(bundled(await commandLine())).toEqual([]);
  }, 60_000);
});
