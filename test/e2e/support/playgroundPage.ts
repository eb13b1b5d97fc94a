import type { Locator, Page, WebSocketRoute } from 'playwright-core';
import type { StepShots } from './artifacts';
import { BOT } from './playgroundUsers';

/** How long a reply to a typed message or a click may take on a slow machine. */
export const REPLY_TIMEOUT_MS = 30_000;

type TextMatch = string | RegExp;

/** The panel the Playground renders a card into: it stays when the card is redrawn or replaced in place. */
const CARD_HOST = '.ac-preview-panel';

/** Something the page will show: what matched before the action that causes it never counts. */
export interface Upcoming<T> {
  arrived(timeoutMs?: number): Promise<T>;
}

/**
 * The Agents Playground's web UI (0.2.28), driven like a person would: the conversation list on the left,
 * the compose box, @mentions in channels, Adaptive Card buttons, toggles and inputs.
 *
 * Selectors that hold in 0.2.28 (no test ids exist):
 * - conversations: `treeitem` "Personal Chat", "Group Chat", "My Team - General";
 * - the conversation pane: the outermost element around the compose box (`[role=textbox]`) that holds
 *   neither the conversation tree nor the log panel (whose lines repeat every message's text);
 * - cards: `.ac-adaptiveCard`; bot texts: `<p>` outside cards and compose boxes; buttons by their title;
 * - a channel: a new post is the card with the "Post" button; each post (thread) has its own compose box and
 *   a "Send Message" button; `@` opens a `menuitem` list of bot and people.
 */
export class PlaygroundPage {
  readonly pane: Locator;
  private marks = 0;
  private readonly stream = new HeldStream();

  constructor(
    readonly page: Page,
    readonly shots: StepShots,
  ) {
    this.pane = page
      .locator('xpath=//div[@role="textbox"]/ancestor::div[not(.//*[@role="tree"]) and not(.//button[@title="Clear logs"])][last()]')
      .first();
  }

  /** Loads the UI and waits until it has its configuration (the Playground waits for the bot for that). */
  async open(url: string): Promise<void> {
    await this.stream.route(this.page);
    await this.page.goto(url, { waitUntil: 'domcontentloaded' });
    await this.page.getByRole('treeitem', { name: 'Personal Chat' }).waitFor({ timeout: 60_000 });
    const hideLog = this.page.getByTitle('Hide log panel');
    if (await hideLog.isVisible()) await hideLog.click();
  }

  /** Waits until the Playground shows `name` as signed in (top right). */
  async waitForSignedIn(name: string): Promise<void> {
    await this.page.getByRole('toolbar').getByRole('img', { name, exact: true }).waitFor();
  }

  async openPersonalChat(): Promise<void> {
    await this.page.getByRole('treeitem', { name: 'Personal Chat' }).click();
    await this.pane.getByRole('button', { name: 'Post', exact: true }).waitFor({ state: 'detached' });
    await this.pane.getByRole('textbox').waitFor();
  }

  /** A channel of the team: its posts and the box that starts a new one. */
  async openChannel(name = 'General', team = 'My Team'): Promise<void> {
    await this.page.getByRole('treeitem', { name: `${team} - ${name}` }).click();
    await this.newPostBox().waitFor();
  }

