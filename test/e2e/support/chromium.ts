import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { woffToSfnt } from './woff';

/** Debian's Chromium, used when it is installed; never a downloaded browser. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Without the first four flags Chromium floods the closed network with connection attempts; there is no GPU or
 * user namespace sandbox in the containers these run in. `--headless` comes from `headless: true`.
 */
export const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-gpu',
  '--no-first-run',
  '--no-sandbox',
];

/** The browser the e2e tests launch: where it is, its flags, and what its environment adds. */
export interface BrowserChoice {
  source: 'system' | 'npm';
  executablePath: string;
  args: string[];
  env: Record<string, string>;
}

/** globalSetup picks the browser once; test files (other processes) read the choice from here. */
const CHOICE_ENV = 'LGB_E2E_BROWSER';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The one place that picks the browser: Debian's Chromium when it is installed, otherwise the Chromium inside the
 * npm package `@sparticuz/chromium` (decompressed once into a cache folder under the system temp dir). Either way
 * its fontconfig adds the fonts npm ships (Noto Color Emoji; Open Sans with the npm Chromium), so the cards' ✅ and
 * ❌ are not boxes on a machine without those fonts. The choice is kept in the environment, so the test files of a
 * run (Jest workers inherit it) launch the same browser.
 */
export async function chooseBrowser(): Promise<BrowserChoice> {
  const chosen = process.env[CHOICE_ENV];
  if (chosen) return JSON.parse(chosen) as BrowserChoice;
  const tempRoot = os.tmpdir();
  const env = { FONTCONFIG_FILE: await fontsConf(tempRoot) };
  const choice: BrowserChoice = fs.existsSync(SYSTEM_CHROMIUM)
    ? { source: 'system', executablePath: SYSTEM_CHROMIUM, args: CHROMIUM_ARGS, env }
    : { source: 'npm', ...(await npmChromium(tempRoot)), env };
  process.env[CHOICE_ENV] = JSON.stringify(choice);
  return choice;
}

export async function launchChromium(): Promise<Browser> {
  const { executablePath, args, env } = await chooseBrowser();
  return chromium.launch({ executablePath, headless: true, args, env: { ...process.env, ...env }, timeout: 60_000 });
}

/** A package's folder and version, found from a file it exports (its `exports` may hide package.json). */
function npmPackage(name: string, exported = ''): { dir: string; version: string } {
  // Build folders may hold a package.json of their own (`{"type":"commonjs"}`): walk up to the one named `name`.
  for (let dir = path.dirname(require.resolve(exported ? `${name}/${exported}` : name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const { name: found, version } = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (found === name && version) return { dir, version };
  }
  throw new Error(`no package.json of ${name} above where it resolves`);
}

/**
 * A cache folder under the temp dir, filled once: `fill` writes into a fresh staging folder that is then renamed
 * into place whole, so concurrent runs race safely and a half-written cache is never used. `done` is the file
 * `fill` writes last.
 */
async function cached(cacheDir: string, done: string, fill: (staging: string) => Promise<void>): Promise<string> {
  if (fs.existsSync(path.join(cacheDir, done))) return cacheDir;
  const staging = fs.mkdtempSync(`${cacheDir}.staging-`);
  try {
    await fill(staging);
    try {
      fs.renameSync(staging, cacheDir);
    } catch (error) {
      // Another run got there first: its copy is complete, use it.
      if (!fs.existsSync(path.join(cacheDir, done))) throw error;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return cacheDir;
}

/**
 * `@sparticuz/chromium` is an ES module (its CommonJS build exports nothing usable), so a child node imports it.
 * It decompresses into `os.tmpdir()`: the binary as `chromium`, SwiftShader's libraries beside it, and `fonts/`;
 * the child's TMPDIR is the staging folder, which keeps all that out of /tmp proper (the package itself trusts
 * any existing /tmp/chromium, even a half-written one).
 */
async function npmChromium(tempRoot: string): Promise<{ executablePath: string; args: string[] }> {
  const { version } = npmPackage('@sparticuz/chromium');
  const cacheDir = await cached(path.join(tempRoot, `sparticuz-chromium-${version}`), 'args.json', async (staging) => {
    const inflated = (await sparticuz(
      `const executablePath = await chromium.executablePath();
       process.stdout.write(JSON.stringify({ executablePath, args: chromium.args }));`,
      staging,
    )) as { executablePath: string; args: string[] };
    if (inflated.executablePath !== path.join(staging, 'chromium')) throw new Error(`@sparticuz/chromium inflated to ${inflated.executablePath}, not into ${staging}`);
    fs.writeFileSync(path.join(staging, 'args.json'), JSON.stringify(inflated.args));
  });
  const args = JSON.parse(fs.readFileSync(path.join(cacheDir, 'args.json'), 'utf8')) as string[];
  // sparticuz's args are made for AWS Lambda; ours (the closed network) go after, and `--headless` is Playwright's.
  const ours = CHROMIUM_ARGS.filter((flag) => !args.includes(flag));
  return { executablePath: path.join(cacheDir, 'chromium'), args: [...args.filter((flag) => !flag.startsWith('--headless')), ...ours] };
}

async function sparticuz(body: string, tmpdir: string): Promise<unknown> {
  const script = `const { default: chromium } = await import('@sparticuz/chromium');\n${body}`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, TMPDIR: tmpdir },
    timeout: 120_000,
  });
  return JSON.parse(stdout);
}

/**
 * A fontconfig file: the system's fonts (if any), then Noto Color Emoji from `@fontsource/noto-color-emoji`
 * (its WOFF files inflated to TTF once) and the npm Chromium's Open Sans (where it was decompressed).
 */
async function fontsConf(tempRoot: string): Promise<string> {
  const emoji = npmPackage('@fontsource/noto-color-emoji', 'LICENSE');
  const { version: chromiumVersion } = npmPackage('@sparticuz/chromium');
  const cacheDir = await cached(path.join(tempRoot, `noto-color-emoji-${emoji.version}`), 'fonts.conf', async (staging) => {
    const files = path.join(emoji.dir, 'files');
    for (const file of fs.readdirSync(files).filter((name) => name.endsWith('.woff'))) {
      fs.writeFileSync(path.join(staging, file.replace(/\.woff$/, '.ttf')), woffToSfnt(fs.readFileSync(path.join(files, file))));
    }
    const cacheDirFinal = path.join(tempRoot, `noto-color-emoji-${emoji.version}`);
    fs.writeFileSync(
      path.join(staging, 'fonts.conf'),
      `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${cacheDirFinal}</dir>
  <dir>${path.join(tempRoot, `sparticuz-chromium-${chromiumVersion}`, 'fonts')}</dir>
  <cachedir>${path.join(cacheDirFinal, 'fontconfig-cache')}</cachedir>
</fontconfig>
`,
    );
  });
  return path.join(cacheDir, 'fonts.conf');
}

/** The browser's language and time zone: the Playground sends the language as the activities' `locale`. */
export interface BrowserLocale {
  locale?: string;
  timezoneId?: string;
}

/**
 * A context that can only reach loopback addresses: the Playground's page asks for a few outside resources
 * (an animation worklet on a CDN) that would otherwise wait on DNS in a closed network.
 */
export async function loopbackOnlyContext(browser: Browser, { locale = 'en-US', timezoneId = 'UTC' }: BrowserLocale = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale, timezoneId });
  await context.route(
    (url) => !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && url.protocol !== 'data:',
    (route) => route.abort('addressunreachable'),
  );
  return context;
}
