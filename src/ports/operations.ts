/**
 * The operation journal: every mutation of Azure is written here before its first ARM call, and each step
 * is recorded as it completes, so that after a crash the runner can resume it without doing anything twice.
 * Each kind has its own params (inputs, JSON-safe, no secrets) and progress (what completed steps learned);
 * `operationShapes.ts` checks a stored record against them, `src/operations/` holds each kind's behaviour.
 */

/** attach: `target` is the gallery id. */
export interface AttachParams {
  /** The createAndAttach this attach retries (its gallery was created, not attached). */
  retryOf?: string;
}

/** createAndAttach: `target` is the id the new gallery will have (its name and resource group come from it). */
export interface CreateAndAttachParams {
  location: string;
  description?: string;
  /** As proposed to the admin; the same as the target's last segment. */
  name?: string;
  resourceGroup?: string;
}

/** detach: `target` is the attached gallery's id. */
export interface DetachParams {
  /** Lab plans: revoke the Owner the bot granted to the Lab Services principal. */
  removeRole?: boolean;
}

/** replicate: `target` is an image version id. */
export interface ReplicateParams {
  /** The regions the version must target (added to those it targets already). */
  regions: string[];
  /** Image definition and version names, for the report. */
  image?: string;
  version?: string;
}

/** retryRegions: `target` is an image version id; the regions whose replication failed are dropped, then targeted again. */
export interface RetryRegionsParams {
  /** Lowercase region names to copy again. */
  regions: string[];
  /** Image definition and version names, for the report. */
  image?: string;
  version?: string;
  /** What the card said it costs: the size copied to each region, in GB. */
  sizeGB?: number;
}

/** createLab: `target` is the new lab's id. Everything the lab needs but the password, which is never persisted. */
export interface CreateLabParams {
  name: string;
  title: string;
  imageName: string;
  /** The host's image resource id (what a lab account's createLab names). */
  imageId: string;
  /** The gallery image definition id (what a lab plan's imageReference names); may be empty for lab accounts. */
  imageDefinitionId: string;
  vmSize: string;
  capacity: number;
  usageQuotaHours: number;
  adminUsername: string;
}

/** The failure as the runner records it in `progress.failure`: what the user-facing `error` hides (ARM correlation id, step). */
export interface FailureDetail {
  step: string;
  key: string;
  params: Record<string, string | number>;
  armCode?: string;
  armCorrelationId?: string;
}

/** What the runner itself records in every kind's progress. */
export interface RunnerProgress {
  finishedAt?: number;
  auditedAt?: number;
  failure?: FailureDetail;
}

/** grantOwner (lab plans): the Lab Services principal's Owner on the gallery, granted now, found there, or inherited. */
export interface GrantOwnerProgress {
  principalObjectId?: string;
  ownerAssignmentId?: string;
  ownerInheritedFrom?: string;
  ownerGranted?: boolean;
  /** When the bot granted it: Azure may take up to ~10 min to honour it, and the attach waits that long from here. */
  ownerGrantedAt?: number;
}

/** attach, then verify. */
export interface AttachedProgress {
  attachedNow?: boolean;
  galleryName?: string;
  hostName?: string;
  imageCount?: number;
  enabledCount?: number;
}

export interface AttachProgress extends RunnerProgress, GrantOwnerProgress, AttachedProgress {}

export interface CreateAndAttachProgress extends AttachProgress {
  galleryId?: string;
  galleryCreated?: boolean;
}

export interface DetachProgress extends RunnerProgress {
  detachedNow?: boolean;
  /** Assignment ids revoked by revokeOwner. */
  ownerRevoked?: string[];
  /** Other lab plans still using the gallery, for which the Owner was kept. */
  ownerKeptFor?: string[];
  galleryName?: string;
  hostName?: string;
  ownerRevokedCount?: number;
}

export interface ReplicateProgress extends RunnerProgress {
  /** The version's target regions once set, sorted. */
  targets?: string[];
  regionsAdded?: number;
}

export interface RetryRegionsProgress extends RunnerProgress {
  /** The regions the first step dropped from the targets (none when a resumed run found them gone already). */
  removed?: string[];
  /** Each dropped region's replica count, restored on the re-add. */
  replicaCounts?: Record<string, number>;
  /** The version's target regions once re-added, sorted. */
  targets?: string[];
  regionsReadded?: number;
}

export interface CreateLabProgress extends RunnerProgress {
  labId?: string;
  labCreatedNow?: boolean;
  labName?: string;
  labTitle?: string;
  hostName?: string;
  labState?: string;
}

/** Params and progress of each kind: the one place a kind's journal shape is declared. */
export interface OperationShapes {
  attach: { params: AttachParams; progress: AttachProgress };
  createAndAttach: { params: CreateAndAttachParams; progress: CreateAndAttachProgress };
  detach: { params: DetachParams; progress: DetachProgress };
  replicate: { params: ReplicateParams; progress: ReplicateProgress };
  createLab: { params: CreateLabParams; progress: CreateLabProgress };
  retryRegions: { params: RetryRegionsParams; progress: RetryRegionsProgress };
}

