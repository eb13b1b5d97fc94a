import { ArmLocationGateway } from '../../../src/azure/armLocationGateway';
import { ManualClock } from '../../../src/ports/clock';
import { loadRecording, startArmReplay, type RecordedExchange } from '../../support/armReplay';
import { startHarness, type Harness } from '../emulatorHarness';

/**
 * `subscriptions.listLocations` against the two locations captures (test/fixtures/azure-recordings/README.md):
 * a real 2019-11-01 recording (azure-cli), with `geographyGroup` only, and the 2022-12-01 spec example (no
 * recording of that version exists), which adds `type` and `metadata.geography`.
 */
describe('ArmLocationGateway against the locations recordings', () => {
  it('2019-11-01 recording: physical regions only, geography falls back to geographyGroup', async () => {
    // Declared deviation: @azure/arm-resources-subscriptions 2.1.1 asks for 2022-12-01; the recording used 2019-11-01.
    const replay = await startArmReplay(loadRecording('subscription-locations-list.json'), { apiVersions: { '2019-11-01': '2022-12-01' } });
    try {
      const regions = await new ArmLocationGateway(replay.connection, new ManualClock()).listRegions();
      expect(replay.mismatches()).toEqual([]);
      expect(replay.unserved()).toEqual([]);
      expect(regions).toHaveLength(16);
      expect(regions.map((r) => r.name)).not.toContain('centralusstage');
      expect(regions.find((r) => r.name === 'eastus')).toEqual({ name: 'eastus', displayName: 'East US', geography: 'US', geographyGroup: 'US' });
      expect(regions.find((r) => r.name === 'uksouth')).toEqual({ name: 'uksouth', displayName: 'UK South', geography: 'Europe', geographyGroup: 'Europe' });
    } finally {
      await replay.close();
    }
  });

  it('2019-11-01 recording: "same geography" still groups regions (by the coarser group)', async () => {
    const replay = await startArmReplay(loadRecording('subscription-locations-list.json'), { apiVersions: { '2019-11-01': '2022-12-01' } });
    try {
      const gateway = new ArmLocationGateway(replay.connection, new ManualClock());
      const europe = (await gateway.regionsOfGeography('westeurope', 'geography')).map((r) => r.name).sort();
      expect(europe).toEqual(['francecentral', 'germanywestcentral', 'northeurope', 'norwayeast', 'swedencentral', 'uksouth', 'westeurope']);
      await expect(gateway.byDisplayName('west us 2')).resolves.toMatchObject({ name: 'westus2' });
      expect(replay.mismatches()).toEqual([]);
    } finally {
      await replay.close();
    }
  });

  it('2022-12-01 example: the api-version our SDK sends, with geography and geographyGroup both read', async () => {
    const replay = await startArmReplay(loadRecording('subscription-locations-list.example-2022-12-01.json'));
    try {
      const regions = await new ArmLocationGateway(replay.connection, new ManualClock()).listRegions();
      expect(replay.mismatches()).toEqual([]);
      expect(replay.unserved()).toEqual([]);
      expect(regions).toEqual([
        { name: 'eastus', displayName: 'East US', geography: 'United States', geographyGroup: 'US' },
        { name: 'eastus2', displayName: 'East US 2', geography: 'United States', geographyGroup: 'US' },
      ]);
    } finally {
      await replay.close();
    }
  });
});

/** The emulator answers in the shape of the api-version asked for, as the recordings show each version. */
describe('the emulator\'s locations, per api-version', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  type Location = { name: string; type?: string; regionalDisplayName: string; metadata: Record<string, unknown> };
  const list = async (apiVersion: string): Promise<Location[]> => {
    const res = await fetch(`${h.emulator.url}/subscriptions/${h.emulator.subscriptionId}/locations?api-version=${apiVersion}`, { headers: { authorization: 'Bearer t' } });
    return ((await res.json()) as { value: Location[] }).value;
  };

  /** The keys of one recorded location, recursively, to compare with the emulator's. */
  const shapeOf = (value: unknown, prefix = ''): string[] =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [`${prefix}${k}`, ...shapeOf(v, `${prefix}${k}.`)])
      : [];
  const recordedEastUs = (file: string) =>
    ((loadRecording(file)[0] as RecordedExchange).responseBody as { value: Location[] }).value.find((l) => l.name === 'eastus') as Location;

  it('2019-11-01: no type, no metadata.geography, the keys the recording has', async () => {
    const eastus = (await list('2019-11-01')).find((l) => l.name === 'eastus') as Location;
    expect(eastus).toMatchObject({ regionalDisplayName: '(US) East US', metadata: { geographyGroup: 'US' } });
    expect(eastus.type).toBeUndefined();
    expect(eastus.metadata.geography).toBeUndefined();
    expect(shapeOf(eastus).sort()).toEqual(shapeOf(recordedEastUs('subscription-locations-list.json')).sort());
  });

  it('2022-12-01 (the SDK\'s): type Region and metadata.geography besides geographyGroup', async () => {
    const locations = await list('2022-12-01');
    const eastus = locations.find((l) => l.name === 'eastus') as Location;
    expect(eastus).toMatchObject({ type: 'Region', regionalDisplayName: '(US) East US', metadata: { geography: 'United States', geographyGroup: 'US' } });
    const recorded = shapeOf(recordedEastUs('subscription-locations-list.example-2022-12-01.json')).filter((k) => !k.startsWith('availabilityZoneMappings'));
    expect(shapeOf(eastus).sort()).toEqual(recorded.sort());
    expect(locations.find((l) => l.name === 'uksouth')?.regionalDisplayName).toBe('(Europe) UK South');
    expect(locations.find((l) => l.name === 'australiaeast')?.regionalDisplayName).toBe('(Asia Pacific) Australia East');
  });

  it('the SDK adapter reads the emulator as it reads Azure', async () => {
    await expect(h.gateways.locations.byDisplayName('East US')).resolves.toEqual({ name: 'eastus', displayName: 'East US', geography: 'United States', geographyGroup: 'US' });
  });
});
