// `npm run emulator`: the ARM emulator on its own, for a bot started separately with ARM_ENDPOINT. Like
// `npm start`, it bundles its sources when they changed since the last bundle (scripts/lib/freshBundle.mjs),
// then runs it in this process: no TypeScript compiler, no two thousand module loads.
import { createRequire } from 'node:module';
import { freshBundle } from './lib/freshBundle.mjs';

// Every source the emulator may import: its own folder, and the ports and kernel beside it under src/.
const outfile = await freshBundle({ name: 'emulator', entry: 'src/emulator/main.ts', outDir: 'dist/emulator', outName: 'main.js', inputs: ['src', 'tsconfig.json'] });
createRequire(import.meta.url)(outfile).runEmulatorCli(process.argv.slice(2));
