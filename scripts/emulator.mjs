// `npm run emulator`: the ARM emulator on its own, for a bot started separately with ARM_ENDPOINT. Like
// scripts/start.mjs, it bundles the emulator's sources into one file when they changed since the last bundle
// (about a second), then runs it in this process: no TypeScript compiler, no two thousand module loads.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'emulator', 'main.js');
const stampFile = join(root, 'dist', 'emulator', 'inputs.stamp');

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** Every source the emulator may import (its own folder, ports and kernel live beside it under src/). */
function inputsStamp() {
  return [...walk(join(root, 'src'), []), join(root, 'tsconfig.json')]
    .sort()
    .map((file) => {
      const info = statSync(file);
      return `${relative(root, file)} ${info.size} ${info.mtimeMs}`;
    })
    .join('\n');
}

const stamp = inputsStamp();
const built = existsSync(outfile) && existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
if (built !== stamp) {
  process.stderr.write('bundling the emulator (its sources changed since the last start)…\n');
  const { build } = await import('esbuild');
  try {
    await build({ entryPoints: [join(root, 'src', 'emulator', 'main.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error' });
  } catch {
    process.stderr.write('the bundle failed (see above): not starting stale code\n');
    process.exit(1);
  }
  writeFileSync(stampFile, stamp);
}

createRequire(import.meta.url)(outfile).runEmulatorCli(process.argv.slice(2));
