/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded by Jest itself, untranspiled */
'use strict';
/**
 * Jest's runtime, except that the heavy third-party packages (Bot Framework, the Azure SDKs, restify, the card
 * templating) are loaded once per worker by Node itself, outside the test file's sandbox, and shared by every
 * test file that worker runs. Jest gives each file a fresh module registry, and loading these anew cost ~2 s of
 * CPU per file that builds the bot (about half the suite's CPU).
 *
 * The price is the one Node's own modules (fs, http) already have in Jest: their objects come from the worker's
 * realm, so `instanceof Error` in a test is false for their errors (src does not depend on it for these), and
 * module-level state lives as long as the worker. Packages with global registrations (OpenTelemetry's API) or
 * mocked by a test stay in the sandbox.
 */
const { createRequire } = require('node:module');
const Runtime = require('jest-runtime').default;

/** Bare specifiers loaded outside the sandbox: the package name, or its scope. */
const SHARED = /^(?:botbuilder|botbuilder-core|botbuilder-dialogs|botbuilder-stdlib|botbuilder-testing|botframework-connector|botframework-schema|botframework-streaming|restify|@azure\/(?!monitor-opentelemetry)[^/]+)(?:\/|$)/;

class SharedModulesRuntime extends Runtime {
  requireModuleOrMock(from, moduleName) {
    if (SHARED.test(moduleName)) return createRequire(from)(moduleName);
    return super.requireModuleOrMock(from, moduleName);
  }
}

module.exports = SharedModulesRuntime;
module.exports.default = SharedModulesRuntime;
