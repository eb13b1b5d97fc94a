/**
 * bench/inventory — `inventory` on a gallery of 5,000 versions: ARM reads per 1,000 versions, time, peak memory.
 *   npm run bench:inventory [-- --versions 5000]
 * Two shapes of the same size: many images with few versions each, and few images with many versions (paged
 * version lists). Targets: no read per version (no N+1), memory bounded by one image's versions, not the gallery.
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DEMO_NAMES } from '../src/emulator';
import { addBigGallery } from '../test/support/bigGallery';
import { ADMIN, createBotHarness, type BotHarness } from '../test/support/botHarness';

interface Shape {
  label: string;
  definitions: number;
  versionsPerDefinition: number;
}

interface Measured {
  shape: Shape;
  versions: number;
  reads: number;
  versionLists: number;
  ms: number;
  heapPeakMB: number;
  rssPeakMB: number;
  fileKB: number;
}

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Fills the gallery straight into the emulator's state (no ARM traffic to count). */
function populate(h: BotHarness, shape: Shape, name: string): { planId: string; galleryId: string } {
  const state = h.azure.emulator.state;
  const big = addBigGallery(state, shape.definitions, name);
  const regions = [DEMO_NAMES.labPlanLocation, 'northeurope', 'eastus'];
  for (let d = 0; d < shape.definitions; d++) {
    const definitionId = `${big.galleryId}/images/image-${String(d).padStart(4, '0')}`;
    // addBigGallery gave each image 1.0.0.
    for (let v = 1; v < shape.versionsPerDefinition; v++) {
      state.galleries.addVersion({ definitionId, name: `1.${Math.floor(v / 100)}.${v % 100}`, targetRegions: regions.slice(0, 1 + (v % 3)).map((r) => ({ name: r, regionalReplicaCount: 1 + (v % 2) })), replicationDurationsMs: 0 });
    }
  }
  return big;
}

async function measure(h: BotHarness, shape: Shape, index: number): Promise<Measured> {
  const { planId, galleryId } = populate(h, shape, `bench_inventory_${index}`);
  const conversationId = `bench-inventory-${index}`;
  await h.services.bindings.put({ conversationId, hostId: planId, boundBy: ADMIN, boundAt: 0 });
  const versions = shape.definitions * shape.versionsPerDefinition;
  global.gc?.();
  const baseHeap = process.memoryUsage().heapUsed;
  let heapPeak = baseHeap;
  let rssPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    heapPeak = Math.max(heapPeak, m.heapUsed);
    rssPeak = Math.max(rssPeak, m.rss);
  }, 5);
  const from = h.azure.emulator.requestLog.length;
  const started = performance.now();
  const replies = await h.send({
    type: 'message',
    text: 'inventory',
    locale: 'en-US',
    from: { id: 'user-admin', name: 'Admin', aadObjectId: ADMIN },
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: 'chat' },
  });
  const ms = performance.now() - started;
  clearInterval(sampler);
  const log = h.azure.emulator.requestLog.slice(from).filter((e) => e.method === 'GET');
  const id = /\/files\/([0-9a-f-]{36})\?/.exec(String(replies[1]?.text ?? ''))?.[1] ?? '';
  const file = h.services.files.get(id);
  if (!file) throw new Error(`no file: ${JSON.stringify(replies.map((r) => r.text ?? r.summary))}`);
  const lines = fs.readFileSync(file.path, 'utf8').split('\r\n').filter(Boolean).length - 1;
  if (lines !== versions) throw new Error(`expected ${versions} rows, got ${lines}`);
  void galleryId;
  return {
    shape,
    versions,
    reads: log.length,
    versionLists: log.filter((e) => e.operation === 'galleryImageVersions.listByGalleryImage').length,
    ms,
    heapPeakMB: (heapPeak - baseHeap) / 2 ** 20,
    rssPeakMB: rssPeak / 2 ** 20,
    fileKB: file.sizeInBytes / 1024,
  };
}

async function main(): Promise<void> {
  const total = argNumber('--versions', 5000);
  const shapes: Shape[] = [
    { label: 'many images, few versions', definitions: total / 50, versionsPerDefinition: 50 },
    { label: 'few images, many versions (paged lists)', definitions: total / 500, versionsPerDefinition: 500 },
  ];
  const h = await createBotHarness({ access: { adminIds: [ADMIN] }, emulator: { throttle: false } });
  try {
    const rows: Measured[] = [];
    for (const [i, shape] of shapes.entries()) rows.push(await measure(h, shape, i));
    console.log(`bench:inventory — inventory of a ${total}-version gallery (emulator page size 100; ${process.version}, gc ${global.gc ? 'exposed' : 'not exposed'})\n`);
    for (const r of rows) {
      console.log(`${r.shape.label}: ${r.shape.definitions} images × ${r.shape.versionsPerDefinition} versions`);
      console.log(`  ARM reads: ${r.reads} (${r.versionLists} version-list pages) = ${((r.reads / r.versions) * 1000).toFixed(1)} per 1,000 versions`);
      console.log(`  time: ${(r.ms / 1000).toFixed(2)} s (${((r.ms / r.versions) * 1000).toFixed(0)} ms per 1,000 versions, emulator in the same process)`);
      console.log(`  memory: heap peak +${r.heapPeakMB.toFixed(1)} MB over the start of the run, RSS peak ${r.rssPeakMB.toFixed(0)} MB; CSV ${r.fileKB.toFixed(0)} KB`);
    }
  } finally {
    await h.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
