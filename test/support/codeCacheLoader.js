/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports -- run by node itself, untranspiled */
'use strict';
/**
 * `node codeCacheLoader.js <bundle.js>`: runs a CommonJS bundle (test/support/botBundle.ts) through V8's code cache,
 * kept in `<bundle.js>.cache`. Compiling the bundle is a good part of a bot process's start; with the cache, V8
 * takes the bytecode of every function the last start compiled instead of parsing them again.
 * The cache is written once the program emits `STARTED_EVENT` on `process` (crashBot does once it listens), so it
 * holds what a whole start compiles, not only the modules' top level; a missing or rejected cache is rewritten.
 * Externals resolve from node_modules through NODE_PATH, as for a bundle run by `node` directly.
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');

const STARTED_EVENT = 'lgb:started';

const bundle = path.resolve(process.argv[2] ?? '');
const cacheFile = `${bundle}.cache`;
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(bundle, 'utf8')}\n})`, {
  filename: bundle,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (cachedData === undefined || script.cachedDataRejected) {
  process.once(STARTED_EVENT, () => {
    // Several processes may start at once: each writes its own file, and the last rename wins whole.
    const written = `${cacheFile}.${process.pid}`;
    fs.writeFileSync(written, script.createCachedData());
    fs.renameSync(written, cacheFile);
  });
}
// The bundle sees the command line it would have had run directly: `node <bundle.js> ...`.
process.argv.splice(1, 1);
const mod = { exports: {}, filename: bundle, id: bundle, loaded: false };
script.runInThisContext()(mod.exports, createRequire(bundle), mod, bundle, path.dirname(bundle));
