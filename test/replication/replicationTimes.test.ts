import { progressCard, announcement, type RegionLabels } from '../../src/replication/replicationMessages';
import { ManualClock, ScaledClock } from '../../src/ports/clock';
import { continuingClock } from '../../src/emulator/state/persistence';
import { watchOfStarted } from '../../src/replication/newWatch';
import type { ReplicationWatch } from '../../src/ports/replicationWatches';
import type { OutgoingMessage } from '../../src/ports/notifier';

/** Issue 16, point 10: one clock, relative times, "demo time ×60" said once, no expected end before it is stable. */
const VERSION = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/physics/images/physics-win11/versions/1.0.0';
const labels: RegionLabels = { displayName: (r) => ({ eastus: 'East US', westus2: 'West US 2' })[r] ?? r, geography: 'United States' };
const MIN = 60_000;

function cardText(message: OutgoingMessage): string {
  return JSON.stringify(message);
}

function running(polls: number, at: number): ReplicationWatch {
  const watch = watchOfStarted({ versionId: VERSION, hostId: 'plan', targets: ['eastus', 'westus2'], requester: { userId: 'a', conversationId: 'c', locale: 'en-US' } }, at);
  return {
    ...watch,
    polls,
    lastPolledAt: at + 3 * MIN,
    regions: [
      { region: 'eastus', state: 'Replicating', progress: 30, baseAt: at, baseProgress: 0 },
      { region: 'westus2', state: 'Replicating', progress: 60, baseAt: at, baseProgress: 0 },
    ],
  };
}

describe('replication times', () => {
  it('starts a watch the bot started on the tracker clock when no start is given', () => {
    const watch = watchOfStarted({ versionId: VERSION, hostId: 'plan', targets: ['eastus'], requester: { userId: 'a', conversationId: 'c', locale: 'en-US' } }, 5_000);
    expect(watch.startedAt).toBe(5_000);
  });

  it('keeps the demo scale through a resumed emulator clock', () => {
    const scaled = new ScaledClock(new ManualClock(), 60);
    expect(scaled.timeScale).toBe(60);
    expect(continuingClock(scaled, scaled.now() + 10 * MIN).timeScale).toBe(60);
  });

  it('shows relative times and no date, and says demo time once', () => {
    const t0 = Date.UTC(2026, 10, 27, 9);
    const text = cardText(progressCard(running(1, t0), labels, 'en-US', t0 + 3 * MIN, 60));
    expect(text).toContain('"value":"3 min ago"');
    expect(text).toContain('"title":"Running for","value":"3 min"');
    expect(text.match(/Demo time ×60/g)).toHaveLength(1);
    expect(text).not.toMatch(/\{\{DATE|\{\{TIME|2026|2027|about .* left/);
  });

  it('gives no expected end until the estimate is stable, then a relative one', () => {
    const t0 = Date.UTC(2026, 10, 27, 9);
    expect(cardText(progressCard(running(2, t0), labels, 'en-US', t0 + 3 * MIN))).toContain('0 of 2 regions of United States done.');
    const stable = cardText(progressCard(running(3, t0), labels, 'en-US', t0 + 3 * MIN));
    expect(stable).toContain('0 of 2 regions of United States done; about 7 min left.');
    expect(stable).toMatch(/Checked just now/);
  });

  it('tells French readers in French, geography included, and the demo duration as such', () => {
    const t0 = Date.UTC(2026, 10, 27, 9);
    const fr = cardText(progressCard(running(1, t0), labels, 'fr-FR', t0 + 3 * MIN, 60));
    expect(fr).toContain('géographie États-Unis');
    expect(fr).toContain('il y a 3 min');
    const done: ReplicationWatch = { ...running(4, t0), status: 'completed', finishedAt: t0 + 68 * MIN, regions: running(4, t0).regions.map((r) => ({ ...r, state: 'Completed', progress: 100 })) };
    expect(announcement(done, labels, 'en-US', 60)).toEqual({
      kind: 'text',
      text: '✅ **physics-win11** 1.0.0 is replicated to both regions of United States: East US, West US 2. It took 1 h 8 min (demo time ×60).',
    });
    expect(cardText(progressCard(done, labels, 'en-US', t0 + 70 * MIN))).toContain('"title":"Took","value":"1 h 8 min"');
  });
});
