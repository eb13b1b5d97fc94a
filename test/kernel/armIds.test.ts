import {
  childIdOf,
  expectArmId,
  imageDefinitionIdOf,
  isSameOrUnder,
  labIdOf,
  lastSegment,
  parseArmId,
  parseGalleryId,
  parseImageVersionId,
  parseLabHostId,
  resourceTypeOf,
  roleDefinitionIdOf,
  sameArmId,
  subscriptionIdOf,
} from '../../src/kernel';

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

  it('finds the subscription of an id or a scope', () => {
    expect(subscriptionIdOf(versionId)).toBe('s1');
    expect(subscriptionIdOf('subscriptions/s2')).toBe('s2');
    expect(subscriptionIdOf('/')).toBeUndefined();
  });

  it('tells whether an id lies at or below a scope', () => {
    const gallery = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g';
    expect(isSameOrUnder(versionId, gallery.toUpperCase())).toBe(true);
    expect(isSameOrUnder(gallery, `${gallery}/`)).toBe(true);
    expect(isSameOrUnder(gallery, '/')).toBe(true);
    expect(isSameOrUnder(`${gallery}2`, gallery)).toBe(false);
  });

  it('parses lab host and gallery ids into their canonical form', () => {
    const sub = '0b1c2d3e-0000-4000-8000-000000000001';
    expect(parseLabHostId(`/SUBSCRIPTIONS/${sub.toUpperCase()}/resourcegroups/rg/providers/microsoft.labservices/labaccounts/acc`)).toEqual({
      id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.LabServices/labAccounts/acc`,
      subscriptionId: sub,
      resourceGroup: 'rg',
      kind: 'labAccount',
      name: 'acc',
    });
    expect(parseLabHostId(`/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/p/images/i`)).toBeUndefined();
    expect(parseGalleryId(`/subscriptions/${sub}/resourcegroups/rg/providers/microsoft.compute/galleries/g1/`)?.id).toBe(
      `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1`,
    );
  });

  it('builds child, lab and role definition ids', () => {
    const sub = '0b1c2d3e-0000-4000-8000-000000000001';
    const plan = parseLabHostId(`/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/p`)!;
    const account = parseLabHostId(`/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.LabServices/labAccounts/acc`)!;
    expect(labIdOf(plan, 'thermo')).toBe(`/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.LabServices/labs/thermo`);
    expect(labIdOf(account, 'thermo')).toBe(`/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.LabServices/labAccounts/acc/labs/thermo`);
    expect(childIdOf(`${account.id}//`, 'sharedImages', 'win11')).toBe(`${account.id}/sharedImages/win11`);
    expect(roleDefinitionIdOf('s1', 'guid')).toBe('/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/guid');
  });

  it('parses image version ids and finds their definition', () => {
    expect(parseImageVersionId(versionId)).toEqual({
      subscriptionId: 's1',
      galleryId: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g',
      imageName: 'win11',
      versionName: '1.0.0',
    });
    expect(parseImageVersionId(versionId.toLowerCase())?.versionName).toBe('1.0.0');
    expect(parseImageVersionId(`${versionId}/`)).toBeUndefined();
    expect(parseImageVersionId(imageDefinitionIdOf(versionId))).toBeUndefined();
    expect(imageDefinitionIdOf(versionId)).toBe('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/win11');
    expect(imageDefinitionIdOf(`${versionId}/`)).toBe('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/win11');
  });
});
