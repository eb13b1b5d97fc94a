import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RESULTS_DIR, StepShots } from './artifacts';
import { launchChromium, loopbackOnlyContext } from './chromium';
import { startDemoBot, type DemoBot } from './demoBot';
import { PlaygroundPage } from './playgroundPage';
import { startLocaleRewrite } from './localeRewrite';
import { startPlayground, type PlaygroundLanguage, type PlaygroundServer } from './playgroundServer';
import { PEOPLE, type PersonKey } from './playgroundUsers';

export interface E2eSession {
  bot: DemoBot;
  playground: PlaygroundServer;
  browser: Browser;
  ui: PlaygroundPage;
  /** Who the Playground has signed in now. */
  readonly as: PersonKey;
  /**
   * Signs someone else in. The Playground 0.2.28 has no user switcher (its UI always speaks as the
   * configuration's `currentUser`), so this restarts it on the same port with a configuration naming `who`,
   * and reloads the page. The bot, its storage and the emulator keep running; the Playground forgets the
   * messages it showed.
   */
  switchUser(who: PersonKey): Promise<void>;
  close(): Promise<void>;
}

export interface E2eSessionOptions {
  /** Who the Playground signs in first; default the admin (Alex Wilber). */
  as?: PersonKey;
  /** Extra bot settings (the environment `loadConfig` reads), e.g. `DEMO_TIME_SCALE`. */
  env?: Record<string, string>;
  /** The people's language and time zone (the Playground's and the browser's); default en-US, UTC. */
  language?: PlaygroundLanguage;
}

/**
 * One bot, one Playground and one Chromium for a test file (start it in beforeAll, close it in afterAll).
 * Logs go to `test-results/e2e/logs/<file>/`; screenshots to `test-results/e2e/<test>/`.
 */
export async function startE2eSession(testFile: string, { as = 'admin', env = {}, language }: E2eSessionOptions = {}): Promise<E2eSession> {
  const logs = path.join(RESULTS_DIR, 'logs', path.basename(testFile, '.e2e.ts'));
  fs.rmSync(logs, { recursive: true, force: true });
  fs.mkdirSync(logs, { recursive: true });
  const playgroundLog = path.join(logs, 'playground.log');

  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    const errors: unknown[] = [];
    for (const stop of closers.splice(0).reverse()) await stop().catch((error: unknown) => errors.push(error));
    if (errors.length) throw new AggregateError(errors, 'e2e teardown failed');
  };

  try {
    const bot = await startDemoBot(path.join(logs, 'bot.log'), env);
    closers.push(() => bot.close());
    let botEndpoint = bot.messagesEndpoint;
    if (language) {
      const rewrite = await startLocaleRewrite(botEndpoint, browserLocale(language));
      closers.push(() => rewrite.close());
      botEndpoint = rewrite.endpoint;
    }
    // The Playground and Chromium start side by side (neither needs the other until the page opens); whichever
    // started is closed even when the other failed.
    const [startedPlayground, launchedBrowser] = await Promise.allSettled([startPlayground({ botEndpoint, as, logFile: playgroundLog, language }), launchChromium()]);
    if (startedPlayground.status === 'rejected') {
      if (launchedBrowser.status === 'fulfilled') closers.push(() => launchedBrowser.value.close());
      throw startedPlayground.reason;
    }
    let playground = startedPlayground.value;
    // switchUser replaces the Playground: this closes whichever one runs at the end.
    closers.push(() => playground.close());
    if (launchedBrowser.status === 'rejected') throw launchedBrowser.reason;
    const browser = launchedBrowser.value;
    closers.push(() => browser.close());
    const context: BrowserContext = await loopbackOnlyContext(browser, language && { locale: browserLocale(language), timezoneId: language.timeZone });
    const page: Page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const ui = new PlaygroundPage(page, new StepShots(page));
    await ui.open(playground.url);
    await ui.waitForSignedIn(PEOPLE[as].name);

    const session: E2eSession = {
      bot,
      get playground() {
        return playground;
      },
      browser,
      ui,
      get as() {
        return playground.as;
      },
      async switchUser(who) {
        const port = playground.port;
        await playground.close();
        playground = await startPlayground({ botEndpoint, as: who, logFile: playgroundLog, port, language });
        await ui.open(playground.url);
        await ui.waitForSignedIn(PEOPLE[who].name);
      },
      close,
    };
    return session;
  } catch (error) {
    try {
      await close();
    } catch (teardown) {
      throw new AggregateError([error, teardown], 'e2e setup failed, and so did its teardown');
    }
    throw error;
  }
}

/** fr_FR.UTF-8 → fr-FR */
function browserLocale(language: PlaygroundLanguage): string {
  return language.lang.replace(/\..*/, '').replace('_', '-');
}
