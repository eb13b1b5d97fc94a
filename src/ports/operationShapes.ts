import type {
  AttachedProgress,
  GrantOwnerProgress,
  OperationKind,
  OperationParams,
  OperationProgress,
  OperationRecord,
  OperationStatus,
  RunnerProgress,
} from './operations';

/**
 * Checks a journal record read back from storage against its kind's params and progress, so that a record of
 * an unknown kind or of an older, incompatible shape is refused with a reason rather than cast. Fields a kind
 * does not declare are kept, not refused: older builds wrote a few extra ones.
 */

type Check = (value: unknown) => boolean;
interface Field {
  check: Check;
  required?: true;
  what: string;
}
type FieldChecks = Readonly<Record<string, Field>>;
/** Exactly one check per field of T: a field added to an interface in operations.ts must be added here too. */
type ChecksFor<T> = { readonly [P in keyof Required<T>]: Field };

const text: Check = (v) => typeof v === 'string';
const nonEmptyText: Check = (v) => typeof v === 'string' && v.trim() !== '';
const flag: Check = (v) => typeof v === 'boolean';
const number: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const wholeNumber: Check = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const texts: Check = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const regionList: Check = (v) => Array.isArray(v) && v.length > 0 && v.every((r) => typeof r === 'string' && r !== '');
const counts: Check = (v) => isObject(v) && !Array.isArray(v) && Object.values(v).every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0);
const failure: Check = (v) => isObject(v) && typeof v.step === 'string' && typeof v.key === 'string' && isObject(v.params);

const optional = (check: Check, what: string): Field => ({ check, what });
const required = (check: Check, what: string): Field => ({ check, what, required: true });

const runner: ChecksFor<RunnerProgress> = {
  finishedAt: optional(number, 'a number'),
  auditedAt: optional(number, 'a number'),
  failure: optional(failure, 'a failure detail'),
};
const grantOwner: ChecksFor<GrantOwnerProgress> = {
  principalObjectId: optional(text, 'a string'),
  ownerAssignmentId: optional(text, 'a string'),
  ownerInheritedFrom: optional(text, 'a string'),
  ownerGranted: optional(flag, 'a boolean'),
  ownerGrantedAt: optional(number, 'a number'),
};
const attached: ChecksFor<AttachedProgress> = {
  attachedNow: optional(flag, 'a boolean'),
  galleryName: optional(text, 'a string'),
  hostName: optional(text, 'a string'),
  imageCount: optional(wholeNumber, 'a whole number'),
  enabledCount: optional(wholeNumber, 'a whole number'),
};

/** Per kind, the declared fields of params and progress (see the interfaces in operations.ts). */
const shapes: { readonly [K in OperationKind]: { params: ChecksFor<OperationParams<K>>; progress: ChecksFor<OperationProgress<K>> } } = {
  attach: {
    params: { retryOf: optional(text, 'a string') },
    progress: { ...runner, ...grantOwner, ...attached },
  },
  createAndAttach: {
    params: {
      location: required(nonEmptyText, 'a non-empty string'),
      description: optional(text, 'a string'),
      name: optional(text, 'a string'),
      resourceGroup: optional(text, 'a string'),
    },
    progress: { ...runner, ...grantOwner, ...attached, galleryId: optional(text, 'a string'), galleryCreated: optional(flag, 'a boolean') },
  },
  detach: {
    params: { removeRole: optional(flag, 'a boolean') },
    progress: {
      ...runner,
      detachedNow: optional(flag, 'a boolean'),
      ownerRevoked: optional(texts, 'a list of strings'),
      ownerKeptFor: optional(texts, 'a list of strings'),
      galleryName: optional(text, 'a string'),
      hostName: optional(text, 'a string'),
      ownerRevokedCount: optional(wholeNumber, 'a whole number'),
    },
  },
  replicate: {
    params: { regions: required(regionList, 'a non-empty list of region names'), image: optional(text, 'a string'), version: optional(text, 'a string') },
    progress: { ...runner, targets: optional(texts, 'a list of strings'), regionsAdded: optional(wholeNumber, 'a whole number') },
  },
  retryRegions: {
    params: {
      regions: required(regionList, 'a non-empty list of region names'),
      image: optional(text, 'a string'),
      version: optional(text, 'a string'),
      sizeGB: optional(number, 'a number'),
    },
    progress: {
      ...runner,
      removed: optional(texts, 'a list of strings'),
      replicaCounts: optional(counts, 'replica counts by region'),
      targets: optional(texts, 'a list of strings'),
      regionsReadded: optional(wholeNumber, 'a whole number'),
    },
  },
  createLab: {
    params: {
      name: required(nonEmptyText, 'a non-empty string'),
      title: required(nonEmptyText, 'a non-empty string'),
      imageName: required(nonEmptyText, 'a non-empty string'),
      imageId: required(nonEmptyText, 'a non-empty string'),
      imageDefinitionId: required(text, 'a string'),
      vmSize: required(nonEmptyText, 'a non-empty string'),
      capacity: required(wholeNumber, 'a whole number'),
      usageQuotaHours: required(wholeNumber, 'a whole number'),
      adminUsername: required(nonEmptyText, 'a non-empty string'),
    },
    progress: {
      ...runner,
      labId: optional(text, 'a string'),
      labCreatedNow: optional(flag, 'a boolean'),
      labName: optional(text, 'a string'),
      labTitle: optional(text, 'a string'),
      hostName: optional(text, 'a string'),
      labState: optional(text, 'a string'),
    },
  },
};

