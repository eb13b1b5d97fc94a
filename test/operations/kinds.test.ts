import { createTranslator } from '../../src/i18n/catalog';
import { checkOperationInput, journalEntry, operationKinds, reportText } from '../../src/operations/kinds';
import type { OperationRecord } from '../../src/ports/operations';
import { labIdOf, parseLabHostId } from '../../src/kernel';

const SUB = '00000000-0000-0000-0000-000000000001';
const PLAN = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/physics`;
const GALLERY = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/galleries/labImages`;
const OTHER_SUB_GALLERY = '/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/rg/providers/Microsoft.Compute/galleries/labImages';
const VERSION = `${GALLERY}/images/win11/versions/1.0.0`;
const lab = { name: 'thermo', title: 'Thermo', imageName: 'win11', imageId: '/i', imageDefinitionId: '', vmSize: 'Basic', capacity: 1, usageQuotaHours: 0, adminUsername: 'u' };

const fields = { hostId: PLAN, target: GALLERY, requestedBy: 'u', conversationId: 'c', locale: 'en-US', correlationId: 'corr' };

describe('the operation kinds table', () => {
  it('has one module per kind, filed under its own kind', () => {
    expect(Object.keys(operationKinds).sort()).toEqual(['attach', 'createAndAttach', 'createLab', 'detach', 'replicate', 'retryRegions']);
    for (const [kind, module] of Object.entries(operationKinds)) expect(module.kind).toBe(kind);
  });

  it.each([
    ['attach', GALLERY, undefined, {}],
    ['detach', GALLERY, { removeRole: true }, { removeRole: true }],
    ['createAndAttach', GALLERY, { location: 'westus2' }, { location: 'westus2' }],
    ['replicate', VERSION, { regions: ['westus'] }, { regions: ['westus'] }],
  ] as const)('checks %s input and returns its params', (kind, target, params, expected) => {
    expect(checkOperationInput(kind, PLAN, target, params)).toEqual(expected);
  });

  it.each([
    ['attach', 'not-an-id', undefined, /not a compute gallery id/],
    ['attach', OTHER_SUB_GALLERY, undefined, /another subscription/],
    ['createAndAttach', GALLERY, {}, /location/],
    ['replicate', GALLERY, { regions: ['westus'] }, /not an image version id/],
    ['replicate', VERSION, { regions: [] }, /regions/],
    ['detach', GALLERY, 'removeRole', /params is not an object/],
  ] as const)('refuses %s input with a TypeError (%s)', (kind, target, params, message) => {
    expect(() => checkOperationInput(kind, PLAN, target, params)).toThrow(TypeError);
    expect(() => checkOperationInput(kind, PLAN, target, params)).toThrow(message);
  });

  it('refuses a host id that is not a lab host, whatever the kind', () => {
    expect(() => checkOperationInput('detach', GALLERY, GALLERY, {})).toThrow(/not a lab plan or lab account id/);
  });

  it('builds a journal entry typed by its kind, params as checked', () => {
    const labId = labIdOf(parseLabHostId(PLAN)!, 'thermo');
    expect(journalEntry('createLab', { ...fields, target: labId }, lab)).toEqual({ ...fields, target: labId, kind: 'createLab', params: lab });
    expect(() => journalEntry('createLab', { ...fields, target: labId }, { ...lab, adminPassword: 'x' })).toThrow(/never carry the password/);
  });

  it('words each kind\'s report from its own params and progress', () => {
    const t = createTranslator('en-US');
    const base = { id: 'op-1', ...fields, status: 'succeeded', step: 'verify', attempts: 1, createdAt: 1, updatedAt: 2, eTag: '"e"' } as const;
    const ops: OperationRecord[] = [
      { ...base, kind: 'attach', params: {}, progress: { imageCount: 9, enabledCount: 2 } },
      { ...base, kind: 'detach', params: {}, progress: { ownerRevokedCount: 1 } },
      { ...base, kind: 'replicate', target: VERSION, params: { regions: ['westus'], image: 'win11', version: '1.0.0' }, progress: { targets: ['eastus', 'westus'] } },
      { ...base, kind: 'createLab', params: lab, progress: { labName: 'thermo', labTitle: 'Thermo' } },
    ];
    const texts = ops.map((op) => reportText(op, t));
    expect(texts[0]).toContain('labImages');
    expect(texts[0]).toContain('9');
    expect(texts[1]).toContain(t('operation.roleRemoved'));
    expect(texts[2]).toBe(t('operation.succeeded.replicate', { image: 'win11', version: '1.0.0', count: 2 }));
    expect(texts[3]).toBe(t('operation.succeeded.createLab', { title: 'Thermo', lab: 'thermo', host: 'physics', image: 'win11' }));
  });
});
