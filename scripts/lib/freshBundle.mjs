// Bundles an entry point with esbuild when one of its inputs changed since the last bundle, and returns the
// bundle's path. The stamp lists every input (path, size, mtime): any edit, added or deleted file makes it
// differ, so stale code never runs, and an unchanged tree starts without rebuilding. One bundled file loads
// faster than two thousand modules (no resolution, one read). Types are checked by `npm run typecheck`, not here.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function walk(path, out) {
  if (!statSync(path).isDirectory()) {
    out.push(path);
    return out;
  }
  for (const entry of readdirSync(path)) walk(join(path, entry), out);
  return out;
}

function inputsStamp(inputs) {
  return inputs
    .flatMap((input) => walk(join(root, input), []))
    .sort()
    .map((file) => {
      const info = statSync(file);
      return `${relative(root, file)} ${info.size} ${info.mtimeMs}`;
    })
    .join('\n');
}

/**
 * @param {{ name: string, entry: string, outDir: string, outName: string, inputs: string[], external?: string[] }} bundle
 *   paths relative to the repository root; `inputs` are files or folders.
 */
export async function freshBundle({ name, entry, outDir, outName, inputs, external = [] }) {
  const outfile = join(root, outDir, outName);
  const stampFile = join(root, outDir, 'inputs.stamp');
  const stamp = inputsStamp(inputs);
  const built = existsSync(outfile) && existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
  if (built === stamp) return outfile;
  process.stderr.write(`bundling the ${name} (its sources changed since the last start)…\n`);
  const { build } = await import('esbuild');
  try {
    await build({ entryPoints: [join(root, entry)], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external, logLevel: 'error' });
  } catch {
    process.stderr.write('the bundle failed (see above): not starting stale code\n');
    process.exit(1);
  }
  writeFileSync(stampFile, stamp);
  return outfile;
}
