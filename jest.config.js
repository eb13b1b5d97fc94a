/** @type {import('jest').Config} */
module.exports = {
  // The Bot Framework, Azure SDK and restify packages load once per worker, not once per test file (about half
  // the suite's CPU went to loading them again): see test/support/sharedModulesRuntime.js.
  runtime: '<rootDir>/test/support/sharedModulesRuntime.js',
  testEnvironment: '<rootDir>/test/support/sharedModulesEnvironment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The Playground protocol tests run with the browser tests, in `npm run test:e2e` (test/playground/jest.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/playground/'],
  // SWC only transpiles (no type check: `npm run typecheck` does that); it costs a fraction of ts-jest's CPU.
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  testTimeout: 30000,
  // The run gets a temp dir of its own; a test that leaves something in it fails the run.
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  // Three workers on two cores: a quarter of the files mostly wait (bot processes starting, simulated Azure time,
  // PostgreSQL), and a third worker fills both cores meanwhile (measured: 57 s against 71 s with two).
  maxWorkers: 3,
  // With no timings yet (a fresh clone), the longest files still go first: see test/support/testSequencer.js.
  testSequencer: '<rootDir>/test/support/testSequencer.js',
  // A worker that has run its last file fires 'exit' at once (measured: 0 ms after Jest's "end", with only its stdio
  // pipes open), but tearing a worker's heap down can outlast Jest's default 500 ms on a loaded machine: Jest then
  // kills it and warns of a leak that is not there. It waits up to 5 s instead; a worker that exits sooner ends sooner.
  workerGracefulExitTimeout: 5000,
};
