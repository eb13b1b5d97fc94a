import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

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
 * npm package `@sparticuz/chromium` (decompressed once into a cache folder under the system temp dir). The choice is
 * kept in the environment, so the test files of a run (Jest workers inherit it) launch the same browser.
 */
export async function chooseBrowser(): Promise<BrowserChoice> {
  const chosen = process.env[CHOICE_ENV];
  if (chosen) return JSON.parse(chosen) as BrowserChoice;
  const choice: BrowserChoice = fs.existsSync(SYSTEM_CHROMIUM)
    ? { source: 'system', executablePath: SYSTEM_CHROMIUM, args: CHROMIUM_ARGS, env: {} }
    : await npmChromium(os.tmpdir());
  process.env[CHOICE_ENV] = JSON.stringify(choice);
  return choice;
}

export async function launchChromium(): Promise<Browser> {
  const { executablePath, args, env } = await chooseBrowser();
  return chromium.launch({ executablePath, headless: true, args, env: { ...process.env, ...env }, timeout: 60_000 });
}

/**
 * `@sparticuz/chromium` is an ES module (its CommonJS build exports nothing usable), so a child node imports it.
 * It decompresses into `os.tmpdir()`: the binary as `chromium`, SwiftShader's libraries beside it, and `fonts/`.
 * Pointing the child's TMPDIR at a fresh staging folder and renaming that into place keeps those out of /tmp
 * proper and lets concurrent runs race safely (the package itself trusts any existing /tmp/chromium, even half
 * written).
 */
async function npmChromium(tempRoot: string): Promise<BrowserChoice> {
  // Its `exports` hide package.json; the CommonJS entry sits two folders below it.
  const packageJson = path.join(path.dirname(require.resolve('@sparticuz/chromium')), '..', '..', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string };
  const cacheDir = path.join(tempRoot, `sparticuz-chromium-${version}`);
  const executablePath = path.join(cacheDir, 'chromium');
  let args: string[];
  if (fs.existsSync(path.join(cacheDir, 'fonts.conf'))) {
    args = (await sparticuz(`process.stdout.write(JSON.stringify(chromium.args))`, tempRoot)) as string[];
  } else {
    const staging = fs.mkdtempSync(`${cacheDir}.staging-`);
    try {
      const inflated = (await sparticuz(
        `const executablePath = await chromium.executablePath();
         process.stdout.write(JSON.stringify({ executablePath, args: chromium.args }));`,
        staging,
      )) as { executablePath: string; args: string[] };
      if (inflated.executablePath !== path.join(staging, 'chromium')) throw new Error(`@sparticuz/chromium inflated to ${inflated.executablePath}, not into ${staging}`);
      args = inflated.args;
      fs.writeFileSync(path.join(staging, 'fonts.conf'), fontsConf(cacheDir));
      try {
        fs.renameSync(staging, cacheDir);
      } catch (error) {
        // Another run got there first: its copy is complete (renamed whole), use it.
        if (!fs.existsSync(path.join(cacheDir, 'fonts.conf'))) throw error;
      }
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  // sparticuz's args are made for AWS Lambda; ours (the closed network) go after, and `--headless` is Playwright's.
  const ours = CHROMIUM_ARGS.filter((flag) => !args.includes(flag));
  return {
    source: 'npm',
    executablePath,
    args: [...args.filter((flag) => !flag.startsWith('--headless')), ...ours],
    env: { FONTCONFIG_FILE: path.join(cacheDir, 'fonts.conf') },
  };
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
 * The package's own fonts.conf names /tmp/fonts; this one names the cache's Open Sans, after the system's
 * fonts (if any), so text never renders as boxes on a machine without fonts.
 */
function fontsConf(cacheDir: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${path.join(cacheDir, 'fonts')}</dir>
  <cachedir>${path.join(cacheDir, 'fontconfig-cache')}</cachedir>
</fontconfig>
`;
}

/**
 * A context that can only reach loopback addresses: the Playground's page asks for a few outside resources
 * (an animation worklet on a CDN) that would otherwise wait on DNS in a closed network.
 */
export async function loopbackOnlyContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US', timezoneId: 'UTC' });
  await context.route(
    (url) => !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && url.protocol !== 'data:',
    (route) => route.abort('addressunreachable'),
  );
  return context;
}
