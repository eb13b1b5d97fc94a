import { checkStoredOperation, isOperationKind, paramsProblem, progressProblem, type UncheckedOperation } from '../../src/ports/operationShapes';

const stored = (fields: Partial<UncheckedOperation>): UncheckedOperation => ({
  id: 'op-1',
  kind: 'attach',
  hostId: '/h',
  target: '/g',
  requestedBy: 'u',
  conversationId: 'c',
  locale: 'en-US',
  correlationId: 'corr',
  status: 'running',
  step: '',
  params: {},
  progress: {},
  attempts: 0,
  createdAt: 1,
  updatedAt: 1,
  eTag: '"e"',
  ...fields,
});

const lab = { name: 'l', title: 'L', imageName: 'i', imageId: '/i', imageDefinitionId: '', vmSize: 'Basic', capacity: 1, usageQuotaHours: 0, adminUsername: 'u' };

describe('operation shapes', () => {
  it('knows the five kinds and nothing else', () => {
    expect(['attach', 'createAndAttach', 'detach', 'replicate', 'createLab'].every(isOperationKind)).toBe(true);
    expect(['resize', '', 'toString', 'constructor', 42].some(isOperationKind)).toBe(false);
  });

  it.each([
    ['attach', {}, undefined],
    ['attach', { retryOf: 'op-0', galleryId: '/g' }, undefined],
    ['attach', { retryOf: 7 }, 'params.retryOf must be a string'],
    ['attach', [], 'params is not an object'],
    ['createAndAttach', { location: 'westus2' }, undefined],
    ['createAndAttach', {}, 'params.location is missing'],
    ['createAndAttach', { location: ' ' }, 'params.location must be a non-empty string'],
    ['detach', { removeRole: 'yes' }, 'params.removeRole must be a boolean'],
    ['replicate', { regions: ['westus'], image: 'win11' }, undefined],
    ['replicate', { regions: [] }, 'params.regions must be a non-empty list of region names'],
    ['createLab', lab, undefined],
    ['createLab', { ...lab, capacity: '1' }, 'params.capacity must be a whole number'],
    ['createLab', { ...lab, imageId: undefined }, 'params.imageId is missing'],
  ] as const)('%s params %j → %s', (kind, params, problem) => {
    expect(paramsProblem(kind, params)).toBe(problem);
  });

  it.each([
    ['attach', { imageCount: 3, ownerGranted: true, failure: { step: 'attach', key: 'k', params: {} } }, undefined],
    ['attach', { imageCount: -1 }, 'progress.imageCount must be a whole number'],
    ['attach', { failure: 'boom' }, 'progress.failure must be a failure detail'],
    ['detach', { ownerKeptFor: ['astro-plan'] }, undefined],
    ['replicate', { targets: 'westus' }, 'progress.targets must be a list of strings'],
    ['createLab', null, 'progress is not an object'],
  ] as const)('%s progress %j → %s', (kind, progress, problem) => {
    expect(progressProblem(kind, progress)).toBe(problem);
  });

  it('types a valid stored record by its kind and keeps every field', () => {
    const record = stored({ kind: 'replicate', params: { regions: ['westus'] }, progress: { targets: ['westus'] }, error: { key: 'k', params: { a: 1 } } });
    const checked = checkStoredOperation(record);
    expect(checked).toEqual({ ok: true, operation: record });
  });

  it.each([
    [{ kind: 'resize' }, 'unknown kind "resize"'],
    [{ status: 'paused' }, 'unknown status "paused"'],
    [{ error: { key: 'k' } }, 'error is not a catalog key with params'],
    [{ kind: 'createLab', params: { ...lab, name: '' } }, 'params.name must be a non-empty string'],
    [{ kind: 'detach', progress: { ownerRevokedCount: '1' } }, 'progress.ownerRevokedCount must be a whole number'],
  ])('refuses %j: %s', (fields, problem) => {
    expect(checkStoredOperation(stored(fields))).toEqual({ ok: false, problem });
  });
});
