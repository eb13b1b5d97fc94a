import { lastSegment } from '../kernel';
import type { Translator } from '../i18n/catalog';
import { userMessageOf } from '../i18n/userMessage';
import type { OperationRecord, OperationRecordOf } from '../ports/operations';

/** Pieces of the reports that several kinds share. */

/** The catalog's words for why an operation failed, or a generic reason when its key is not in the catalog. */
export function failureReason(op: Pick<OperationRecord, 'error'>, t: Translator): string {
  return t(userMessageOf(op.error, { key: 'operation.unknownFailure', params: {} }));
}

export function reference(op: Pick<OperationRecord, 'correlationId'>, t: Translator): string {
  return t('operation.reference', { correlationId: op.correlationId });
}

/** attach and createAndAttach: the gallery is attached (with its image counts), or why not. */
export function attachReport(op: OperationRecordOf<'attach'> | OperationRecordOf<'createAndAttach'>, gallery: string, t: Translator): string {
  const host = lastSegment(op.hostId);
  const { imageCount, enabledCount, ownerGranted } = op.progress;
  if (op.status === 'succeeded') {
    const counts = imageCount !== undefined ? t('operation.imageCount', { count: imageCount, enabled: enabledCount ?? 0 }) : '';
    return `${t(`operation.succeeded.${op.kind}`, { gallery, host })} ${counts}`.trim();
  }
  // A grant made before the failure stays (a retry reuses it); the admin is told, so it is not forgotten.
  const ownerLeft = ownerGranted === true ? ` ${t('operation.ownerLeft')}` : '';
  return `${t(`operation.failed.${op.kind}`, { gallery, host })} ${failureReason(op, t)}${ownerLeft} ${reference(op, t)}`;
}
