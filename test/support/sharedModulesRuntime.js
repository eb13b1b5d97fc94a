/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded by Jest itself, untranspiled */
'use strict';
/**
 * Jest's runtime, made cheaper per test file in two ways:
 *
 * 1. The heavy third-party packages (Bot Framework, the Azure SDKs, restify, the card templating and its expression
 *    parser) are loaded once per worker by Node itself, outside the test file's sandbox, and shared by every test
 *    file that worker runs. Jest gives each file a fresh module registry, and loading these anew cost ~2 s of CPU
 *    per file that builds the bot (about half the suite's CPU).
 *
 *    The price is the one Node's own modules (fs, http) already have in Jest: their objects come from the worker's
 *    realm, so `instanceof Error` in a test is false for their errors (src does not depend on it for these), and
 *    module-level state lives as long as the worker. Packages with global registrations (OpenTelemetry's API) or
 *    mocked by a test stay in the sandbox.
 *
 * 2. Every module that stays in the sandbox (our sources, the rest of node_modules, Jest's own expect and circus)
 *    is still evaluated afresh for each file, but no longer compiled afresh: it is compiled as a vm.Script, whose
 *    compiled code V8 keeps and reuses for the same source in the next file's context, lazily compiled functions
 *    included. Jest's own vm.compileFunction has no such cache, and compiling was about a tenth of the suite's CPU.
 *    The script itself is made once per worker and run in each file's context.
 *
 * 3. The sources of the repository's own folders and of node_modules, which do not change while the suite runs,
 *    are read and looked up in Jest's transform cache once per worker, not once per test file (each file loads
 *    hundreds of modules: some 32,000 loads per run, each one a read, a stat and a hash of the source).
 */
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');
const Runtime = require('jest-runtime').default;

/** Bare specifiers loaded outside the sandbox: the package name, or its scope. */
const SHARED = /^(?:botbuilder|botbuilder-core|botbuilder-dialogs|botbuilder-stdlib|botbuilder-testing|botframework-connector|botframework-schema|botframework-streaming|restify|adaptivecards-templating|adaptive-expressions|@azure\/(?!monitor-opentelemetry)[^/]+)(?:\/|$)/;

/**
 * The compiled script of each module, by file name, with the source it was compiled from: made once per worker
 * and run in each test file's context (V8 keeps its compiled code, lazily compiled functions included).
 */
const scripts = new Map();
/** The runtime of the test file that runs now: the scripts' dynamic `import()` goes through its executor. */
let active;

/** Sources read once per worker, by file name: the repository's folders that no test writes to. */
const sources = new Map();
/** Jest's transform of each of those sources, by file name and transform options. */
const transforms = new Map();
/** Folders under the root whose files stay as they are for the whole run (dist/ is built by tests). */
const STABLE_FOLDERS = ['node_modules', 'src', 'test', 'cards', 'appPackage'];

class SharedModulesRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    active = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the file that runs now, for its scripts' import()
    const executor = this.executor;
    const environment = this._environment;
    if (!executor || typeof executor.compile !== 'function' || !environment) return;
    const jestCompile = executor.compile.bind(executor);
    executor.compile = (source, filename) => {
      const context = environment.getVmContext();
      if (context == null) return null;
      try {
        return compileCached(executor, context, source, filename);
      } catch {
        // A syntax error (or ESM syntax Jest retries as such): Jest's own compile reports it its way.
        return jestCompile(source, filename);
      }
    };
    this.readSourcesOnce(this._config.rootDir);
  }

  requireModuleOrMock(from, moduleName) {
    if (SHARED.test(moduleName)) return createRequire(from)(moduleName);
    return super.requireModuleOrMock(from, moduleName);
  }

  /** Reads and transforms each stable source once per worker (see 3. above). */
  readSourcesOnce(rootDir) {
    const { fileCache, transformCache } = this;
    if (!fileCache || !transformCache || typeof transformCache.transform !== 'function') return;
    const folders = STABLE_FOLDERS.map((folder) => path.join(rootDir, folder) + path.sep);
    const isStable = (filename) => folders.some((folder) => filename.startsWith(folder));
    const readFile = fileCache.readFile.bind(fileCache);
    fileCache.readFile = (filename) => {
      if (!isStable(filename)) return readFile(filename);
      let source = sources.get(filename);
      if (source === undefined) sources.set(filename, (source = readFile(filename)));
      return source;
    };
    const transform = transformCache.transform.bind(transformCache);
    transformCache.transform = (filename, options) => {
      if (!isStable(filename)) return transform(filename, options);
      const key = `${filename}\0${JSON.stringify(options ?? null)}`;
      let done = transforms.get(key);
      if (done === undefined) {
        const code = transform(filename, options);
        done = options?.isInternalModule ? { code } : transformCache.transforms.get(filename);
        transforms.set(key, done);
      } else if (!options?.isInternalModule) {
        transformCache.transforms.set(filename, done);
        if (done.sourceMapPath) transformCache.sourceMaps.set(filename, done.sourceMapPath);
      }
      return done.code;
    };
  }
}

/**
 * What Jest's ModuleExecutor.compile does (a function of the module parameters, in the file's context, whose
 * `import()` goes through Jest), as a script: the wrapper's first line is line 0, so stack lines stay the source's.
 */
function compileCached(executor, context, source, filename) {
  let cached = scripts.get(filename);
  if (cached === undefined || cached.source !== source) {
    const script = new vm.Script(`(function (${executor.injectedModuleParameters.join(', ')}) {\n${source}\n})`, {
      filename,
      lineOffset: -1,
      importModuleDynamically: (specifier, _script, importAttributes, ...rest) =>
        active.executor.dynamicImport(specifier, filename, active._environment.getVmContext(), importAttributes, rest[0]),
    });
    scripts.set(filename, (cached = { source, script }));
  }
  return cached.script.runInContext(context);
}

module.exports = SharedModulesRuntime;
module.exports.default = SharedModulesRuntime;
