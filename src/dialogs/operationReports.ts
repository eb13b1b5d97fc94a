import { lastSegment } from '../kernel';
import { createTranslator, type Translator } from '../i18n/catalog';
import type { OutgoingMessage } from '../ports/notifier';
import type { OperationRecord } from '../ports/operations';

/** The message that tells the requester's conversation how a long operation ended, in their language. */
export function operationReport(op: OperationRecord): OutgoingMessage {
  const t = createTranslator(op.locale);
  if (op.kind === 'createLab') return labReport(op, t);
  if (op.kind === 'replicate') return replicateReport(op, t);
  const gallery = String(op.params.name ?? lastSegment(op.target));
  const host = lastSegment(op.hostId);
  if (op.status === 'succeeded') {
    const images = Number(op.progress.imageCount ?? NaN);
    const counts = Number.isFinite(images) ? t('operation.imageCount', { count: images, enabled: Number(op.progress.enabledCount ?? 0) }) : '';
    if (op.kind === 'detach') {
      const kept = Array.isArray(op.progress.ownerKeptFor) ? op.progress.ownerKeptFor.map(String) : [];
      const role =
        Number(op.progress.ownerRevokedCount ?? 0) > 0
          ? ` ${t('operation.roleRemoved')}`
          : kept.length
            ? ` ${t('operation.ownerKept', { plans: kept.join(', ') })}`
            : '';
      return { kind: 'text', text: `${t('operation.succeeded.detach', { gallery, host })}${role}` };
    }
    return { kind: 'text', text: `${t(`operation.succeeded.${op.kind}`, { gallery, host })} ${counts}`.trim() };
  }
  const reason = op.error && t.has(op.error.key) ? t(op.error.key, op.error.params) : t('operation.unknownFailure');
  const ref = t('operation.reference', { correlationId: op.correlationId });
  // A grant made before the failure stays (a retry reuses it); the admin is told, so it is not forgotten.
  const ownerLeft = op.progress.ownerGranted === true ? ` ${t('operation.ownerLeft')}` : '';
  return { kind: 'text', text: `${t(`operation.failed.${op.kind}`, { gallery, host })} ${reason}${ownerLeft} ${ref}` };
}

/** "Lab ready" with its title, name and host; or what failed and, when the cause is Azure's, what to do next. */
function labReport(op: OperationRecord, t: Translator): OutgoingMessage {
  const lab = String(op.progress.labName ?? op.params.name ?? lastSegment(op.target));
  const title = String(op.progress.labTitle ?? op.params.title ?? lab);
  const image = String(op.params.imageName ?? '');
  const host = lastSegment(op.hostId);
  if (op.status === 'succeeded') return { kind: 'text', text: t('operation.succeeded.createLab', { title, lab, host, image }) };
  const key = op.error?.key;
  const reason = key && t.has(key) ? t(key, op.error?.params) : t('operation.unknownFailure');
  // The lab.* reasons say what to do; Azure's refusals do not.
  const hint = key?.startsWith('lab.') ? '' : ` ${t('lab.failedHint')}`;
  const ref = t('operation.reference', { correlationId: op.correlationId });
  return { kind: 'text', text: `${t('operation.failed.createLab', { lab, host, image })} ${reason}${hint} ${ref}` };
}

/** The target regions were changed (the tracker's progress card follows), or why they could not be. */
function replicateReport(op: OperationRecord, t: Translator): OutgoingMessage {
  const names = { image: String(op.params.image ?? ''), version: String(op.params.version ?? lastSegment(op.target)) };
  if (op.status === 'succeeded') {
    const count = Array.isArray(op.progress.targets) ? op.progress.targets.length : 0;
    return { kind: 'text', text: t('operation.succeeded.replicate', { ...names, count }) };
  }
  const reason = op.error && t.has(op.error.key) ? t(op.error.key, op.error.params) : t('operation.unknownFailure');
  return { kind: 'text', text: `${t('operation.failed.replicate', names)} ${reason} ${t('operation.reference', { correlationId: op.correlationId })}` };
}
