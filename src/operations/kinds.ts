/**
 * operations/: the journal's kinds (attach, createAndAttach, detach, replicate, createLab, retryRegions), one module each —
 * input check, steps, report — registered in one table here.
 */
import { parseGalleryId, parseImageVersionId, parseLabHostId, sameArmId } from '../kernel';
import type { Translator } from '../i18n/catalog';
import type { NewOperation, OmitEach, OperationKind, OperationParams, OperationRecord, OperationRecordOf } from '../ports/operations';
import { attachKind } from './attach';
import { createAndAttachKind } from './createAndAttach';
import { createLabKind } from './createLab';
import { detachKind } from './detach';
import { checkedParams, type OperationKindModule, type ProgressPatch, type StepContext, type StepName } from './operationKind';
import { replicateKind } from './replicate';
import { retryRegionsKind } from './retryRegions';

/** The journal's kinds: each one's input check, steps, failure wording, audit detail and report. */
export const operationKinds: { readonly [K in OperationKind]: OperationKindModule<K> } = {
  attach: attachKind,
  createAndAttach: createAndAttachKind,
  detach: detachKind,
  replicate: replicateKind,
  createLab: createLabKind,
  retryRegions: retryRegionsKind,
};

/** The module of an operation's kind, typed for that kind. */
export function kindOf<K extends OperationKind>(op: { kind: K }): OperationKindModule<K> {
  return operationKinds[op.kind];
}

/**
 * Refuses records the runner could not execute: programming errors of the caller (the bot side builds them
 * from a preflight), not something to tell a user. Returns the params to journal.
 */
export function checkOperationInput<K extends OperationKind>(kind: K, hostId: string, target: string, params: unknown): OperationParams<K> {
  const gallery = kind === 'replicate' || kind === 'retryRegions' ? parseGalleryId(hostId) : undefined;
  if (gallery) {
    // A replicate (or retry of failed regions) asked in a conversation bound to a gallery alone is journaled against
    // that gallery (one change at a time there, as on a host): the version must be one of its own.
    const version = parseImageVersionId(target);
    if (!version || !sameArmId(version.galleryId, gallery.id)) throw new TypeError(`${kind}: target is not an image version of the gallery: ${target}`);
    return checkedParams(kind, params);
  }
  const host = parseLabHostId(hostId);
  if (!host) throw new TypeError(`${kind}: not a lab plan or lab account id: ${hostId}`);
  return operationKinds[kind].checkInput(host, target, params);
}

/** The fields of a new operation that every kind has. */
export type OperationFields = Omit<NewOperation, 'id' | 'kind' | 'params'>;

/** A journal entry (but its id) for a start request, its params checked and typed by its kind; throws as `checkOperationInput`. */
export function journalEntry(kind: OperationKind, fields: OperationFields, params: unknown): OmitEach<NewOperation, 'id'> {
  const { hostId, target } = fields;
  // One case per kind: TypeScript types each entry by its literal kind, with no cast.
  switch (kind) {
    case 'attach':
      return { ...fields, kind, params: checkOperationInput(kind, hostId, target, params) };
    case 'createAndAttach':
      return { ...fields, kind, params: checkOperationInput(kind, hostId, target, params) };
    case 'detach':
      return { ...fields, kind, params: checkOperationInput(kind, hostId, target, params) };
    case 'replicate':
      return { ...fields, kind, params: checkOperationInput(kind, hostId, target, params) };
    case 'createLab':
      return { ...fields, kind, params: checkOperationInput(kind, hostId, target, params) };
    case 'retryRegions':
      return { ...fields, kind, params: checkOperationInput(kind, hostId, target, params) };
  }
}

/** The steps of an operation, in order; a pure function of the record, so a resumed run finds the same list. */
export function stepsOf<K extends OperationKind>(op: Pick<OperationRecordOf<K>, 'kind' | 'hostId' | 'params'>): readonly StepName[] {
  return kindOf(op).steps(op);
}

/** Runs one step of an operation; resolves with what the step adds to its progress. */
export function runStep<K extends OperationKind>(step: StepName, op: OperationRecordOf<K>, context: StepContext): Promise<ProgressPatch<K>> {
  return kindOf(op).runStep(step, op, context);
}

/** The text that tells the requester how an operation ended, in their language. */
export function reportText(op: OperationRecord, t: Translator): string {
  return kindOf(op).report(op, t);
}
