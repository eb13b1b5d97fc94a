import { DEMO_IDS } from '../../src/emulator';
import { cardTexts, type CardJson } from '../support/cardReader';
import { startPlayground, type BotActivity, type Playground } from '../support/playground';

const LINK = /\]\((http:\/\/127\.0\.0\.1:\d+\/files\/[0-9a-f-]{36}\?exp=\d+&sig=[\w-]+)\)/;

/**
 * Inventory through the Agents Playground (demo mode): the Playground cannot carry out a file consent upload (it
 * has no OneDrive), so the file goes out as a signed, expiring download link served by the bot, in the personal
 * chat only. And the demo's failed replication: the emulator fails a region on demand, the announcement offers
 * the retry, the admin confirms it, and the tracker announces the new copies.
 */
describe('Playground: inventory file and retry of failed regions', () => {
  let pg: Playground;

  beforeAll(async () => {
    pg = await startPlayground({ env: { DEMO_TIME_SCALE: '3000' } });
  });

  afterAll(async () => {
    await pg?.close();
  });

  const inChannel = (a: BotActivity) => a.postedIn === pg.conversations.channel || a.conversationId.startsWith(pg.conversations.channel);

  it('answers inventory in the personal chat with a summary card and a download link that expires and cannot be forged', async () => {
    const { personal } = pg.conversations;
    const sent = await pg.say(personal, 'inventory');
    const summary = await pg.replyTo(sent, (a) => !!a.card, 30_000);
    expect(cardTexts(summary.card as CardJson).join(' ')).toMatch(/Inventory of the gallery/);
    const offer = await pg.replyTo(sent, (a) => LINK.test(a.text ?? ''), 30_000);
    const url = LINK.exec(offer.text ?? '')?.[1] ?? '';

    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/attachment; filename=".*-inventory-.*\.csv"/);
    const csv = await download.text();
    expect(csv.split('\r\n')[0]).toMatch(/^gallery,image,os_type,os_state/);
    expect(csv).toContain('physics-win11');

    const forged = await fetch(url.replace(/sig=[\w-]+/, 'sig=AAAA'));
    expect(forged.status).toBe(404);
    const stretched = await fetch(url.replace(/exp=(\d+)/, (_, exp: string) => `exp=${Number(exp) + 3_600_000}`));
    expect(stretched.status).toBe(404);
  }, 90_000);

  it('posts the summary in a channel and the file in the requester\'s personal chat, never the link in the channel', async () => {
    await pg.install(pg.conversations.channel);
    const since = pg.mark();
    const sent = await pg.say(pg.conversations.channel, 'inventory');
    const summary = await pg.replyTo(sent, (a) => !!a.card, 30_000);
    expect(cardTexts(summary.card as CardJson).join(' ')).toMatch(/Inventory of the gallery/);
    const told = await pg.replyTo(sent, (a) => /personal chat/.test(a.text ?? ''), 30_000);
    expect(told.text).toMatch(/sent the CSV file to our personal chat/);
    const offer = await pg.waitForActivity((a) => LINK.test(a.text ?? ''), { since, timeoutMs: 30_000 });
    expect(inChannel(offer)).toBe(false);
    expect(offer.conversationId).toBe(pg.conversations.personal);
    expect(pg.activities.filter((a) => a.seq >= since && inChannel(a) && LINK.test(a.text ?? ''))).toEqual([]);
  }, 90_000);

  it('retries a region that failed on demand from the failure announcement, confirmed, and announces the new copies', async () => {
    const { endpoint } = pg.app.azure;
    const post = (path: string, body: unknown) => fetch(`${endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/_admin/regionFailures', { region: 'eastus' })).status).toBe(200);
    const since = pg.mark();
    // Long enough that the tracker surely sees it running (one found already over is never announced), then ended
    // by the test once the progress card shows: however loaded the machine, no race and no simulated hours waited.
    const published = await post('/_admin/imageVersions', { galleryId: DEMO_IDS.physicsGalleryId, definition: 'physics-win11', version: '9.0.0', regions: ['westus2', 'eastus'], replicationDurationMs: 3 * 3_600_000 });
    expect(published.status).toBe(201);
    const { id: versionId } = (await published.json()) as { id: string };
    await pg.waitForActivity((a) => inChannel(a) && !!a.card && cardTexts(a.card).includes('Replication of physics-win11 9.0.0'), { since, timeoutMs: 30_000 });
    expect((await post('/_admin/replications', { versionId, durationMs: 0 })).status).toBe(200);

    const failure = await pg.waitForActivity((a) => inChannel(a) && !!a.card && cardTexts(a.card).some((t) => /9\.0\.0 failed in East US/.test(t)), { since, timeoutMs: 60_000 });
    const pressed = await pg.execute(failure, { title: 'Retry failed regions (admins)' });
    expect(pressed.text).toMatch(/posted the retry/);
    const proposal = await pg.waitForActivity((a) => !!a.card && cardTexts(a.card).some((t) => /Retry the failed regions of physics-win11 9\.0\.0/.test(t)), { since: pressed.since, timeoutMs: 30_000 });
    expect(cardTexts(proposal.card as CardJson).join(' ')).toMatch(/Copying \d+ GB again to 1 region/);

    const confirmed = await pg.submit(proposal, { title: 'Confirm' });
    // The proposal becomes the operation's card, updated in place through the retry.
    const said = (pattern: RegExp) => (a: { text?: string; card?: unknown }) => pattern.test(a.text ?? '') || (!!a.card && cardTexts(a.card as CardJson).some((t) => pattern.test(t)));
    await pg.waitForActivity(said(/Retrying 1 failed region of \*\*physics-win11\*\* 9\.0\.0/), { since: confirmed.since, timeoutMs: 30_000 });
    await pg.waitForActivity(said(/targets its failed region again/), { since: confirmed.since, timeoutMs: 30_000 });
    const done = await pg.waitForActivity((a) => /physics-win11\*\* 9\.0\.0 is replicated to both regions/.test(a.text ?? ''), { since: confirmed.since, timeoutMs: 60_000 });
    expect(done.action).toBe('create');
  }, 240_000);
  it('a group chat bound to the gallery alone: bind, images, inventory, and replicate with its card and one announcement', async () => {
    const { group } = pg.conversations;
    const texts = (a: BotActivity) => cardTexts(a.card as CardJson).join(' ');
    const bound = await pg.say(group, 'bind gallery campus_images');
    expect((await pg.replyTo(bound, (a) => /bound to the gallery/.test(a.text ?? ''), 30_000)).text).toContain('campus_images');
    const images = await pg.say(group, 'images');
    expect(texts(await pg.replyTo(images, (a) => !!a.card, 30_000))).toMatch(/Images of campus_images/);
    const inventory = await pg.say(group, 'inventory');
    expect(texts(await pg.replyTo(inventory, (a) => !!a.card, 30_000))).toMatch(/Inventory of the gallery campus_images/);

    const replicate = await pg.say(group, 'replicate ubuntu-campus');
    const proposal = await pg.replyTo(replicate, (a) => !!a.card, 30_000);
    expect(texts(proposal)).toMatch(/ubuntu-campus\W+1\.0\.0 across France/);
    const confirmed = await pg.submit(proposal, { title: 'Confirm' });
    const done = await pg.waitForActivity((a) => /ubuntu-campus\*\* 1\.0\.0 is replicated to both regions of France/.test(a.text ?? ''), { since: confirmed.since, timeoutMs: 60_000 });
    expect(done.conversationId.startsWith(group) || done.postedIn === group).toBe(true);
    // The operation's card followed the replication in place; nothing else was posted about it.
    expect(pg.activities.filter((a) => a.seq >= confirmed.since && /ubuntu-campus\*\* 1\.0\.0 is replicated/.test(a.text ?? ''))).toHaveLength(1);
  }, 120_000);
});
