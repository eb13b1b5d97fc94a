/* global require, process, setImmediate */
/* eslint-disable @typescript-eslint/no-require-imports -- run by node itself, untranspiled */
'use strict';
/**
 * `node codeCacheLoader.js [options] <main.js> [args...]`: runs a CommonJS program with one big file of it compiled
 * through V8's code cache. Compiling a bundle is a good part of a process's start; with the cache, V8 takes the
 * bytecode of every function the last start compiled instead of parsing them again. The program sees the command
 * line it would have had run directly (`node <main.js> [args...]`); externals resolve as for `node <main.js>`
 * (a bundle of ours finds node_modules through NODE_PATH).
 *
 * Options:
 * - `--code <file>`: the file compiled through the cache, when `main.js` is not it but requires it (a package's
 *   CLI and its bundle). Default: `main.js` itself.
 * - `--cache-dir <dir>` (required): keep the cache in `dir`, under a name made of the file's real path, size and
 *   mtime and Node's version, so that a changed file (a package updated, a bundle rebuilt, or another Node) never
 *   reads a stale cache and the next start rewrites it; older caches of the same file are removed then.
 * - `--save-on <event>`: when the cache is written: once the program emits `<event>` on `process` (default
 *   `lgb:started`, which crashBot emits once it listens), or, with `http-listening`, once its first HTTP server
 *   listens, for a program that emits nothing of ours. Either way the cache holds what a whole start compiles,
 *   not only the modules' top level. It is written only when missing or rejected.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const options = { code: undefined, cacheDir: undefined, saveOn: 'lgb:started' };
const OPTION_NAMES = new Map([
  ['--code', 'code'],
  ['--cache-dir', 'cacheDir'],
  ['--save-on', 'saveOn'],
]);
let next = 2;
while (OPTION_NAMES.has(process.argv[next])) {
  options[OPTION_NAMES.get(process.argv[next])] = process.argv[next + 1];
  next += 2;
}
if (options.cacheDir === undefined) throw new Error('codeCacheLoader.js: --cache-dir <dir> is required');
const main = path.resolve(process.argv[next] ?? '');
// require() hands the extension hook the real path (node_modules may be a symlink).
const code = fs.realpathSync(options.code === undefined ? main : path.resolve(options.code));

/** Where the cache of `file` is, and what starts the names of its other (older) caches. */
function cacheFileOf(file) {
  const info = fs.statSync(file);
  const crypto = require('node:crypto');
  const hash = (text) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
  const family = `${path.basename(file)}-${hash(file)}-`;
  return { cacheFile: path.join(options.cacheDir, `${family}${hash(`${info.size}:${info.mtimeMs}:${process.version}:${process.arch}`)}.cache`), family };
}

/** Calls `save` once the program has started, as `--save-on` says. */
function whenStarted(save) {
  if (options.saveOn !== 'http-listening') {
    process.once(options.saveOn, save);
    return;
  }
  const http = require('node:http');
  // Shadows net.Server's listen on http.Server for the first call only; the listen callback (the program's own
  // "started" code) runs first, then the cache is written.
  http.Server.prototype.listen = function listen(...args) {
    delete http.Server.prototype.listen;
    this.once('listening', () => setImmediate(save));
    return this.listen(...args);
  };
}

/**
 * A file's text. An ASCII one (our bundles are: scripts/lib/freshBundle.mjs escapes the rest) reads as latin1, a
 * fraction of UTF-8's cost.
 */
function readSource(file) {
  const bytes = fs.readFileSync(file);
  return require('node:buffer').isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** A start that finds no cache while another start compiles the same file waits this long at most for its cache. */
const WAIT_FOR_CLAIM_MS = 20_000;
/** A claim older than this was left by a start that died while compiling. */
const STALE_CLAIM_MS = 30_000;

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function readCache(cacheFile) {
  try {
    return fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/**
 * The cache, or the claim to make it: several processes started at once with no cache (the first bots of a run
 * after a change) would each compile the whole file, about half a second of CPU each. The first claims it; the
 * others wait for the cache it writes once the file's top level has run, then start from it.
 */
function cacheOrClaim(cacheFile) {
  const claim = `${cacheFile}.claim`;
  const deadline = Date.now() + WAIT_FOR_CLAIM_MS;
  for (;;) {
    const cachedData = readCache(cacheFile);
    if (cachedData !== undefined) return { cachedData };
    try {
      fs.mkdirSync(claim);
      return { claim };
    } catch {
      // Claimed by another start: wait for its cache, unless that start is long dead.
    }
    const age = Date.now() - (fs.statSync(claim, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > STALE_CLAIM_MS) fs.rmSync(claim, { recursive: true, force: true });
    else if (Date.now() > deadline) return {};
    else sleepSync(25);
  }
}

/** Writes the cache whole (several processes may write at once: the last rename wins), and removes older ones. */
function writeCache(script, cacheFile, family) {
  const written = `${cacheFile}.${process.pid}`;
  fs.writeFileSync(written, script.createCachedData());
  fs.renameSync(written, cacheFile);
  for (const old of fs.readdirSync(path.dirname(cacheFile))) {
    if (old.startsWith(family) && old.endsWith('.cache') && path.join(path.dirname(cacheFile), old) !== cacheFile) {
      fs.rmSync(path.join(path.dirname(cacheFile), old), { force: true });
    }
  }
}

function compileThroughCache(module, filename) {
  const { cacheFile, family } = cacheFileOf(filename);
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  const { cachedData, claim } = cacheOrClaim(cacheFile);
  // A program that fails in its top level leaves no claim behind.
  const release = () => fs.rmSync(claim, { recursive: true, force: true });
  if (claim !== undefined) process.once('exit', release);
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${readSource(filename)}\n})`, {
    filename,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // Made or remade once the program has started: then it holds everything a start compiles.
  if (cachedData === undefined || script.cachedDataRejected) whenStarted(() => writeCache(script, cacheFile, family));
  script.runInThisContext()(module.exports, Module.createRequire(filename), module, filename, path.dirname(filename));
  if (claim !== undefined) {
    // The top level has run: a first cache now, for the starts waiting on the claim.
    writeCache(script, cacheFile, family);
    process.off('exit', release);
    release();
  }
}

const compileJs = Module._extensions['.js'];
Module._extensions['.js'] = function compile(module, filename) {
  if (filename !== code) {
    compileJs.call(this, module, filename);
    return;
  }
  Module._extensions['.js'] = compileJs;
  compileThroughCache(module, filename);
};

process.argv.splice(1, next - 1);
require(main);