  /** Personal chat: types the message and presses Enter. */
  async say(text: string): Promise<void> {
    const box = this.pane.getByRole('textbox');
    await box.click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  /**
   * Channel: a new post that @mentions the bot (the bot hears nothing else in a channel).
   *
   * The Playground's page learns of a new post from the answer to its POST, but hears the bot's replies on
   * its WebSocket, and drops a reply to a post it does not know yet: a bot that answers within a few
   * milliseconds (a refusal, say) loses the race now and then. So the page's WebSocket is held from the click
   * until the post shows, then let through.
   */
  async post(text: string): Promise<void> {
    const box = this.newPostBox();
    await box.click();
    await this.mentionBot();
    await this.page.keyboard.type(` ${text}`);
    const shown = await this.upcoming(this.threads().filter({ hasText: `${BOT.name} ${text}` }));
    this.stream.hold();
    try {
      await this.pane.getByRole('button', { name: 'Post', exact: true }).click();
      await shown.arrived();
    } finally {
      this.stream.release();
    }
  }

  /** Channel: a reply in the thread of the post that says `postText`, @mentioning the bot. */
  async replyInThread(postText: TextMatch, text: string): Promise<void> {
    const thread = this.threads().filter({ hasText: postText }).first();
    await thread.getByRole('textbox').click();
    await this.mentionBot();
    await this.page.keyboard.type(` ${text}`);
    await thread.getByRole('button', { name: 'Send Message' }).click();
  }

  /** Every card in the conversation, in page order (a channel shows its newest post first). */
  cards(): Locator {
    return this.pane.locator('.ac-adaptiveCard');
  }

  /** Every plain text message (the bot's; typed messages render as spans), in page order. */
  texts(): Locator {
    return this.pane.locator(
      'xpath=.//p[not(ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ac-adaptiveCard ")]) and not(ancestor::*[@contenteditable="true"])]',
    );
  }

  /**
   * The next card (containing `containing`, if given) to appear after this call. The view stays on that message
   * when the bot replaces its card in place (an Action.Execute answer), whatever the card then says.
   */
  async upcomingCard(containing?: TextMatch): Promise<Upcoming<CardView>> {
    const matching = containing === undefined ? this.cards() : this.cards().filter({ hasText: containing });
    const next = await this.upcoming(matching, CARD_HOST);
    return { arrived: async (timeoutMs) => new CardView((await next.arrived(timeoutMs)).locator('.ac-adaptiveCard')) };
  }

  /** The next text message matching `text` to appear after this call. */
  upcomingText(text: TextMatch): Promise<Upcoming<Locator>> {
    return this.upcoming(this.texts().filter({ hasText: text }));
  }

  /**
   * The next note the Playground shows under a card: the text an Action.Execute was answered with (it is not a
   * message of the conversation, and the Playground shows it as plain text, markdown and all).
   */
  upcomingCardNote(text: TextMatch): Promise<Upcoming<Locator>> {
    return this.upcoming(this.pane.locator('span').filter({ hasText: text, hasNot: this.page.locator('span') }));
  }

  /** Sends (personal chat) and waits for the bot's next card, which must contain `containing`. */
  async sayAndWaitForCard(text: string, containing?: TextMatch): Promise<CardView> {
    const next = await this.upcomingCard(containing);
    await this.say(text);
    return next.arrived();
  }

  /** Posts (channel) and waits for the bot's next card, which must contain `containing`. */
  async postAndWaitForCard(text: string, containing?: TextMatch): Promise<CardView> {
    const next = await this.upcomingCard(containing);
    await this.post(text);
    return next.arrived();
  }

  /** A screenshot of this step, with `focus` (a card, say) scrolled into view first. */
  async shot(step: string, focus?: Locator | CardView): Promise<void> {
    const target = focus instanceof CardView ? focus.root : focus;
    if (target) await target.scrollIntoViewIfNeeded();
    await this.shots.take(step);
  }

  /**
   * What is shown now and matches is marked as seen, so that only something new can arrive: counting would not
   * do, since a channel lists its newest post first and the Playground redraws cards. A card is marked on the
   * element hosting its message (`hostSelector`), which the Playground keeps when it redraws or replaces the card.
   */
  private async upcoming(matching: Locator, hostSelector?: string): Promise<Upcoming<Locator>> {
    const seen = `s${++this.marks}`;
    await matching.evaluateAll(
      (elements, { token, host }) => {
        for (const element of elements) {
          const target = (host && element.closest(host)) || element;
          target.setAttribute('data-e2e-seen', `${target.getAttribute('data-e2e-seen') ?? ''} ${token}`.trim());
        }
      },
      { token: seen, host: hostSelector },
    );
    const fresh = matching.and(this.page.locator(`:not([data-e2e-seen~="${seen}"], [data-e2e-seen~="${seen}"] *)`)).first();
    return {
      arrived: async (timeoutMs = REPLY_TIMEOUT_MS) => {
        await fresh.waitFor({ state: 'visible', timeout: timeoutMs });
        return this.pin(fresh, hostSelector);
      },
    };
  }

  /** A locator that keeps finding this element (or its host), by a mark rather than its text or position. */
  private async pin(element: Locator, hostSelector?: string): Promise<Locator> {
    const id = `p${++this.marks}`;
    await element.evaluate(
      (el, { value, host }) => ((host && el.closest(host)) || el).setAttribute('data-e2e-id', value),
      { value: id, host: hostSelector },
    );
    return this.pane.locator(`[data-e2e-id="${id}"]`);
  }

  private newPostBox(): Locator {
    return this.pane
      .locator('.fui-Card')
      .filter({ has: this.page.getByRole('button', { name: 'Post', exact: true }) })
      .getByRole('textbox');
  }

  private threads(): Locator {
    return this.pane.locator('.fui-Card').filter({ has: this.page.getByRole('button', { name: 'Send Message' }) });
  }

  private async mentionBot(): Promise<void> {
    await this.page.keyboard.type('@');
    await this.page.getByRole('menuitem', { name: BOT.name }).click();
  }
}

/** One Adaptive Card as the Playground renders it. */
export class CardView {
  constructor(readonly root: Locator) {}

