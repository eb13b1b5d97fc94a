import * as path from 'node:path';
import { CHILD_NODE_FLAGS } from './childNode';

/**
 * How the tests run the Microsoft 365 Agents Playground's CLI: the Playground-level Jest tests (playground.ts) and
 * the browser e2e run (test/e2e/support/playgroundServer.ts) share it, and so share one code cache.
 *
 * The CLI runs through V8's code cache (codeCacheLoader.js): compiling and running its 5 MB bundle was most of the
 * CPU of a start. The cache is shared by every test file of a run and the next runs, in dist/ (ignored by git),
 * named after the bundle's path, size and mtime: an updated package gets a new one. It is written once the
 * Playground first listens, the end of its start; what the tests do after compiles little more.
 */
export const PLAYGROUND_DIR = path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json'));

const CODE_CACHE_ARGS: readonly string[] = [
  path.join(__dirname, 'codeCacheLoader.js'),
  ...['--code', path.join(PLAYGROUND_DIR, 'dist/index.js')],
  ...['--cache-dir', path.resolve(__dirname, '../../dist/test-code-cache')],
  ...['--save-on', 'http-listening'],
];

/**
 * The `node` arguments that run the Playground's CLI with `cliArgs`. `preamble` goes between node's flags and the
 * loader, e.g. `['-e', WATCHDOG, '--']` for a script that then requires `process.argv[1]` (the loader).
 */
export function playgroundNodeArgs(cliArgs: readonly string[], preamble: readonly string[] = []): string[] {
  return [...CHILD_NODE_FLAGS, ...preamble, ...CODE_CACHE_ARGS, path.join(PLAYGROUND_DIR, 'cli.js'), ...cliArgs];
}
