/**
 * The operation journal: every mutation of Azure is written here before its first ARM call, and each step
 * is recorded as it completes, so that after a crash the runner can resume it without doing anything twice.
 */
export type OperationKind = 'attach' | 'createAndAttach' | 'detach' | 'createLab' | 'replicate';
export type OperationStatus = 'running' | 'succeeded' | 'failed';

export interface OperationRecord {
  id: string;
  kind: OperationKind;
  /** ARM id of the lab host. */
  hostId: string;
  /** Main target: the gallery id (attach, detach), the id the new gallery will have (createAndAttach), the new lab's id (createLab), or the image version id (replicate). */
  target: string;
  requestedBy: string;
  conversationId: string;
  /** Locale of the requester, so the result can be told in their language. */
  locale: string;
  correlationId: string;
  status: OperationStatus;
  /** Name of the last completed step ('' before the first). */
  step: string;
  /** Inputs, JSON-safe, no secrets. */
  params: Readonly<Record<string, unknown>>;
  /** What completed steps learned (e.g. the role assignment id), JSON-safe. */
  progress: Readonly<Record<string, unknown>>;
  /** Catalog key and params of the failure, when failed. */
  error?: { key: string; params: Readonly<Record<string, string | number>>; code?: string };
  attempts: number;
  createdAt: number;
  updatedAt: number;
  /** Set once the requester was told the outcome: a resumed run does not tell them twice. */
  reportedAt?: number;
  eTag: string;
}

export type NewOperation = Omit<OperationRecord, 'status' | 'step' | 'progress' | 'attempts' | 'createdAt' | 'updatedAt' | 'eTag' | 'reportedAt' | 'error'>;

export type OperationUpdate = Partial<Pick<OperationRecord, 'status' | 'step' | 'progress' | 'error' | 'attempts' | 'reportedAt'>>;

export interface OperationStore {
  /** Throws ETagConflictError if the id exists. */
  create(operation: NewOperation): Promise<OperationRecord>;
  get(id: string): Promise<OperationRecord | undefined>;
  /** Conditional on the eTag; throws ETagConflictError when someone else wrote first. */
  update(id: string, eTag: string, update: OperationUpdate): Promise<OperationRecord>;
  /** Running operations, and finished ones whose requester has not been told yet; oldest first. */
  listUnfinished(): Promise<OperationRecord[]>;
  /** The running operation on a host, if any: one mutation per host at a time. */
  runningOnHost(hostId: string): Promise<OperationRecord | undefined>;
}
