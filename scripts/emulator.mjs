// `npm run emulator`: the ARM emulator on its own, for a bot started separately with ARM_ENDPOINT. Like
// `npm start`, it bundles its sources when they changed since the last bundle (scripts/lib/freshBundle.mjs),
// then runs it in this process: no TypeScript compiler, no two thousand module loads.
import { createRequire } from 'node:module';
import { APP_BUNDLES } from './lib/appBundles.mjs';
import { freshBundle } from './lib/freshBundle.mjs';

createRequire(import.meta.url)(await freshBundle(APP_BUNDLES.emulator)).runEmulatorCli(process.argv.slice(2));
