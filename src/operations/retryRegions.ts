import { lastSegment, parseImageVersionId, UserError } from '../kernel';
import type { ImageVersion, TargetRegion } from '../ports/galleryGateway';
import type { OperationRecordOf, RetryRegionsProgress } from '../ports/operations';
import { checkedParams, notAStepOf, type OperationKindModule, type StepContext } from './operationKind';
import { failureReason, reference } from './reports';

/** How long the re-add waits for Azure to finish dropping the failed replicas (the removal is an LRO too). */
const REMOVAL_WAIT_MS = 30 * 60_000;
const REMOVAL_POLL_MS = 15_000;

/**
 * Retry of the failed regions of a replication: drop them from the version's targets, wait until Azure has
 * taken that, then target them again (with the replica counts they had), which starts fresh copies. The
 * replication tracker follows the new copies like any replication. Each step reads Azure first, so a
 * resumed run writes nothing twice.
 */
export const retryRegionsKind: OperationKindModule<'retryRegions'> = {
  kind: 'retryRegions',
  checkInput(host, target, params) {
    const version = parseImageVersionId(target);
    if (!version) throw new TypeError(`retryRegions: target is not an image version id: ${target}`);
    if (version.subscriptionId.toLowerCase() !== host.subscriptionId.toLowerCase()) throw new TypeError('retryRegions: the version is in another subscription than the host');
    return checkedParams('retryRegions', params);
  },
  steps: () => ['removeRegions', 'addRegions'],
  async runStep(step, op, context) {
    switch (step) {
      case 'removeRegions':
        return removeRegions(op, context);
      case 'addRegions':
        return addRegions(op, context);
      default:
        return notAStepOf(step, op);
    }
  },
  auditDetail: (op) => `regions=${op.params.regions.join(',')}`,
  report(op, t) {
    const names = { image: op.params.image ?? '', version: op.params.version ?? lastSegment(op.target), count: op.params.regions.length };
    if (op.status === 'succeeded') return t('operation.succeeded.retryRegions', names);
    return `${t('operation.failed.retryRegions', names)} ${failureReason(op, t)} ${reference(op, t)}`;
  },
};

function wanted(op: OperationRecordOf<'retryRegions'>): string[] {
  return op.params.regions.map((r) => r.toLowerCase());
}

/**
 * Drops the failed regions the version still targets, remembering their replica counts for the re-add. Never
 * drops the last region (Azure refuses a version with no target): the caller offers a retry only when some
 * region completed, and a version whose every region failed is left as it is.
 */
async function removeRegions(op: OperationRecordOf<'retryRegions'>, { gateways }: StepContext): Promise<Partial<RetryRegionsProgress>> {
  const { galleries } = gateways;
  const regions = new Set(wanted(op));
  const version = await galleries.getVersion(op.target);
  const failed = version.targetRegions.filter((t) => regions.has(t.name));
  const kept = version.targetRegions.filter((t) => !regions.has(t.name));
  if (kept.length === 0) throw new UserError('retryRegions.nothingLeft', { version: version.name });
  const replicaCounts = Object.fromEntries(failed.map((t) => [t.name, t.replicaCount]));
  if (failed.length > 0) await galleries.updateTargetRegions(op.target, kept);
  return { removed: failed.map((t) => t.name).sort(), replicaCounts: { ...(op.progress.replicaCounts ?? {}), ...replicaCounts } };
}

/** Waits until the removal has settled, then targets the regions again; a region already back is left alone. */
async function addRegions(op: OperationRecordOf<'retryRegions'>, { gateways, clock }: StepContext): Promise<Partial<RetryRegionsProgress>> {
  const { galleries } = gateways;
  let version = await settled(op.target, galleries.getVersion.bind(galleries), clock);
  const targeted = new Set(version.targetRegions.map((t) => t.name));
  const missing = wanted(op).filter((r) => !targeted.has(r));
  if (missing.length > 0) {
    const counts = op.progress.replicaCounts ?? {};
    const added: TargetRegion[] = missing.map((name) => ({ name, replicaCount: counts[name] ?? 1 }));
    version = await galleries.updateTargetRegions(op.target, [...version.targetRegions, ...added]);
  }
  return { targets: version.targetRegions.map((t) => t.name).sort(), regionsReadded: missing.length };
}

/** The version once it is no longer `Updating` (the removal's LRO may outlast the gateway's own wait). */
async function settled(versionId: string, read: (id: string) => Promise<ImageVersion>, clock: StepContext['clock']): Promise<ImageVersion> {
  let version = await read(versionId);
  if (!clock) return version;
  // The waits are summed too: a clock whose sleeps take no time (the bot-level tests) still ends the loop.
  let waited = 0;
  while (version.provisioningState === 'Updating' && waited < REMOVAL_WAIT_MS) {
    await clock.sleep(REMOVAL_POLL_MS);
    waited += REMOVAL_POLL_MS;
    version = await read(versionId);
  }
  if (version.provisioningState === 'Updating') throw new UserError('retryRegions.stillUpdating', { version: version.name });
  return version;
}
