import { type GalleryRef, galleryNameOf, lastSegment } from '../kernel';
import type { CreateAndAttachProgress, OperationRecordOf } from '../ports/operations';
import { checkGalleryTarget, galleryIfExists, isLabPlan, runAttachStep, targetGallery } from './gallerySteps';
import { checkedParams, type OperationKindModule, type StepGateways } from './operationKind';
import { attachReport } from './reports';

/** Create a gallery (the target id names it), then attach it as `attach` does. */
export const createAndAttachKind: OperationKindModule<'createAndAttach'> = {
  kind: 'createAndAttach',
  checkInput(host, target, params) {
    checkGalleryTarget('createAndAttach', host, target);
    return checkedParams('createAndAttach', params);
  },
  steps: (op) => (isLabPlan(op.hostId) ? ['createGallery', 'grantOwner', 'attach', 'verify'] : ['createGallery', 'attach', 'verify']),
  runStep: (step, op, context) => (step === 'createGallery' ? createGallery(op, targetGallery(op), context.gateways) : runAttachStep(step, op, context)),
  // Once the gallery exists, a failed createAndAttach is an attach to retry, not a create.
  failedError: (op, step, reasonKey) =>
    step === 'createGallery' ? undefined : { key: 'createAndAttach.attachFailed', params: { gallery: galleryNameOf(op.target), reason: reasonKey } },
  auditDetail: (op) => (op.progress.imageCount !== undefined ? `images=${op.progress.imageCount}` : undefined),
  report: (op, t) => attachReport(op, op.params.name ?? lastSegment(op.target), t),
};

async function createGallery(op: OperationRecordOf<'createAndAttach'>, gallery: GalleryRef, { galleries }: StepGateways): Promise<CreateAndAttachProgress> {
  const existing = await galleryIfExists(galleries, gallery.id);
  // A gallery left Failed by an earlier create is created again (a PUT on the same name); any other is kept.
  if (existing && existing.provisioningState?.toLowerCase() !== 'failed') {
    return { galleryId: existing.id, galleryCreated: false };
  }
  const { location, description } = op.params;
  const created = await galleries.createGallery({
    resourceGroup: gallery.resourceGroup,
    name: gallery.name,
    location,
    ...(description ? { description } : {}),
  });
  return { galleryId: created.id || gallery.id, galleryCreated: true };
}
