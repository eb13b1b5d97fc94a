import { lastSegment, parseImageVersionId } from '../kernel';
import type { OperationRecordOf, ReplicateProgress } from '../ports/operations';
import { checkedParams, notAStepOf, type OperationKindModule, type StepGateways } from './operationKind';
import { failureReason, reference } from './reports';

/** Add regions to an image version's targets; the replication tracker follows the copies from there. */
export const replicateKind: OperationKindModule<'replicate'> = {
  kind: 'replicate',
  checkInput(host, target, params) {
    const version = parseImageVersionId(target);
    if (!version) throw new TypeError(`replicate: target is not an image version id: ${target}`);
    if (version.subscriptionId.toLowerCase() !== host.subscriptionId.toLowerCase()) throw new TypeError('replicate: the version is in another subscription than the host');
    return checkedParams('replicate', params);
  },
  steps: () => ['setTargetRegions'],
  async runStep(step, op, { gateways }) {
    return step === 'setTargetRegions' ? setTargetRegions(op, gateways) : notAStepOf(step, op);
  },
  auditDetail: () => undefined,
  report(op, t) {
    const names = { image: op.params.image ?? '', version: op.params.version ?? lastSegment(op.target) };
    if (op.status === 'succeeded') return t('operation.succeeded.replicate', { ...names, count: op.progress.targets?.length ?? 0 });
    return `${t('operation.failed.replicate', names)} ${failureReason(op, t)} ${reference(op, t)}`;
  },
};

/**
 * Adds the regions the version does not target yet (kept ones keep their replica count and progress). Reads
 * first: after a crash between Azure's update and the journal, nothing is missing and nothing is written.
 */
async function setTargetRegions(op: OperationRecordOf<'replicate'>, { galleries }: StepGateways): Promise<ReplicateProgress> {
  const wanted = op.params.regions.map((r) => r.toLowerCase());
  let version = await galleries.getVersion(op.target);
  const targeted = new Set(version.targetRegions.map((t) => t.name));
  const missing = wanted.filter((r) => !targeted.has(r));
  if (missing.length) {
    version = await galleries.updateTargetRegions(op.target, [...version.targetRegions, ...missing.map((name) => ({ name, replicaCount: 1 }))]);
  }
  return { targets: version.targetRegions.map((t) => t.name).sort(), regionsAdded: missing.length };
}
