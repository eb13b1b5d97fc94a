// `npm start`: build the bot only when its inputs changed since the last build, then run it in this process.
// The stamp lists every input (path, size, mtime); any edit, added or deleted file makes it differ, so the
// bot never runs stale code, and an unchanged tree starts without paying for the compiler.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'dist', '.build-stamp.json');
const entry = join(root, 'dist', 'src', 'index.js');

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

function inputsStamp() {
  const files = [
    ...walk(join(root, 'src'), []),
    ...walk(join(root, 'cards'), []),
    join(root, 'tsconfig.json'),
    join(root, 'tsconfig.build.json'),
    join(root, 'package-lock.json'),
  ];
  return files
    .sort()
    .map((file) => {
      const info = statSync(file);
      return `${relative(root, file)} ${info.size} ${info.mtimeMs}`;
    })
    .join('\n');
}

/**
 * tsc's own up-to-date check compares the newest .ts input with its build info: it misses a changed card
 * (JSON) and a deleted source that a stale output still imports. Those force a full build.
 */
function needsFullBuild(before, after) {
  const previous = new Map(before.split('\n').map((line) => [line.split(' ')[0], line]));
  const current = new Set(after.split('\n').map((line) => line.split(' ')[0]));
  const deleted = [...previous.keys()].some((file) => !current.has(file));
  const changedNonTs = after.split('\n').some((line) => !line.split(' ')[0].endsWith('.ts') && previous.get(line.split(' ')[0]) !== line);
  return deleted || changedNonTs;
}

const stamp = inputsStamp();
const built = existsSync(entry) && existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
if (built !== stamp) {
  process.stderr.write('building the bot (sources changed since the last build)…\n');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const force = built === '' || needsFullBuild(built, stamp) ? ['--force'] : [];
  const result = spawnSync(process.execPath, [tsc, '-b', join(root, 'tsconfig.build.json'), ...force], { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('the build failed: not starting stale code\n');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampFile, stamp);
}

createRequire(import.meta.url)(entry);
