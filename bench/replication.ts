/**
 * bench/replication — the replication tracker watching many versions replicate at once, in emulated time.
 *   npx tsx bench/replication.ts [--versions 1000] [--budget 90000] [--share 0.1]
 * 1,000 versions of 100 images start replicating together to 3–9 regions of the United States, each region
 * taking 20–120 emulated minutes. The tracker (real SDK adapters, SQLite, the emulator over HTTP, a manual
 * clock) finds them by scanning the bound lab plan's gallery and announces each end.
 * Targets: at most 10% of the subscription's read budget; p95 lag from completion to announcement ≤ 2 min.
 * Baseline, from the same durations: a watcher polling every version once a minute.
 */
import { DEMO_IDS } from '../src/emulator';
import { startTrackerWorld } from '../test/support/trackerHarness';

const MIN = 60_000;
const US = ['eastus', 'eastus2', 'centralus', 'northcentralus', 'southcentralus', 'westcentralus', 'westus', 'westus2', 'westus3'];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const versions = arg('versions', 1000);
  const budgetPerHour = arg('budget', 90_000);
  const share = arg('share', 0.1);
  const world = await startTrackerWorld({ readsPerHour: budgetPerHour * share, emulator: { throttle: false } });
  try {
    // The seed's own versions are old: the first scan remembers them quietly.
    await world.runUntil(() => false, 1);
    const state = world.emulator.state;
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const t0 = world.clock.now();
    const completion = new Map<string, number>();
    const images = Math.ceil(versions / 10);
    for (let i = 0; i < images; i++) {
      const definitionId = state.addImageDefinition({ galleryId: DEMO_IDS.physicsGalleryId, name: `bench-${String(i).padStart(3, '0')}`, osType: 'Linux', osState: 'Generalized' });
      for (let v = 0; v < 10 && i * 10 + v < versions; v++) {
        const regions = [...US].sort(() => random() - 0.5).slice(0, 3 + Math.floor(random() * 7));
        const durations = Object.fromEntries(regions.map((r) => [r, Math.round((20 + random() * 100) * MIN)]));
        const id = state.addImageVersion({ definitionId, name: `1.0.${v}`, targetRegions: regions, replicationDurationsMs: durations });
        completion.set(id.toLowerCase(), t0 + Math.max(...Object.values(durations)));
      }
    }
    const readsBefore = world.emulator.requestLog.filter((r) => r.method === 'GET').length;
    const started = Date.now();
    await world.runUntil(() => world.notifier.announcements().length >= versions, 6 * 60 * MIN);
    const wallMs = Date.now() - started;
    const lastCompletion = Math.max(...completion.values());
    const hours = (lastCompletion - t0) / (60 * MIN);

    const reads = world.emulator.requestLog.filter((r) => r.method === 'GET' && r.time >= t0);
    const totalReads = world.emulator.requestLog.filter((r) => r.method === 'GET').length - readsBefore;
    const statusReads = reads.filter((r) => r.query.$expand === 'ReplicationStatus').length;
    const lags: number[] = [];
    for (const a of world.notifier.announcements()) {
      const versionId = a.key.split(':')[1]?.split('|')[0] ?? '';
      const done = completion.get(versionId);
      if (done !== undefined) lags.push(a.at - done);
    }
    lags.sort((x, y) => x - y);
    const readsPerHour = totalReads / hours;
    const naivePerHour = [...completion.values()].reduce((sum, done) => sum + (done - t0) / MIN, 0) / hours;
    const p95 = percentile(lags, 95) / MIN;
    const result = {
      versions,
      announced: world.notifier.announcements().length,
      emulatedHours: Number(hours.toFixed(2)),
      wallSeconds: Number((wallMs / 1000).toFixed(1)),
      armReads: totalReads,
      replicationStatusReads: statusReads,
      readsPerVersion: Number((totalReads / versions).toFixed(2)),
      readsPerHour: Math.round(readsPerHour),
      shareOfBudget: `${((100 * readsPerHour) / budgetPerHour).toFixed(2)}% of ${budgetPerHour}/h`,
      shareOfOld12000PerHourLimit: `${((100 * readsPerHour) / 12_000).toFixed(1)}%`,
      baselineOncePerMinutePerHour: Math.round(naivePerHour),
      readsVsBaseline: Number((readsPerHour / naivePerHour).toFixed(3)),
      lagMinutes: { p50: Number((percentile(lags, 50) / MIN).toFixed(2)), p95: Number(p95.toFixed(2)), max: Number(((lags.at(-1) ?? NaN) / MIN).toFixed(2)) },
      progressCardUpdates: world.notifier.cards().filter((c) => c.kind === 'update').length,
      targets: { budgetShareMax: '10%', p95LagMaxMinutes: 2 },
      met: readsPerHour / budgetPerHour <= 0.1 && p95 <= 2 && world.notifier.announcements().length === versions,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await world.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exitCode = 1;
});
