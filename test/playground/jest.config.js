/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded by Jest itself, untranspiled */
/**
 * The Playground protocol tests: the bot (in the test's process) and the Microsoft 365 Agents Playground (a child
 * process), talked to through the Playground's own HTTP and WebSocket API, as its web page does, with no browser.
 * They run in `npm run test:e2e`, beside the browser tests (scripts/testE2e.mjs), not in the Jest part: a browser test
 * mostly waits on its page, and leaves a core idle that these fill. One file at a time: each starts a Playground.
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('../../jest.config.js'),
  rootDir: '../..',
  roots: ['<rootDir>/test/playground'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/playground/globalSetup.ts',
  maxWorkers: 1,
};
