import { createTranslator } from '../i18n/catalog';
import { reportText } from '../operations/kinds';
import type { OutgoingMessage } from '../ports/notifier';
import type { OperationRecord } from '../ports/operations';
import type { UserMessage } from '../kernel';

/** The message that tells the requester's conversation how a long operation ended, in their language (each kind words it). */
export function operationReport(op: OperationRecord): OutgoingMessage {
  return { kind: 'text', text: reportText(op, createTranslator(op.locale)) };
}

/** What a running operation tells its requester meanwhile (waiting for Azure), in their language. */
export function operationNotice(op: OperationRecord, message: UserMessage): OutgoingMessage {
  return { kind: 'text', text: createTranslator(op.locale)(message) };
}
