/**
 * bench/cards — the images card at 50, 300 and 1,000 images: time to render a page (ARM cached, so the card
 * work alone) and ARM requests per view, read from the emulator's request log.
 *   npx tsx bench/cards.ts [--repeat 200]
 */
import { performance } from 'node:perf_hooks';
import { imageListReply, IMAGES_PAGE_SIZE } from '../src/views';
import { cardBytes } from '../src/cards/renderCard';
import type { ImageService } from '../src/core/imageService';
import { createTranslator } from '../src/i18n/catalog';
import { addBigGallery } from '../test/support/bigGallery';
import { ADMIN, createBotHarness, type BotHarness } from '../test/support/botHarness';

const SIZES = [50, 300, 1000];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function measureSize(h: BotHarness, count: number, repeat: number) {
  const { planId } = addBigGallery(h.azure.emulator.state, count, `bench_${count}`);
  const conversationId = `bench-${count}`;
  await h.services.bindings.put({ conversationId, hostId: planId, boundBy: ADMIN, boundAt: 0 });
  const log = h.azure.emulator.requestLog;

  // The user's first look: `images` through the whole bot (role, host, list, the page's versions).
  let from = log.length;
  const [reply] = await h.say('images', { aadObjectId: ADMIN, conversationId });
  const firstView = log.length - from;
  const bytes = reply?.attachments?.[0] ? Buffer.byteLength(JSON.stringify(reply.attachments[0].content)) : 0;

  // The same page again (versions cached): the image list only.
  from = log.length;
  await h.say('images', { aadObjectId: ADMIN, conversationId });
  const secondView = log.length - from;

  // A repeat view of page 1, admin view (toggles), versions cached: the whole view (image list read again over
  // loopback), and the card work alone (the same view over the list already read).
  const t = createTranslator('en-US');
  const viewer = { role: 'admin' as const, userId: 'bench-user' };
  const snapshot = await h.services.images.snapshot(planId);
  const listed: ImageService = Object.assign(Object.create(h.services.images) as ImageService, { snapshot: async () => snapshot });
  const views: number[] = [];
  const renders: number[] = [];
  let maxBytes = 0;
  for (let i = 0; i < repeat; i++) {
    let started = performance.now();
    await imageListReply(h.services.images, t, planId, viewer, { page: 0, filter: '' });
    views.push(performance.now() - started);
    started = performance.now();
    const page = await imageListReply(listed, t, planId, viewer, { page: 0, filter: '' });
    renders.push(performance.now() - started);
    if (page.kind === 'card') maxBytes = Math.max(maxBytes, cardBytes(page.card));
  }
  views.sort((a, b) => a - b);
  renders.sort((a, b) => a - b);
  const listPages = Math.ceil(count / 100);
  return { count, firstView, secondView, listPages, view: percentile(views, 50), render: percentile(renders, 50), bytes: Math.max(bytes, maxBytes) };
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--repeat');
  const repeat = arg > 0 ? Number(process.argv[arg + 1]) : 10;
  // No throttling here: the bench measures request counts, not how ARM's buckets would pace them.
  const h = await createBotHarness({ emulator: { throttle: false } });
  try {
    const rows = [];
    for (const size of SIZES) rows.push(await measureSize(h, size, repeat));
    console.log(`bench:cards — images card, ${IMAGES_PAGE_SIZE} images per page, emulator list page size 100, ${repeat} renders per size\n`);
    console.log('images  ARM first view  ARM same page again  list pages  view p50 ms  card work p50 ms  card bytes');
    for (const r of rows) {
      console.log(
        `${String(r.count).padStart(6)}  ${String(r.firstView).padStart(14)}  ${String(r.secondView).padStart(19)}  ${String(r.listPages).padStart(10)}  ${r.view.toFixed(1).padStart(11)}  ${r.render.toFixed(2).padStart(16)}  ${String(r.bytes).padStart(10)}`,
      );
    }
    console.log('(view = image list read from the emulator over loopback + card work; the emulator recomputes plan images on every read)');
    const perImage = rows.every((r) => r.secondView <= r.listPages);
    console.log(`\nno ARM request per image on a repeat view: ${perImage ? 'met' : 'NOT met'}; every card under 28 KB: ${rows.every((r) => r.bytes < 28 * 1024) ? 'met' : 'NOT met'}`);
  } finally {
    await h.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