export type OperationKind = keyof OperationShapes;
export type OperationStatus = 'running' | 'succeeded' | 'failed';
export type OperationParams<K extends OperationKind = OperationKind> = OperationShapes[K]['params'];
export type OperationProgress<K extends OperationKind = OperationKind> = OperationShapes[K]['progress'];

/** One operation of kind K as journaled. */
export interface OperationRecordOf<K extends OperationKind> {
  id: string;
  kind: K;
  /** ARM id of the lab host. */
  hostId: string;
  /** Main target: the gallery id (attach, detach), the id the new gallery will have (createAndAttach), the new lab's id (createLab), or the image version id (replicate). */
  target: string;
  requestedBy: string;
  /** The requester's display name as Teams gave it, for the audit line and the operation's card; absent on records older than v009 (and when Teams gave none). */
  requestedByName?: string;
  conversationId: string;
  /** Locale of the requester, so the result can be told in their language. */
  locale: string;
  correlationId: string;
  status: OperationStatus;
  /** Name of the last completed step ('' before the first). */
  step: string;
  params: Readonly<OperationParams<K>>;
  progress: Readonly<OperationProgress<K>>;
  /** Catalog key and params of the failure, when failed. */
  error?: { key: string; params: Readonly<Record<string, string | number>>; code?: string };
  attempts: number;
  createdAt: number;
  updatedAt: number;
  /** Set once the requester was told the outcome: a resumed run does not tell them twice. */
  reportedAt?: number;
  eTag: string;
}

/** Any operation: a union discriminated by `kind`. */
export type OperationRecord = { [K in OperationKind]: OperationRecordOf<K> }[OperationKind];

/** Omit applied to each member of a union (plain Omit would merge the members). */
export type OmitEach<T, Keys extends PropertyKey> = T extends unknown ? Omit<T, Keys> : never;

/** What the store sets itself on create. */
type StoreSetFields = 'status' | 'step' | 'progress' | 'attempts' | 'createdAt' | 'updatedAt' | 'eTag' | 'reportedAt' | 'error';

export type NewOperation = OmitEach<OperationRecord, StoreSetFields>;

/** The fields a runner writes as an operation advances. */
export type OperationUpdate<K extends OperationKind = OperationKind> = Partial<Pick<OperationRecordOf<K>, 'status' | 'step' | 'progress' | 'error' | 'attempts' | 'reportedAt'>>;

/** What a caller names to start an operation of kind K; params are checked (and may be absent where none are needed). */
export type StartRequest<K extends OperationKind = OperationKind> = Pick<OperationRecordOf<K>, 'hostId' | 'target' | 'requestedBy' | 'conversationId' | 'locale' | 'correlationId'> &
  Partial<Pick<OperationRecordOf<K>, 'params' | 'requestedByName'>>;

/** Who asked, where, in which language: the part of a start request that is not about Azure. */
export type Requester = Pick<StartRequest, 'requestedBy' | 'requestedByName' | 'conversationId' | 'locale' | 'correlationId'>;

export interface OperationStore {
  /** Throws ETagConflictError if the id exists. */
  create(operation: NewOperation): Promise<OperationRecord>;
  /** Undefined when unknown, or when the stored record is not a valid operation (the store logs why). */
  get(id: string): Promise<OperationRecord | undefined>;
  /** Conditional on the eTag; throws ETagConflictError when someone else wrote first. */
  update(id: string, eTag: string, update: OperationUpdate): Promise<OperationRecord>;
  /** Running operations, and finished ones whose requester has not been told yet; oldest first. Invalid records are left out (logged). */
  listUnfinished(): Promise<OperationRecord[]>;
  /** The running operation on a host, if any: one mutation per host at a time. */
  runningOnHost(hostId: string): Promise<OperationRecord | undefined>;
  /**
   * Between instances sharing the store (the database stores have these; in-memory fakes need not). `claim` takes
   * an unfinished operation for `owner` until now + ttlMs, unless another owner's claim is still live: of several
   * instances resuming it, one runs it. Claims change no eTag.
   */
  claim?(id: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends every claim `owner` holds on unfinished operations (its heartbeat). */
  renewClaims?(owner: string, ttlMs: number): Promise<void>;
  /** Hands back every claim of `owner` at once (graceful shutdown): another instance may resume them. */
  releaseClaims?(owner: string): Promise<void>;
  /**
   * Makes this running operation the one mutating its host; resolves with the other running operation that holds
   * the host instead, if any. Atomic in the store (a unique index), so it holds across instances.
   */
  claimHost?(id: string): Promise<OperationRecord | undefined>;
}
