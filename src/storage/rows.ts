import type { Confirmation, ConfirmationOutcome } from '../ports/confirmations';
import type { Logger } from '../ports/logger';
import type { OutgoingMessage } from '../ports/notifier';
import { checkStoredOperation, type CheckedOperation } from '../ports/operationShapes';
import type { OperationRecord } from '../ports/operations';
import type { OutboxKind, OutboxRecord, OutboxStatus } from '../ports/outbox';
import type { AuditEntry, AuditOutcome, ConversationReferenceData, HostBinding, StoredConversationRef } from '../ports/stores';

/**
 * The rows both backends store, column for column, and how each reads back as a port's record. JSON documents
 * are text in both (parsed here), times are milliseconds since the epoch (PostgreSQL bigint, read as numbers).
 */

export interface RefRow {
  conversation_id: string;
  tenant_id: string | null;
  reference: string;
  updated_at: number;
}

export function toRef(row: RefRow): StoredConversationRef {
  return {
    conversationId: row.conversation_id,
    ...(row.tenant_id === null ? {} : { tenantId: row.tenant_id }),
    reference: JSON.parse(row.reference) as ConversationReferenceData,
    updatedAt: row.updated_at,
  };
}

export interface BindingRow {
  conversation_id: string;
  host_id: string;
  bound_by: string;
  bound_at: number;
  etag: string;
  kind: string;
}

/** A host binding carries no `kind` (as it did before gallery bindings existed); a gallery binding says so. */
export function toBinding(row: BindingRow): HostBinding {
  return {
    conversationId: row.conversation_id,
    hostId: row.host_id,
    ...(row.kind === 'gallery' ? { kind: 'gallery' as const } : {}),
    boundBy: row.bound_by,
    boundAt: row.bound_at,
    eTag: row.etag,
  };
}

/** A binding as a put wrote it, with its new eTag: what both stores answer a put with. */
export function writtenBinding(binding: Omit<HostBinding, 'eTag'>, eTag: string): HostBinding {
  return {
    conversationId: binding.conversationId,
    hostId: binding.hostId,
    ...(binding.kind === 'gallery' ? { kind: 'gallery' as const } : {}),
    boundBy: binding.boundBy,
    boundAt: binding.boundAt,
    eTag,
  };
}

export interface AuditRow {
  time: number;
  user_id: string;
  conversation_id: string;
  command: string;
  target: string;
  outcome: string;
  correlation_id: string;
  duration_ms: number | null;
  detail: string | null;
  user_name: string | null;
}

export function toEntry(row: AuditRow): AuditEntry {
  return {
    time: row.time,
    userId: row.user_id,
    conversationId: row.conversation_id,
    command: row.command,
    target: row.target,
    outcome: row.outcome as AuditOutcome,
    correlationId: row.correlation_id,
    ...(row.duration_ms === null ? {} : { durationMs: row.duration_ms }),
    ...(row.detail === null ? {} : { detail: row.detail }),
    ...(row.user_name === null ? {} : { userName: row.user_name }),
  };
}

export interface ConfirmationRow {
  id: string;
  conversation_id: string;
  requested_by: string;
  action: string;
  target: string;
  params: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  outcome: string | null;
  operation_id: string | null;
}

export function toConfirmation(row: ConfirmationRow): Confirmation {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    requestedBy: row.requested_by,
    action: row.action,
    target: row.target,
    params: JSON.parse(row.params) as Confirmation['params'],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.used_at === null ? {} : { usedAt: row.used_at }),
    ...(row.outcome === null ? {} : { outcome: row.outcome as ConfirmationOutcome }),
    ...(row.operation_id === null ? {} : { operationId: row.operation_id }),
  };
}

export interface OperationRow {
  id: string;
  kind: string;
  host_id: string;
  target: string;
  requested_by: string;
  /** Null on rows journaled before v009, or when Teams gave no name. */
  requested_by_name: string | null;
  conversation_id: string;
  locale: string;
  correlation_id: string;
  status: string;
  step: string;
  params: string;
  progress: string;
  error: string | null;
  attempts: number;
  created_at: number;
  updated_at: number;
  reported_at: number | null;
  etag: string;
}

