// `npm start`: bundle the bot when one of its inputs changed since the last bundle (scripts/lib/freshBundle.mjs),
// then run it in this process.
import { createRequire } from 'node:module';
import { APP_BUNDLES } from './lib/appBundles.mjs';
import { freshBundle } from './lib/freshBundle.mjs';

createRequire(import.meta.url)(await freshBundle(APP_BUNDLES.bot));
