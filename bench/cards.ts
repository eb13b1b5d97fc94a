/**
 * bench/cards — the images card of a lab plan at Azure's size: the plan lists a Marketplace catalogue of 3,000
 * images besides its gallery's 50, 300 or 1,000 (200 a page, as Azure pages them). For each size: ARM requests
 * and time of a first view (nothing cached: host, image list, the page's versions), ARM requests of a repeat
 * view (everything cached), and the card work alone.
 *   npx tsx bench/cards.ts [--repeat 10]
 */
import { performance } from 'node:perf_hooks';
import { imageListReply, IMAGES_PAGE_SIZE } from '../src/views';
import { cardBytes } from '../src/cards/renderCard';
import { CachedLabHostGateway } from '../src/core/cachedLabHostGateway';
import { ImageService } from '../src/core/imageService';
import { PLAN_IMAGES_PAGE_SIZE } from '../src/emulator/handlers/labPlanImages';
import { createTranslator } from '../src/i18n/catalog';
import { addBigGallery } from '../test/support/bigGallery';
import { ADMIN, createBotHarness, type BotHarness } from '../test/support/botHarness';

const MARKETPLACE_IMAGES = 3000;
const SIZES = [50, 300, 1000];
/** The bot's host cache (src/app.ts HOST_CACHE_MS). */
const HOST_CACHE_MS = 60_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function measureSize(h: BotHarness, count: number, repeat: number) {
  const { planId } = addBigGallery(h.azure.emulator.state, count, `bench_${count}`);
  const conversationId = `bench-${count}`;
  await h.services.bindings.put({ conversationId, hostId: planId, boundBy: ADMIN, boundAt: 0 });
  const log = h.azure.emulator.requestLog;
  const listReads = (from: number) => log.slice(from).filter((e) => e.operation === 'images.listByLabPlan').length;

  // The user's first look: `images` through the whole bot (role, host, image list, the page's versions, regions).
  let from = log.length;
  const [reply] = await h.say('images', { aadObjectId: ADMIN, conversationId });
  const botFirstView = log.length - from;
  const botListPages = listReads(from);
  const bytes = reply?.attachments?.[0] ? Buffer.byteLength(JSON.stringify(reply.attachments[0].content)) : 0;

  // The same view again through the bot: everything cached.
  from = log.length;
  await h.say('images', { aadObjectId: ADMIN, conversationId });
  const botRepeatView = log.length - from;

  // First views with nothing cached (a fresh host cache and version cache each time), timed; then a repeat view
  // on the same caches; then the card work alone over the list already read.
  const t = createTranslator('en-US');
  const viewer = { role: 'admin' as const, userId: 'bench-user' };
  const { labHosts, galleries } = h.azure.setup.gateways;
  const firstViews: number[] = [];
  const firstReads: number[] = [];
  const repeatReads: number[] = [];
  const renders: number[] = [];
  let maxBytes = 0;
  for (let i = 0; i < repeat; i++) {
    const service = new ImageService(new CachedLabHostGateway(labHosts, h.clock, HOST_CACHE_MS), galleries, h.clock);
    from = log.length;
    let started = performance.now();
    await imageListReply(service, t, planId, viewer, { page: 0, filter: '' });
    firstViews.push(performance.now() - started);
    firstReads.push(log.length - from);
    from = log.length;
    const page = await imageListReply(service, t, planId, viewer, { page: 0, filter: '' });
    repeatReads.push(log.length - from);
    if (page.kind === 'card') maxBytes = Math.max(maxBytes, cardBytes(page.card));
    const snapshot = await service.snapshot(planId);
    const listed: ImageService = Object.assign(Object.create(service) as ImageService, { snapshot: async () => snapshot });
    started = performance.now();
    await imageListReply(listed, t, planId, viewer, { page: 0, filter: '' });
    renders.push(performance.now() - started);
  }
  firstViews.sort((a, b) => a - b);
  renders.sort((a, b) => a - b);
  return {
    count,
    botFirstView,
    botListPages,
    botRepeatView,
    firstReads: Math.max(...firstReads),
    repeatReads: Math.max(...repeatReads),
    firstP50: percentile(firstViews, 50),
    firstMax: firstViews[firstViews.length - 1] ?? NaN,
    render: percentile(renders, 50),
    bytes: Math.max(bytes, maxBytes),
  };
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--repeat');
  const repeat = arg > 0 ? Number(process.argv[arg + 1]) : 10;
  // No throttling here: the bench measures request counts, not how ARM's buckets would pace them.
  const h = await createBotHarness({ emulator: { throttle: false, marketplaceImages: MARKETPLACE_IMAGES } });
  try {
    const rows = [];
    for (const size of SIZES) rows.push(await measureSize(h, size, repeat));
    console.log(
      `bench:cards — a lab plan listing ${MARKETPLACE_IMAGES} Marketplace images besides its gallery's, ${PLAN_IMAGES_PAGE_SIZE} a page; ` +
        `${IMAGES_PAGE_SIZE} images per card page; ${repeat} cold views per size\n`,
    );
    console.log('gallery  bot first view: ARM (list pages)  bot repeat view: ARM  cold view ARM  repeat view ARM  cold view p50 ms  max ms  card work p50 ms  card bytes');
    for (const r of rows) {
      console.log(
        [
          String(r.count).padStart(7),
          `${r.botFirstView} (${r.botListPages})`.padStart(32),
          String(r.botRepeatView).padStart(21),
          String(r.firstReads).padStart(14),
          String(r.repeatReads).padStart(16),
          r.firstP50.toFixed(1).padStart(17),
          r.firstMax.toFixed(0).padStart(7),
          r.render.toFixed(2).padStart(17),
          String(r.bytes).padStart(11),
        ].join(' '),
      );
    }
    console.log('(cold view = host, the plan again for its gallery, every list page, the card page\'s versions; over loopback to the emulator)');
    const fast = rows.every((r) => r.firstP50 <= 1000);
    const repeatOk = rows.every((r) => r.repeatReads <= 1 && r.botRepeatView <= 1);
    console.log(`\nfirst view ≤ 1 s p50: ${fast ? 'met' : 'NOT met'}; repeat view ≤ 1 ARM read: ${repeatOk ? 'met' : 'NOT met'}; every card under 28 KB: ${rows.every((r) => r.bytes < 28 * 1024) ? 'met' : 'NOT met'}`);
  } finally {
    await h.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
