import { type LabHostRef, type UserMessage } from '../kernel';
import type { Clock } from '../ports/clock';
import type { Translator } from '../i18n/catalog';
import type { GalleryGateway } from '../ports/galleryGateway';
import type { LabHostGateway } from '../ports/labHostGateway';
import type { OperationKind, OperationParams, OperationProgress, OperationRecordOf } from '../ports/operations';
import { isParamsOf, paramsProblem } from '../ports/operationShapes';
import type { RoleGateway } from '../ports/roleGateway';
import type { ServicePrincipalLookup } from '../ports/servicePrincipals';

export type StepName = 'createGallery' | 'grantOwner' | 'attach' | 'detach' | 'revokeOwner' | 'createLab' | 'setTargetRegions' | 'removeRegions' | 'addRegions' | 'verify';

/** The Azure side of the steps. */
export interface StepGateways {
  labHosts: LabHostGateway;
  galleries: GalleryGateway;
  roles: RoleGateway;
  servicePrincipals: ServicePrincipalLookup;
}

/** Secrets kept out of the journal (createLab's password), by operation id. */
export interface StepSecrets {
  get(operationId: string): string | undefined;
}

export interface StepContext {
  gateways: StepGateways;
  secrets?: StepSecrets;
  /** For steps that wait on Azure within themselves (attach waiting for a role to propagate). */
  clock?: Clock;
  /**
   * Tells the requester something while the operation runs. Once per `noticeKey` and operation, across
   * restarts too (the outbox drops a key it has seen), so a resumed step may call it again.
   */
  notify?: (noticeKey: string, message: UserMessage) => Promise<void>;
}

/** What a completed step adds to the operation's progress. */
export type ProgressPatch<K extends OperationKind> = Partial<OperationProgress<K>>;

/**
 * Everything that differs between kinds of operation, for the runner and the services that start them.
 * Steps look at Azure first and do nothing that is already done, so running one again after a crash
 * between "Azure did it" and "the journal says so" changes nothing twice.
 */
export interface OperationKindModule<K extends OperationKind> {
  readonly kind: K;
  /**
   * Refuses input the runner could not execute (a TypeError: a programming error of the caller, which builds
   * it from a preflight, not something to tell a user) and returns the params to journal.
   */
  checkInput(host: LabHostRef, target: string, params: unknown): OperationParams<K>;
  /** The steps in order; a pure function of the record, so a resumed run finds the same list. */
  steps(op: Pick<OperationRecordOf<K>, 'hostId' | 'params'>): readonly StepName[];
  runStep(step: StepName, op: OperationRecordOf<K>, context: StepContext): Promise<ProgressPatch<K>>;
  /** The user-facing error of a failed step, when this kind tells it otherwise than the step's own error. */
  failedError?(op: OperationRecordOf<K>, step: string, reasonKey: string): { key: string; params: Record<string, string | number> } | undefined;
  /** The audit entry's detail for a succeeded operation. */
  auditDetail(op: OperationRecordOf<K>): string | undefined;
  /** The text that tells the requester how the operation ended, in their language. */
  report(op: OperationRecordOf<K>, t: Translator): string;
}

/** For a step the table does not list for this kind: a corrupt journal or a programming error. */
export function notAStepOf(step: StepName, op: { id: string; kind: OperationKind }): never {
  throw new TypeError(`operation ${op.id}: ${step} is not a step of ${op.kind}`);
}

/** The params of a start request, checked against the kind's shape; absent means none. */
export function checkedParams<K extends OperationKind>(kind: K, params: unknown): OperationParams<K> {
  const value = params ?? {};
  if (!isParamsOf(kind, value)) throw new TypeError(`${kind}: ${paramsProblem(kind, value) ?? 'invalid params'}`);
  return value;
}
