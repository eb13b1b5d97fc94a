// `npm start`: bundle the bot when one of its inputs changed since the last bundle (scripts/lib/freshBundle.mjs),
// then run it in this process.
import { createRequire } from 'node:module';
import { freshBundle } from './lib/freshBundle.mjs';

/**
 * Native addons, and pino's transports (worker threads that load modules by name), stay in node_modules; so does
 * Azure Monitor's OpenTelemetry distro, loaded only when APPLICATIONINSIGHTS_CONNECTION_STRING is set: bundled,
 * its thousands of lines would be parsed at every start for nothing.
 */
const EXTERNAL = ['better-sqlite3', 'dtrace-provider', 'pino', 'pino-pretty', 'thread-stream', '@azure/monitor-opentelemetry'];

const outfile = await freshBundle({
  name: 'bot',
  entry: 'src/index.ts',
  outDir: 'dist/bot',
  outName: 'index.js',
  inputs: ['src', 'cards', 'tsconfig.json', 'package-lock.json'],
  external: EXTERNAL,
});
createRequire(import.meta.url)(outfile);
