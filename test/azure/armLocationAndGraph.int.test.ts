import { GraphServicePrincipalLookup } from '../../src/azure/graphServicePrincipalLookup';
import { LAB_SERVICES_APP_IDS } from '../../src/ports/servicePrincipals';
import { LAB_ACCOUNT_SP, LAB_PLAN_SP, startHarness, type Harness } from './emulatorHarness';

let h: Harness;
const TTL = 60_000;

beforeAll(async () => {
  h = await startHarness(
    (s) => {
      s.setServicePrincipal(LAB_SERVICES_APP_IDS.labPlan, LAB_PLAN_SP);
      s.setServicePrincipal(LAB_SERVICES_APP_IDS.labAccount, LAB_ACCOUNT_SP);
    },
    { gateways: { regionsTtlMs: TTL } },
  );
});

afterAll(() => h.close());
beforeEach(() => h.emulator.clearRequestLog());

describe('ArmLocationGateway (real @azure/arm-resources-subscriptions against the emulator)', () => {
  it('lists physical regions only, once per TTL', async () => {
    const locations = h.gateways.locations;
    const regions = await locations.listRegions();
    expect(regions).toContainEqual({ name: 'westus', displayName: 'West US', geography: 'United States', geographyGroup: 'US' });
    expect(regions.every((r) => r.name === r.name.toLowerCase() && r.name.length > 0)).toBe(true);
    expect(regions.some((r) => r.name === 'global' || r.name === 'unitedstates')).toBe(false);

    await Promise.all([locations.listRegions(), locations.byDisplayName('west europe'), locations.regionsOfGeography('westus', 'geography')]);
    expect(h.calls('subscriptions.listLocations')).toBe(1);
    h.clock.advance(TTL);
    await locations.listRegions();
    expect(h.calls('subscriptions.listLocations')).toBe(2);
  });

  it('finds regions by display name and by geography', async () => {
    const locations = h.gateways.locations;
    await expect(locations.byDisplayName('West Europe')).resolves.toMatchObject({ name: 'westeurope' });
    await expect(locations.byDisplayName('Atlantis')).resolves.toBeUndefined();
    expect((await locations.regionsOfGeography('francecentral', 'geography')).map((r) => r.name).sort()).toEqual(['francecentral', 'francesouth']);
    const europe = (await locations.regionsOfGeography('francecentral', 'geographyGroup')).map((r) => r.name);
    expect(europe).toEqual(expect.arrayContaining(['francecentral', 'westeurope', 'uksouth']));
    await expect(locations.regionsOfGeography('nowhere', 'geography')).resolves.toEqual([]);
  });

  it('does not keep a failed read', async () => {
    h.clock.advance(TTL);
    h.emulator.faults.add({ path: /\/locations$/, status: 403, code: 'AuthorizationFailed', times: 1 });
    await expect(h.gateways.locations.listRegions()).rejects.toMatchObject({ kind: 'notAuthorized' });
    await expect(h.gateways.locations.listRegions()).resolves.not.toHaveLength(0);
  });
});

describe('GraphServicePrincipalLookup (Graph through the same emulator)', () => {
  it('reads each Lab Services object id once', async () => {
    const lookup = h.gateways.servicePrincipals;
    await expect(Promise.all([lookup.labServicesObjectId('labPlan'), lookup.labServicesObjectId('labPlan')])).resolves.toEqual([LAB_PLAN_SP, LAB_PLAN_SP]);
    await expect(lookup.labServicesObjectId('labAccount')).resolves.toBe(LAB_ACCOUNT_SP);
    await lookup.labServicesObjectId('labPlan');
    expect(h.calls('graph.servicePrincipals')).toBe(2);
  });

  it('prefers a configured object id and makes no call', async () => {
    const lookup = new GraphServicePrincipalLookup(h.connection, { labPlan: 'configured-id' });
    await expect(lookup.labServicesObjectId('labPlan')).resolves.toBe('configured-id');
    expect(h.calls('graph.servicePrincipals')).toBe(0);
  });

  it('maps a tenant without the service principal to notFound, and tries again next time', async () => {
    const lookup = new GraphServicePrincipalLookup(h.connection);
    h.emulator.faults.add({ path: /servicePrincipals/, status: 404, code: 'Request_ResourceNotFound', times: 1 });
    await expect(lookup.labServicesObjectId('labPlan')).rejects.toMatchObject({ kind: 'notFound' });
    await expect(lookup.labServicesObjectId('labPlan')).resolves.toBe(LAB_PLAN_SP);
  });
});