export function isOperationKind(value: unknown): value is OperationKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(shapes, value);
}

/** What is wrong with `value` as the params of `kind` (e.g. "params.location must be a non-empty string"), or undefined. */
export function paramsProblem(kind: OperationKind, value: unknown): string | undefined {
  return problemOf('params', shapes[kind].params, value);
}

/** What is wrong with `value` as the progress of `kind`, or undefined. */
export function progressProblem(kind: OperationKind, value: unknown): string | undefined {
  return problemOf('progress', shapes[kind].progress, value);
}

export function isParamsOf<K extends OperationKind>(kind: K, value: unknown): value is OperationParams<K> {
  return paramsProblem(kind, value) === undefined;
}

function isProgressOf<K extends OperationKind>(kind: K, value: unknown): value is OperationProgress<K> {
  return progressProblem(kind, value) === undefined;
}

/** A stored record whose kind, status, params, progress and error are still raw JSON. */
export type UncheckedOperation = Omit<OperationRecord, 'kind' | 'status' | 'params' | 'progress' | 'error'> & {
  kind: string;
  status: string;
  params: unknown;
  progress: unknown;
  error?: unknown;
};

export type CheckedOperation = { ok: true; operation: OperationRecord } | { ok: false; problem: string };

const statuses: readonly string[] = ['running', 'succeeded', 'failed'] satisfies OperationStatus[];

/** The record typed by its kind, or what is wrong with it (the first problem found). */
export function checkStoredOperation(stored: UncheckedOperation): CheckedOperation {
  const { kind, status, params, progress, error, ...rest } = stored;
  if (!isOperationKind(kind)) return { ok: false, problem: `unknown kind "${kind.slice(0, 40)}"` };
  if (!isStatus(status)) return { ok: false, problem: `unknown status "${status.slice(0, 40)}"` };
  if (error !== undefined && !isError(error)) return { ok: false, problem: 'error is not a catalog key with params' };
  const problem = paramsProblem(kind, params) ?? progressProblem(kind, progress);
  if (problem !== undefined) return { ok: false, problem };
  const common = { ...rest, status, ...(error !== undefined ? { error } : {}) };
  // One case per kind: each guard types params and progress by the literal kind, with no cast.
  switch (kind) {
    case 'attach':
      return typed(isParamsOf(kind, params) && isProgressOf(kind, progress) && { ...common, kind, params, progress });
    case 'createAndAttach':
      return typed(isParamsOf(kind, params) && isProgressOf(kind, progress) && { ...common, kind, params, progress });
    case 'detach':
      return typed(isParamsOf(kind, params) && isProgressOf(kind, progress) && { ...common, kind, params, progress });
    case 'replicate':
      return typed(isParamsOf(kind, params) && isProgressOf(kind, progress) && { ...common, kind, params, progress });
    case 'createLab':
      return typed(isParamsOf(kind, params) && isProgressOf(kind, progress) && { ...common, kind, params, progress });
    case 'retryRegions':
      return typed(isParamsOf(kind, params) && isProgressOf(kind, progress) && { ...common, kind, params, progress });
  }
}

function typed(operation: OperationRecord | false): CheckedOperation {
  return operation ? { ok: true, operation } : { ok: false, problem: 'params or progress do not fit the kind' };
}

function isStatus(value: string): value is OperationStatus {
  return statuses.includes(value);
}

function isError(value: unknown): value is NonNullable<OperationRecord['error']> {
  return (
    isObject(value) &&
    typeof value.key === 'string' &&
    isObject(value.params) &&
    Object.values(value.params).every((v) => typeof v === 'string' || typeof v === 'number') &&
    (value.code === undefined || typeof value.code === 'string')
  );
}

function problemOf(part: 'params' | 'progress', fields: FieldChecks, value: unknown): string | undefined {
  if (!isObject(value) || Array.isArray(value)) return `${part} is not an object`;
  for (const [name, field] of Object.entries(fields)) {
    const v = value[name];
    if (v === undefined) {
      if (field.required) return `${part}.${name} is missing`;
      continue;
    }
    if (!field.check(v)) return `${part}.${name} must be ${field.what}`;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