/** The row as a record checked against its kind; JSON that does not parse is one more way to be invalid. */
export function readRow(row: OperationRow): CheckedOperation {
  let json: { params: unknown; progress: unknown; error: unknown };
  try {
    json = {
      params: JSON.parse(row.params) as unknown,
      progress: JSON.parse(row.progress) as unknown,
      error: row.error === null ? undefined : (JSON.parse(row.error) as unknown),
    };
  } catch (error) {
    return { ok: false, problem: `params, progress or error is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  return checkStoredOperation({
    id: row.id,
    kind: row.kind,
    hostId: row.host_id,
    target: row.target,
    requestedBy: row.requested_by,
    ...(row.requested_by_name === null ? {} : { requestedByName: row.requested_by_name }),
    conversationId: row.conversation_id,
    locale: row.locale,
    correlationId: row.correlation_id,
    status: row.status,
    step: row.step,
    params: json.params,
    progress: json.progress,
    ...(json.error === undefined ? {} : { error: json.error }),
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.reported_at === null ? {} : { reportedAt: row.reported_at }),
    eTag: row.etag,
  });
}

export interface OutboxRow {
  seq: number;
  key: string;
  conversation_id: string;
  tenant_id: string | null;
  kind: string;
  target_key: string | null;
  payload: string;
  status: string;
  attempts: number;
  throttled: number;
  not_before: number;
  activity_id: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
}

export function toRecord(row: OutboxRow): OutboxRecord {
  return {
    seq: row.seq,
    key: row.key,
    conversationId: row.conversation_id,
    ...(row.tenant_id === null ? {} : { tenantId: row.tenant_id }),
    kind: row.kind as OutboxKind,
    ...(row.target_key === null ? {} : { targetKey: row.target_key }),
    message: JSON.parse(row.payload) as OutgoingMessage,
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    throttled: row.throttled,
    notBefore: row.not_before,
    ...(row.activity_id === null ? {} : { activityId: row.activity_id }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.claimed_by === null || row.claimed_until === null ? {} : { claimedBy: row.claimed_by, claimedUntil: row.claimed_until }),
  };
}

/** A stored row as a record, or undefined (logged) when it is not a valid operation: it then reads as absent. */
export function validOperation(row: OperationRow, logger: Logger | undefined): OperationRecord | undefined {
  const checked = readRow(row);
  if (checked.ok) return checked.operation;
  logger?.error({ operationId: row.id, kind: row.kind, problem: checked.problem }, `stored operation rejected: ${checked.problem}`);
  return undefined;
}

/** The columns both operation stores read and write, in the order of their INSERT's values. */
export const OPERATION_COLUMNS =
  'id, kind, host_id, target, requested_by, conversation_id, locale, correlation_id, status, step, params, ' +
  'progress, error, attempts, created_at, updated_at, reported_at, etag, requested_by_name';

/** Longest requester name journaled: as the audit log's (a card line needs no more). */
const MAX_REQUESTER_NAME = 100;

/** The name to journal: trimmed and bounded; null when there is none (empty or blank). */
export function requesterNameValue(operation: { requestedByName?: string }): string | null {
  const name = operation.requestedByName?.trim().slice(0, MAX_REQUESTER_NAME);
  return name ? name : null;
}

/** After a write of ours: a record that does not read back valid is a caller's bug, thrown rather than hidden. */
export function writtenOperation(row: OperationRow, write: string): OperationRecord {
  const checked = readRow(row);
  if (!checked.ok) throw new TypeError(`operation ${row.id} (${row.kind}) after ${write}: ${checked.problem}`);
  return checked.operation;
}

/** The audit log's insert parameters, in column order (time, user, conversation, command, target, outcome, …). */
export type AuditValues = [number, string, string, string, string, AuditOutcome, string, number | null, string | null, string | null];

export function auditValues(entry: AuditEntry): AuditValues {
  return [entry.time, entry.userId, entry.conversationId, entry.command, entry.target, entry.outcome, entry.correlationId, entry.durationMs ?? null, entry.detail ?? null, entry.userName ?? null];
}
