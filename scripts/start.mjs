// `npm start`: bundle the bot when one of its inputs changed since the last bundle, then run it in this process.
// The stamp lists every input (path, size, mtime): any edit, added or deleted file makes it differ, so the bot
// never runs stale code, and an unchanged tree starts without rebuilding. One bundled file loads faster than
// two thousand modules (no resolution, one read). Types are checked by `npm run typecheck` and CI, not here.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'bot', 'index.js');
const stampFile = join(root, 'dist', 'bot', 'inputs.stamp');

/**
 * Native addons, and pino's transports (worker threads that load modules by name), stay in node_modules; so does
 * Azure Monitor's OpenTelemetry distro, loaded only when APPLICATIONINSIGHTS_CONNECTION_STRING is set: bundled,
 * its thousands of lines would be parsed at every start for nothing.
 */
const EXTERNAL = ['better-sqlite3', 'dtrace-provider', 'pino', 'pino-pretty', 'thread-stream', '@azure/monitor-opentelemetry'];

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

function inputsStamp() {
  const files = [...walk(join(root, 'src'), []), ...walk(join(root, 'cards'), []), join(root, 'tsconfig.json'), join(root, 'package-lock.json')];
  return files
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
  process.stderr.write('bundling the bot (its sources changed since the last start)…\n');
  const { build } = await import('esbuild');
  try {
    await build({
      entryPoints: [join(root, 'src', 'index.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: EXTERNAL,
      logLevel: 'error',
    });
  } catch {
    process.stderr.write('the bundle failed (see above): not starting stale code\n');
    process.exit(1);
  }
  writeFileSync(stampFile, stamp);
}

createRequire(import.meta.url)(outfile);
