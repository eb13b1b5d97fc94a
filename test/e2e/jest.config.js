/* global module */
/**
 * Browser end-to-end tests: the bot (demo mode), the Microsoft 365 Agents Playground and Debian's Chromium.
 * `npm run test:e2e`. Files run one at a time (each starts its own bot, Playground and browser), so a 2-core
 * machine is not asked to run two browsers at once.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  maxWorkers: 1,
  testTimeout: 180000,
  slowTestThreshold: 60,
};
