import type { OutgoingMessage } from './notifier';

/**
 * The outbox's storage: every proactive message is written here before it is delivered, and kept after
 * (until pruned) so that its key stays known across restarts.
 */
export type OutboxKind = 'send' | 'update';
export type OutboxStatus = 'pending' | 'sent' | 'dropped' | 'failed';

export interface OutboxRecord {
  /** Delivery order within a conversation. */
  seq: number;
  /** Unique. A send's idempotency key; an update's own fresh key. */
  key: string;
  conversationId: string;
  tenantId?: string;
  kind: OutboxKind;
  /** Updates only: the key of the send whose activity this replaces. */
  targetKey?: string;
  message: OutgoingMessage;
  status: OutboxStatus;
  /** Failed attempts, 429s aside (those are `throttled`). */
  attempts: number;
  /** 429 answers received. */
  throttled: number;
  /** Not to be attempted before this time (ms since the epoch). */
  notBefore: number;
  /** Sends once sent: the id updates need. */
  activityId?: string;
  /** Why it was retried, dropped or failed; never the payload. */
  lastError?: string;
  createdAt: number;
  updatedAt: number;
}

export interface NewOutboxEntry {
  key: string;
  conversationId: string;
  tenantId?: string;
  message: OutgoingMessage;
  notBefore: number;
  /** Records the entry as dropped at once (e.g. no conversation reference), so that its key is remembered. */
  dropReason?: string;
  /** Records the entry as sent at once, as this activity (posted in a turn), so that updates can replace it. */
  sentActivityId?: string;
}

export interface NewOutboxUpdate extends NewOutboxEntry {
  targetKey: string;
}

export interface RetryPlan {
  notBefore: number;
  attempts: number;
  throttled: number;
  lastError: string;
}

/**
 * Writes that finish or reschedule a row take its seq and apply only while it is still pending; they
 * resolve false when it no longer is (dropped meanwhile, replaced by a newer update).
 */
export interface OutboxStore {
  /** False, and nothing written, when the key is already known. */
  enqueueSend(entry: NewOutboxEntry): Promise<boolean>;
  /**
   * Queues a replacement of the send `targetKey`. A pending update of the same target is replaced by this
   * one (which takes the end of the queue), so that only the newest is delivered. Resolves with the new row.
   */
  enqueueUpdate(entry: NewOutboxUpdate): Promise<OutboxRecord>;
  get(key: string): Promise<OutboxRecord | undefined>;
  /** The oldest pending row of a conversation: the next to deliver there. */
  nextPending(conversationId: string): Promise<OutboxRecord | undefined>;
  /** Conversations with pending rows, by their oldest pending row. */
  pendingConversations(): Promise<string[]>;
  markSent(seq: number, activityId: string | undefined): Promise<boolean>;
  markDropped(seq: number, reason: string): Promise<boolean>;
  /** With the attempt counts as they stand after the last attempt. */
  markFailed(seq: number, reason: string, counts: Pick<RetryPlan, 'attempts' | 'throttled'>): Promise<boolean>;
  reschedule(seq: number, plan: RetryPlan): Promise<boolean>;
  /** Drops every pending row of a conversation; resolves with how many. */
  dropPending(conversationId: string, reason: string): Promise<number>;
  /** Deletes finished rows last written before `before`; pending rows are never pruned. Resolves with how many. */
  prune(before: number): Promise<number>;
  /** For metrics and readiness: how many rows are pending, and when the oldest was created. */
  pendingStats(): Promise<{ pending: number; oldestCreatedAt?: number }>;
}
