/**
 * ports/: the interfaces the domain depends on — gateways to Azure, stores, the clock, the logger, the notifier —
 * named for their role and implemented by azure/, storage/ and test fakes. They import the kernel only.
 */

/**
 * Domain stores. Each record stands alone (no transaction spans two stores) and carries an eTag,
 * so that a second backend (Azure Blob Storage, several bot instances) can implement the same ports
 * with conditional writes.
 */

/** Thrown when a conditional write finds another eTag than the one it was given. */
export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`eTag conflict on ${key}`);
    this.name = 'ETagConflictError';
  }
}

/** A Bot Framework conversation reference kept as opaque JSON, so that core code stays framework-free. */
export type ConversationReferenceData = Readonly<Record<string, unknown>>;

export interface StoredConversationRef {
  conversationId: string;
  tenantId?: string;
  reference: ConversationReferenceData;
  updatedAt: number;
}

export interface ConversationRefStore {
  /** Insert or replace; called on install and on every message. Resolves true when a reference was already stored. */
  upsert(ref: { conversationId: string; tenantId?: string; reference: ConversationReferenceData }): Promise<boolean>;
  get(conversationId: string): Promise<StoredConversationRef | undefined>;
  delete(conversationId: string): Promise<void>;
  list(): Promise<StoredConversationRef[]>;
}

/** What a conversation is bound to: a lab host (lab plan or lab account), or an Azure Compute Gallery alone. */
export type BindingKind = 'host' | 'gallery';

export interface HostBinding {
  conversationId: string;
  /**
   * ARM id of what the conversation is bound to: the lab plan or lab account, or the gallery when `kind` is
   * 'gallery'. Read it through `boundTarget`, which says which of the two it is.
   */
  hostId: string;
  /** Absent for a lab host (every binding made before gallery bindings existed is one). */
  kind?: BindingKind;
  boundBy: string;
  boundAt: number;
  eTag: string;
}

/** What a binding names, by kind: the one way code tells a gallery binding from a lab host binding. */
export type BoundTarget =
  | { kind: 'host'; hostId: string; binding: HostBinding }
  | { kind: 'gallery'; galleryId: string; binding: HostBinding };

export function boundTarget(binding: HostBinding): BoundTarget {
  return binding.kind === 'gallery' ? { kind: 'gallery', galleryId: binding.hostId, binding } : { kind: 'host', hostId: binding.hostId, binding };
}

export interface WriteCondition {
  /** Write only if the stored record has this eTag; '*' = only if it exists. */
  ifMatch?: string;
  /** '*' = only if no record exists yet. */
  ifNoneMatch?: '*';
}

export interface BindingStore {
  get(conversationId: string): Promise<HostBinding | undefined>;
  /** Throws ETagConflictError when the condition does not hold. Without `kind`, a lab host binding. */
  put(binding: Omit<HostBinding, 'eTag'>, condition?: WriteCondition): Promise<HostBinding>;
  /** Returns whether a binding was removed. Throws ETagConflictError when the condition does not hold. */
  delete(conversationId: string, condition?: WriteCondition): Promise<boolean>;
  /** Conversations bound to this lab host (gallery bindings are not listed). */
  listByHost(hostId: string): Promise<HostBinding[]>;
  /** Every host some conversation is bound to, once each (ARM ids compare case-insensitively). */
  listHostIds(): Promise<string[]>;
  /** Conversations bound to this gallery directly (not those bound to a host it is attached to). */
  listByGallery(galleryId: string): Promise<HostBinding[]>;
  /** Every gallery some conversation is bound to directly, once each (ARM ids compare case-insensitively). */
  listGalleryIds(): Promise<string[]>;
}

export type AuditOutcome = 'succeeded' | 'failed' | 'refused' | 'started';

export interface AuditEntry {
  time: number;
  userId: string;
  /** The actor's display name as Teams gave it, for people to read; the id stays the identity. */
  userName?: string;
  conversationId: string;
  command: string;
  target: string;
  outcome: AuditOutcome;
  correlationId: string;
  durationMs?: number;
  /** Short, secret-free detail (an error code, a count). */
  detail?: string;
}

/** Append-only. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  recent(limit: number, filter?: { conversationId?: string }): Promise<AuditEntry[]>;
  /** The latest display name recorded for each of these users (those with none recorded are absent). */
  namesOf(userIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}
