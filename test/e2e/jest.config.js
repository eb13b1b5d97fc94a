/* global module */
/**
 * Browser end-to-end tests: the bot (demo mode), the Microsoft 365 Agents Playground and Chromium (Debian's when
 * installed, else the one in the npm package @sparticuz/chromium; globalSetup picks it).
 * `npm run test:e2e` runs them beside the Playground protocol tests (scripts/testE2e.mjs). Files run one at a time
 * (each starts its own bot, Playground and browser), so a 2-core machine is not asked to run two browsers at once.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  // SWC only transpiles, as in the unit run (`npm run typecheck` checks types): ts-jest cost seconds per file.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  maxWorkers: 1,
  testTimeout: 180000,
  slowTestThreshold: 60,
  globalSetup: '<rootDir>/test/e2e/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
};
