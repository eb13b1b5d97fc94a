import { lastSegment } from '../kernel';
import { checkGalleryTarget, isLabPlan, runAttachStep } from './gallerySteps';
import { checkedParams, type OperationKindModule } from './operationKind';
import { attachReport } from './reports';

/** Attach an existing gallery to a lab host; on a lab plan, the Lab Services principal gets Owner on it first. */
export const attachKind: OperationKindModule<'attach'> = {
  kind: 'attach',
  checkInput(host, target, params) {
    checkGalleryTarget('attach', host, target);
    return checkedParams('attach', params);
  },
  steps: (op) => (isLabPlan(op.hostId) ? ['grantOwner', 'attach', 'verify'] : ['attach', 'verify']),
  runStep: (step, op, context) => runAttachStep(step, op, context),
  auditDetail: (op) => (op.progress.imageCount !== undefined ? `images=${op.progress.imageCount}` : undefined),
  report: (op, t) => attachReport(op, lastSegment(op.target), t),
};