  text(): Promise<string> {
    return this.root.innerText();
  }

  button(title: string): Locator {
    return this.root.getByRole('button', { name: title, exact: true });
  }

  async click(title: string): Promise<void> {
    await this.button(title).click();
  }

  /**
   * The innermost row (a `$data` container or column set) that shows exactly `name` and also holds `inner`: the
   * image a toggle belongs to, the gallery an Attach button picks.
   */
  row(name: string, inner: Locator): Locator {
    return this.root
      .locator('.ac-container, .ac-columnSet')
      .filter({ has: this.root.page().getByText(name, { exact: true }) })
      .filter({ has: inner })
      .last();
  }

  /** The Input.Toggle in the row of `name` (an image of the images card). */
  toggleOf(name: string): Locator {
    return this.row(name, this.root.page().getByRole('checkbox')).getByRole('checkbox');
  }

  /** The button titled `title` in the row of `name` ("Use as template" of an image, "Attach" of a gallery). */
  buttonOf(name: string, title: string): Locator {
    const button = this.root.page().getByRole('button', { name: title, exact: true });
    return this.row(name, button).getByRole('button', { name: title, exact: true });
  }

  /** An input by its label (Input.Text, Input.Number, Input.ChoiceSet); required ones have a " *" after it. */
  input(label: string): Locator {
    return this.root.getByLabel(label);
  }

  /** Waits until the card (updated in place, say) shows `text`. */
  async waitForText(text: TextMatch, timeoutMs = REPLY_TIMEOUT_MS): Promise<void> {
    await this.root.getByText(text).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }
}

/**
 * The Playground's conversation WebSocket (what the bot sent), passed through to the page unless held; held
 * frames are delivered, in order, on release.
 */
class HeldStream {
  private routed = false;
  private held: { page: WebSocketRoute; message: string | Buffer }[] | undefined;

  async route(page: Page): Promise<void> {
    if (this.routed) return;
    this.routed = true;
    await page.routeWebSocket(/\/_ws_conversation\//, (toPage) => {
      const toServer = toPage.connectToServer();
      toServer.onMessage((message) => {
        if (this.held) this.held.push({ page: toPage, message });
        else toPage.send(message);
      });
    });
  }

  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const { page, message } of held) page.send(message);
  }
}
