import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Activity } from 'botbuilder';
import { createBotHarness, ADMIN, MEMBER, PLAN_ID, TEACHER, type BotHarness } from '../support/botHarness';

interface HelpCard {
  body: { type: string; text?: string; items?: { type: string; text?: string; facts?: { title: string; value: string }[] }[] }[];
  actions?: { title: string; data?: { verb?: string; command?: string } }[];
}

const cardOf = (reply: Partial<Activity> | undefined) => reply?.attachments?.[0]?.content as HelpCard;
/** [heading, the commands listed under it (their first word)] for each group of the help card. */
const groups = (card: HelpCard) =>
  card.body.filter((b) => b.type === 'Container').map((c) => [c.items?.[0]?.text, (c.items?.[1]?.facts ?? []).map((f) => f.title.split(' ')[0])] as const);
const buttons = (card: HelpCard) => (card.actions ?? []).map((a) => [a.title, a.data?.command]);

describe('help (issue 16, point 16): grouped, short, with buttons, readable in every theme', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness();
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
  });
  afterAll(() => h.close());

  it('gives an admin the everyday commands first, then the setup ones, with Status and Images buttons', async () => {
    const [reply] = await h.say('help', { aadObjectId: ADMIN });
    const card = cardOf(reply);
    const [everyday, setup, ...more] = groups(card);
    expect(more).toEqual([]);
    expect(everyday?.[0]).toBe('Everyday');
    expect(everyday?.[1]).toEqual(expect.arrayContaining(['status', 'images']));
    expect(setup?.[0]).toBe('Setup');
    expect(setup?.[1]).toEqual(expect.arrayContaining(['attach', 'detach', 'bind']));
    // Each list stays short enough to read at a glance.
    for (const [, commands] of [everyday!, setup!]) expect(commands.length).toBeLessThanOrEqual(8);
    expect(buttons(card)).toEqual(expect.arrayContaining([['Status', 'status'], ['Images', 'images']]));
  });

  it('gives a teacher and a member only what they may run, and in French the French headings and buttons', async () => {
    for (const who of [TEACHER, MEMBER]) {
      const commands = groups(cardOf((await h.say('help', { aadObjectId: who }))[0])).flatMap(([, list]) => list);
      expect(commands).not.toEqual(expect.arrayContaining(['attach']));
      expect(commands).not.toEqual(expect.arrayContaining(['detach']));
    }
    const card = cardOf((await h.say('aide', { aadObjectId: ADMIN, locale: 'fr-FR' }))[0]);
    expect(groups(card).map(([heading]) => heading)).toEqual(['Au quotidien', 'Mise en place']);
    expect(buttons(card)).toEqual(expect.arrayContaining([['État', 'status'], ['Images', 'images']]));
  });

  it('colours no text with the light Good, Warning, Accent or Light colours, in any card', () => {
    const cardsDir = path.join(__dirname, '../../cards');
    for (const file of fs.readdirSync(cardsDir)) {
      const colours = [...fs.readFileSync(path.join(cardsDir, file), 'utf8').matchAll(/"color"\s*:\s*"([^"]+)"/g)].map((m) => m[1]);
      for (const colour of colours) expect([file, colour]).toEqual([file, expect.stringMatching(/^(Default|Attention|\$\{headlineColor\})$/)]);
    }
  });
});
