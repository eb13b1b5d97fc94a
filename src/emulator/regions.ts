/** One ARM location as `GET /subscriptions/{id}/locations` describes it. */
export interface Region {
  name: string;
  displayName: string;
  regionType: 'Physical' | 'Logical';
  geography: string;
  geographyGroup: string;
  pairedRegion: string[];
  latitude: string;
  longitude: string;
}

type Row = [name: string, displayName: string, geography: string, geographyGroup: string, paired: string, lat: string, long: string];

const PHYSICAL: readonly Row[] = [
  ['eastus', 'East US', 'United States', 'US', 'westus', '37.3719', '-79.8164'],
  ['eastus2', 'East US 2', 'United States', 'US', 'centralus', '36.6681', '-78.3889'],
  ['centralus', 'Central US', 'United States', 'US', 'eastus2', '41.5908', '-93.6208'],
  ['northcentralus', 'North Central US', 'United States', 'US', 'southcentralus', '41.8819', '-87.6278'],
  ['southcentralus', 'South Central US', 'United States', 'US', 'northcentralus', '29.4167', '-98.5'],
  ['westcentralus', 'West Central US', 'United States', 'US', 'westus2', '40.89', '-110.234'],
  ['westus', 'West US', 'United States', 'US', 'eastus', '37.783', '-122.417'],
  ['westus2', 'West US 2', 'United States', 'US', 'westcentralus', '47.233', '-119.852'],
  ['westus3', 'West US 3', 'United States', 'US', 'eastus', '33.448376', '-112.074036'],
  ['northeurope', 'North Europe', 'Europe', 'Europe', 'westeurope', '53.3478', '-6.2597'],
  ['westeurope', 'West Europe', 'Europe', 'Europe', 'northeurope', '52.3667', '4.9'],
  ['uksouth', 'UK South', 'United Kingdom', 'Europe', 'ukwest', '50.941', '-0.799'],
  ['ukwest', 'UK West', 'United Kingdom', 'Europe', 'uksouth', '53.427', '-3.084'],
  ['francecentral', 'France Central', 'France', 'Europe', 'francesouth', '46.3772', '2.373'],
  ['francesouth', 'France South', 'France', 'Europe', 'francecentral', '43.8345', '2.1972'],
  ['germanywestcentral', 'Germany West Central', 'Germany', 'Europe', 'germanynorth', '50.110924', '8.682127'],
  ['germanynorth', 'Germany North', 'Germany', 'Europe', 'germanywestcentral', '53.073635', '8.806422'],
  ['eastasia', 'East Asia', 'Asia Pacific', 'Asia Pacific', 'southeastasia', '22.267', '114.188'],
  ['southeastasia', 'Southeast Asia', 'Asia Pacific', 'Asia Pacific', 'eastasia', '1.283', '103.833'],
  ['australiaeast', 'Australia East', 'Australia', 'Asia Pacific', 'australiasoutheast', '-33.86', '151.2094'],
  ['australiasoutheast', 'Australia Southeast', 'Australia', 'Asia Pacific', 'australiaeast', '-37.8136', '144.9631'],
  ['australiacentral', 'Australia Central', 'Australia', 'Asia Pacific', 'australiacentral2', '-35.3075', '149.1244'],
  ['australiacentral2', 'Australia Central 2', 'Australia', 'Asia Pacific', 'australiacentral', '-35.3075', '149.1244'],
  ['canadacentral', 'Canada Central', 'Canada', 'Canada', 'canadaeast', '43.653', '-79.383'],
  ['canadaeast', 'Canada East', 'Canada', 'Canada', 'canadacentral', '46.817', '-71.217'],
  ['japaneast', 'Japan East', 'Japan', 'Asia Pacific', 'japanwest', '35.68', '139.77'],
  ['japanwest', 'Japan West', 'Japan', 'Asia Pacific', 'japaneast', '34.6939', '135.5022'],
  ['centralindia', 'Central India', 'India', 'Asia Pacific', 'southindia', '18.5822', '73.9197'],
  ['southindia', 'South India', 'India', 'Asia Pacific', 'centralindia', '12.9822', '80.1636'],
  ['westindia', 'West India', 'India', 'Asia Pacific', 'southindia', '19.088', '72.868'],
];

/** Logical regions are listed too, as ARM does, so that callers must filter on `regionType`. */
const LOGICAL: readonly [name: string, displayName: string, geographyGroup: string][] = [
  ['unitedstates', 'United States', 'US'],
  ['europe', 'Europe', 'Europe'],
  ['asiapacific', 'Asia Pacific', 'Asia Pacific'],
];

export const REGIONS: readonly Region[] = [
  ...PHYSICAL.map(([name, displayName, geography, geographyGroup, paired, latitude, longitude]): Region => ({
    name,
    displayName,
    regionType: 'Physical',
    geography,
    geographyGroup,
    pairedRegion: [paired],
    latitude,
    longitude,
  })),
  ...LOGICAL.map(([name, displayName, geographyGroup]): Region => ({
    name,
    displayName,
    regionType: 'Logical',
    geography: displayName,
    geographyGroup,
    pairedRegion: [],
    latitude: '',
    longitude: '',
  })),
];

const byKey: ReadonlyMap<string, Region> = new Map(
  REGIONS.flatMap((r) => [[regionKey(r.name), r] as const, [regionKey(r.displayName), r] as const]),
);

function regionKey(value: string): string {
  return value.replace(/\s+/g, '').toLowerCase();
}

/** Finds a physical region from its name (`westus`) or display name (`West US`), in any casing. */
export function findPhysicalRegion(nameOrDisplayName: string): Region | undefined {
  const region = byKey.get(regionKey(nameOrDisplayName));
  return region?.regionType === 'Physical' ? region : undefined;
}

export type GeographyScope = 'geography' | 'geographyGroup';

/** Physical regions sharing the region's geography (or geography group), the region itself included. */
export function regionsOfSameGeography(regionName: string, scope: GeographyScope = 'geography'): Region[] {
  const home = findPhysicalRegion(regionName);
  if (!home) return [];
  return REGIONS.filter((r) => r.regionType === 'Physical' && r[scope] === home[scope]);
}
