import { expectArmId, lastSegment, parseArmId, resourceTypeOf, sameArmId } from '../../src/kernel';

const versionId = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/win11/versions/1.0.0';

describe('ARM ids', () => {
  it('parses nested resource ids', () => {
    const id = parseArmId(versionId);
    expect(id).toEqual({
      subscriptionId: 's1',
      resourceGroup: 'rg',
      provider: 'Microsoft.Compute',
      resources: [
        { type: 'galleries', name: 'g' },
        { type: 'images', name: 'win11' },
        { type: 'versions', name: '1.0.0' },
      ],
    });
    expect(id && resourceTypeOf(id)).toBe('microsoft.compute/galleries/images/versions');
  });

  it('rejects what is not a resource id', () => {
    expect(parseArmId('/subscriptions/s1')).toBeUndefined();
    expect(parseArmId('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries')).toBeUndefined();
    expect(parseArmId('/tenants/t/resourceGroups/rg/providers/Microsoft.Compute/galleries/g')).toBeUndefined();
    expect(() => expectArmId(versionId, 'Microsoft.Compute/galleries')).toThrow(expect.objectContaining({ kind: 'badRequest' }));
  });

  it('checks the type case-insensitively', () => {
    expect(expectArmId(versionId.toUpperCase(), 'Microsoft.Compute/galleries/images/versions').names).toEqual(['G', 'WIN11', '1.0.0']);
  });

  it('names and compares ids', () => {
    expect(lastSegment(versionId)).toBe('1.0.0');
    expect(sameArmId(versionId, `${versionId.toLowerCase()}/`)).toBe(true);
    expect(sameArmId(versionId, undefined)).toBe(false);
  });
});
