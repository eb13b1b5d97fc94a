/* global require, module, process, setTimeout, clearTimeout */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded by Jest itself, untranspiled */
'use strict';
/**
 * The Node test environment, for the packages sharedModulesRuntime.js loads outside the sandbox: their errors
 * are the worker realm's, so the sandbox's built-in error classes also recognise the worker realm's instances
 * (`error instanceof Error` in src, `toThrow(ReferenceError)` in a test), as they would in a plain Node process.
 */
const NodeEnvironment = require('jest-environment-node').TestEnvironment;

/**
 * Every AsyncLocalStorage made while a test file runs, to disable at its teardown. jest-circus makes one per test
 * file and never disables it; Node runs every enabled one's propagation on each new promise and other async
 * resource, so a worker's fiftieth file paid fifty times over (about 3% of the suite's CPU).
 */
const storagesOfThisFile = [];
const asyncHooks = require('async_hooks');
asyncHooks.AsyncLocalStorage = class TrackedAsyncLocalStorage extends asyncHooks.AsyncLocalStorage {
  constructor(...args) {
    super(...args);
    storagesOfThisFile.push(this);
  }
};

const ERROR_CLASSES = ['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'AggregateError'];
const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];
/** JEST_HANDLE_LOG: the timer that reports a worker still alive after its last test file. */
let lingering;
/** JEST_PROF_DIR: the worker's inspector session, profiling the test file that runs. */
let profiler;

/** Sends an inspector command and awaits its answer. */
const post = (method, params) => new Promise((resolve, reject) => profiler.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

class SharedModulesEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ERROR_CLASSES) {
      const sandboxed = this.global[name];
      const outer = globalThis[name];
      if (typeof sandboxed !== 'function' || typeof outer !== 'function' || sandboxed === outer) continue;
      Object.defineProperty(sandboxed, Symbol.hasInstance, {
        configurable: true,
        // `this` is the class `instanceof` names: a subclass (class AzureError extends Error) keeps its own test.
        value(value) {
          return ordinaryHasInstance.call(this, value) || (this === sandboxed && ordinaryHasInstance.call(outer, value));
        },
      });
    }
    this.cpuPath = context.testPath;
  }
  // JEST_CPU_LOG=<file>: each test file's CPU time in its worker (children not included), one line per file, to
  // find where the suite's CPU goes.
  async setup() {
    clearTimeout(lingering);
    this.cpuStart = process.cpuUsage();
    // JEST_PROF_DIR=<dir>: a V8 CPU profile of each test file (its worker's side), <dir>/<file>.cpuprofile.
    if (process.env.JEST_PROF_DIR) {
      if (!profiler) {
        const inspector = require('inspector');
        profiler = new inspector.Session();
        profiler.connect();
        await post('Profiler.enable');
      }
      await post('Profiler.start');
    }
    await super.setup();
  }
  async teardown() {
    await super.teardown();
    for (const storage of storagesOfThisFile.splice(0)) storage.disable();
    if (process.env.JEST_PROF_DIR) {
      const { profile } = await post('Profiler.stop');
      const name = require('path').relative(process.cwd(), this.cpuPath).replace(/[/\\]/g, '__');
      require('fs').writeFileSync(require('path').join(process.env.JEST_PROF_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    }
    // JEST_HANDLE_LOG=<file>: what still keeps the worker alive after each test file (a worker that cannot exit
    // at the end of the run is force-exited by Jest).
    // A second later, if no other file has started, the worker should be gone: what is left is what holds it.
    if (process.env.JEST_HANDLE_LOG) {
      const log = (when) => require('fs').appendFileSync(process.env.JEST_HANDLE_LOG, `${process.pid} ${when} ${this.cpuPath} ${JSON.stringify(process.getActiveResourcesInfo())}\n`);
      log('teardown');
      clearTimeout(lingering);
      lingering = setTimeout(() => log('idle 1 s after'), 1000);
      lingering.unref();
    }
    if (process.env.JEST_CPU_LOG) {
      const used = process.cpuUsage(this.cpuStart);
      require('fs').appendFileSync(process.env.JEST_CPU_LOG, `${((used.user + used.system) / 1e6).toFixed(2)} ${this.cpuPath}\n`);
    }
  }
}

module.exports = SharedModulesEnvironment;
module.exports.TestEnvironment = SharedModulesEnvironment;
module.exports.default = SharedModulesEnvironment;
