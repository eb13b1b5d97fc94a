/**
 * bench/arm — ARM requests per command, read from the emulator's request log.
 *   npx tsx bench/arm.ts [--images 300]
 * Targets: no request per image (no N+1), lists paged, a second `status` within the cache TTL costs at most 1 ARM read.
 */
import { DEMO_IDS } from '../src/emulator';
import { addBigGallery } from '../test/support/bigGallery';
import { ADMIN, createBotHarness, type BotHarness } from '../test/support/botHarness';

interface Row {
  what: string;
  requests: number;
  detail: string;
}

function countSince(h: BotHarness, from: number): { total: number; detail: string } {
  const entries = h.azure.emulator.requestLog.slice(from);
  const byOp = new Map<string, number>();
  for (const e of entries) {
    const key = `${e.method} ${e.operation ?? e.path}`;
    byOp.set(key, (byOp.get(key) ?? 0) + 1);
  }
  return { total: entries.length, detail: [...byOp].map(([k, n]) => `${n}× ${k}`).join(', ') };
}

async function measure(h: BotHarness, what: string, action: () => Promise<unknown>, rows: Row[]): Promise<number> {
  const from = h.azure.emulator.requestLog.length;
  await action();
  const { total, detail } = countSince(h, from);
  rows.push({ what, requests: total, detail });
  return total;
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--images');
  const imageCount = arg > 0 ? Number(process.argv[arg + 1]) : 300;
  const h = await createBotHarness();
  const rows: Row[] = [];
  try {
    const big = addBigGallery(h.azure.emulator.state, imageCount);
    const conversation = { aadObjectId: ADMIN, conversationId: 'bench-conv' };

    await h.services.bindings.put({ conversationId: 'bench-conv', hostId: DEMO_IDS.labPlanId, boundBy: ADMIN, boundAt: 0 });
    const first = await measure(h, 'status (cold: role + host + images)', () => h.say('status', conversation), rows);
    const second = await measure(h, 'status again within the cache TTL', () => h.say('status', conversation), rows);

    await h.services.bindings.put({ conversationId: 'big-conv', hostId: big.planId, boundBy: ADMIN, boundAt: 0 });
    const bigStatus = await measure(h, `status on a plan with ${imageCount} images`, () => h.say('status', { aadObjectId: ADMIN, conversationId: 'big-conv' }), rows);
    const hostImages = await measure(h, `list the host's ${imageCount} images`, () => h.services.labHosts.listImages(big.planId), rows);
    const definitions = await measure(
      h,
      `list the gallery's ${imageCount} image definitions`,
      () => h.azure.setup.gateways.galleries.listImageDefinitions(big.galleryId),
      rows,
    );

    const width = Math.max(...rows.map((r) => r.what.length));
    console.log(`bench:arm — ARM requests per command (emulator page size 100, ${imageCount} images)\n`);
    for (const r of rows) console.log(`${r.what.padEnd(width)}  ${String(r.requests).padStart(3)}   ${r.detail}`);
    const pages = Math.ceil(imageCount / 100);
    console.log('');
    console.log(`no request per image: ${hostImages <= pages && definitions <= pages && bigStatus <= pages + 3 ? 'met' : 'NOT met'} (list pages expected: ${pages})`);
    console.log(`second status ≤ 1 ARM read: ${second <= 1 ? 'met' : 'NOT met'} (${second}; cold ${first})`);
  } finally {
    await h.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
