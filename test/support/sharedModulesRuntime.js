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
 */
const { createRequire } = require('node:module');
const vm = require('node:vm');
const Runtime = require('jest-runtime').default;

/** Bare specifiers loaded outside the sandbox: the package name, or its scope. */
const SHARED = /^(?:botbuilder|botbuilder-core|botbuilder-dialogs|botbuilder-stdlib|botbuilder-testing|botframework-connector|botframework-schema|botframework-streaming|restify|adaptivecards-templating|adaptive-expressions|@azure\/(?!monitor-opentelemetry)[^/]+)(?:\/|$)/;

/**
 * The last script compiled for each file, by file name: holding it keeps V8's compiled code for that source alive
 * between test files (V8 finds it by source text and file name; a changed source simply misses).
 */
const scripts = new Map();

class SharedModulesRuntime extends Runtime {
  constructor(...args) {
    super(...args);
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
  }

  requireModuleOrMock(from, moduleName) {
    if (SHARED.test(moduleName)) return createRequire(from)(moduleName);
    return super.requireModuleOrMock(from, moduleName);
  }
}

/**
 * What Jest's ModuleExecutor.compile does (a function of the module parameters, in the file's context, whose
 * `import()` goes through Jest), as a script: the wrapper's first line is line 0, so stack lines stay the source's.
 */
function compileCached(executor, context, source, filename) {
  const script = new vm.Script(`(function (${executor.injectedModuleParameters.join(', ')}) {\n${source}\n})`, {
    filename,
    lineOffset: -1,
    importModuleDynamically: (specifier, _script, importAttributes, ...rest) => executor.dynamicImport(specifier, filename, context, importAttributes, rest[0]),
  });
  scripts.set(filename, script);
  return script.runInContext(context);
}

module.exports = SharedModulesRuntime;
module.exports.default = SharedModulesRuntime;
