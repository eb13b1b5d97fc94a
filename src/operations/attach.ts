import { lastSegment } from '../kernel';
import { attach, checkGalleryTarget, grantOwner, isLabPlan, targetGallery, verifyAttached } from './gallerySteps';
import { checkedParams, notAStepOf, type OperationKindModule } from './operationKind';
import { attachReport } from './reports';

/** Attach an existing gallery to a lab host; on a lab plan, the Lab Services principal gets Owner on it first. */
export const attachKind: OperationKindModule<'attach'> = {
  kind: 'attach',
  checkInput(host, target, params) {
    checkGalleryTarget('attach', host, target);
    return checkedParams('attach', params);
  },
  steps: (op) => (isLabPlan(op.hostId) ? ['grantOwner', 'attach', 'verify'] : ['attach', 'verify']),
  async runStep(step, op, { gateways }) {
    const gallery = targetGallery(op);
    switch (step) {
      case 'grantOwner':
        return grantOwner(gallery, gateways);
      case 'attach':
        return attach(op.hostId, gallery, gateways);
      case 'verify':
        return verifyAttached(op.hostId, gallery, gateways);
      default:
        return notAStepOf(step, op);
    }
  },
  auditDetail: (op) => (op.progress.imageCount !== undefined ? `images=${op.progress.imageCount}` : undefined),
  report: (op, t) => attachReport(op, lastSegment(op.target), t),
};
