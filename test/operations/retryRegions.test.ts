import type { Activity, AdaptiveCardInvokeResponse, InvokeResponse } from 'botbuilder';
import { DEMO_NAMES } from '../../src/emulator';
import { retryRegionsKind } from '../../src/operations/retryRegions';
import type { OperationRecordOf } from '../../src/ports/operations';
import { watchIdOf } from '../../src/ports/replicationWatches';
import { sqliteBackend } from '../../src/storage';
import { announcement } from '../../src/replication/replicationMessages';
import { addBigGallery } from '../support/bigGallery';
import { ADMIN, createBotHarness, MEMBER, visibleText, type BotHarness } from '../support/botHarness';

const HOME = DEMO_NAMES.labPlanLocation;
const CONVERSATION = 'retry-conv';

describe('retry of failed regions', () => {
  let h: BotHarness;
  let big: ReturnType<typeof addBigGallery>;
  beforeAll(async () => {
    h = await createBotHarness({ access: { adminIds: [ADMIN] } });
    big = addBigGallery(h.azure.emulator.state, 2, 'retry_gallery');
    await h.services.bindings.put({ conversationId: CONVERSATION, hostId: big.planId, boundBy: ADMIN, boundAt: 0 });
  });
  afterAll(async () => h.close());

  /** A version whose copy to East US fails (the emulator's failure on demand), its home region completed. */
  function failedVersion(name: string): string {
    const state = h.azure.emulator.state;
    state.galleries.failNextReplications('eastus');
    const version = state.galleries.addVersion({
      definitionId: `${big.galleryId}/images/image-0000`,
      name,
      targetRegions: [{ name: HOME, regionalReplicaCount: 1 }, { name: 'eastus', regionalReplicaCount: 2 }],
      osDiskSizeGB: 127,
      replicationDurationsMs: 0,
    });
    return version.id;
  }

  const invoke = async (data: unknown, aadObjectId = ADMIN) => {
    const replies: Partial<Activity>[] = await h.send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      locale: 'en-US',
      conversation: { id: CONVERSATION, isGroup: true, conversationType: 'channel', name: 'General' },
      from: { id: `user-${aadObjectId}`, name: 'User', aadObjectId },
      value: { action: { type: 'Action.Execute', verb: 'replication.retry', data } },
    });
    const { body } = replies.find((r) => r.type === 'invokeResponse')!.value as InvokeResponse<AdaptiveCardInvokeResponse>;
    return String(body?.value);
  };

  async function proposalCard(from: number): Promise<{ confirmationId: string; text: string }> {
    for (let i = 0; i < 50; i++) {
      const sent = h.notifier.sent.slice(from).find((s) => s.message.kind === 'card');
      if (sent && sent.message.kind === 'card') {
        const text = JSON.stringify(sent.message.card);
        const id = /"confirmationId":"([^"]+)"/.exec(text)?.[1] ?? '';
        return { confirmationId: id, text };
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('no proposal card was posted');
  }

  it('offers the button on a failure announcement where some region completed', () => {
    const watch = {
      id: 'w', versionId: 'v', galleryId: big.galleryId, imageName: 'image-0000', versionName: '3.0.0', targets: ['eastus', HOME], hostIds: [], origin: 'discovered' as const,
      status: 'failed' as const, startedAt: 0, firstSeenAt: 0, polls: 3, errors: 0, nextPollAt: 0, cardConversations: [], cardStale: false, finishedAt: 60_000,
      regions: [
        { region: 'eastus', state: 'Failed' as const, progress: 50, details: 'boom', baseAt: 0, baseProgress: 0 },
        { region: HOME, state: 'Completed' as const, progress: 100, baseAt: 0, baseProgress: 0 },
      ],
    };
    const labels = { displayName: (n: string) => n, geography: 'Europe' };
    const message = announcement(watch, labels, 'en-US');
    expect(message.kind).toBe('card');
    expect(JSON.stringify(message)).toContain('"verb":"replication.retry"');
    const allFailed = announcement({ ...watch, regions: watch.regions.map((r) => ({ ...r, state: 'Failed' as const })) }, labels, 'en-US');
    expect(JSON.stringify(allFailed)).not.toContain('replication.retry');
  });

  it('proposes the retry with its cost, and on Confirm drops and re-adds the failed regions, tracked as a new replication', async () => {
    const versionId = failedVersion('3.0.0');
    expect(h.azure.emulator.state.galleries.replicationStatus(versionId).aggregatedState).toBe('Failed');
    const from = h.notifier.sent.length;

    expect(await invoke({ image: 'image-0000', version: '3.0.0' })).toMatch(/posted the retry/);
    const proposal = await proposalCard(from);
    expect(proposal.text).toContain('Copying 254 GB again to 1 region (2 replicas)');

    // A member cannot even propose it.
    expect(await invoke({ image: 'image-0000', version: '3.0.0' }, MEMBER)).toMatch(/admin/i);

    const writesBefore = h.azure.emulator.requestLog.filter((e) => e.method === 'PUT' || e.method === 'PATCH').length;
    const replies = await h.send({
      type: 'message',
      locale: 'en-US',
      conversation: { id: CONVERSATION, isGroup: true, conversationType: 'channel', name: 'General' },
      from: { id: `user-${ADMIN}`, name: 'User', aadObjectId: ADMIN },
      value: { verb: 'confirm', confirmationId: proposal.confirmationId, answer: 'yes' },
    });
    expect(visibleText(replies[0]!)).toMatch(/Retrying 1 failed region of \*\*image-0000\*\* 3\.0\.0/);
    await h.settle();

    // Two writes: the removal, then the re-add (with its replica count back).
    expect(h.azure.emulator.state.galleries.requireVersion(versionId).targetRegions.map((t) => [t.region, t.regionalReplicaCount]).sort()).toEqual([['eastus', 2], [HOME, 1]].sort());
    expect(h.azure.emulator.requestLog.filter((e) => e.method === 'PUT' || e.method === 'PATCH').length - writesBefore).toBe(2);
    expect(h.azure.emulator.state.galleries.replicationStatus(versionId).summary.find((r) => r.region.replace(/\s/g, '').toLowerCase() === 'eastus')?.state).not.toBe('Failed');
    expect(h.notifier.outcomes().join('\n')).toMatch(/targets its failed region again/);
    // The tracker watches the new attempt under an id of its own (the failed replication had the same targets).
    const prefix = watchIdOf(versionId, ['eastus', HOME]);
    const ids = (await sqliteBackend(h.db).replicationWatches(h.clock).listUnsettled()).map((w) => w.id);
    expect(ids.some((id) => id.startsWith(`${prefix}#`))).toBe(true);
  });

  it('is idempotent: each step run again after a crash writes nothing', async () => {
    const versionId = failedVersion('3.0.1');
    const op = {
      id: 'op-1', kind: 'retryRegions', hostId: big.planId, target: versionId, params: { regions: ['eastus'], image: 'image-0000', version: '3.0.1' },
      progress: {}, status: 'running', step: '', requestedBy: ADMIN, conversationId: CONVERSATION, locale: 'en-US', correlationId: 'c',
    } as unknown as OperationRecordOf<'retryRegions'>;
    const context = { gateways: { galleries: h.azure.setup.gateways.galleries } } as Parameters<typeof retryRegionsKind.runStep>[2];
    const writes = () => h.azure.emulator.requestLog.filter((e) => e.method === 'PUT' || e.method === 'PATCH').length;
    // Each step run a second time (a resumed operation) writes nothing; the first run's write may have been retried
    // by the SDK on a loaded machine, so only the second runs are counted.
    const removed = await retryRegionsKind.runStep('removeRegions', op, context);
    expect(removed).toMatchObject({ removed: ['eastus'], replicaCounts: { eastus: 2 } });
    let before = writes();
    const again = await retryRegionsKind.runStep('removeRegions', { ...op, progress: removed }, context);
    expect(again).toMatchObject({ removed: [], replicaCounts: { eastus: 2 } });
    expect(writes() - before).toBe(0);
    const added = await retryRegionsKind.runStep('addRegions', { ...op, progress: again }, context);
    expect(added).toMatchObject({ regionsReadded: 1 });
    before = writes();
    expect(await retryRegionsKind.runStep('addRegions', { ...op, progress: again }, context)).toMatchObject({ regionsReadded: 0 });
    expect(writes() - before).toBe(0);
  });
});
