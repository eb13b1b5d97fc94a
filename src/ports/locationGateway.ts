/** A physical Azure region. */
export interface Region {
  /** Lowercase name, e.g. `westus`. */
  name: string;
  /** e.g. `West US`. */
  displayName: string;
  /** e.g. `United States`. */
  geography: string;
  /** e.g. `US`. */
  geographyGroup: string;
}

/** Which metadata field "same geography" means; upstream Lab Services behaviour is unconfirmed. */
export type GeographyGrouping = 'geography' | 'geographyGroup';

export interface LocationGateway {
  /** Physical regions only. Cached; failures are `AzureError`s. */
  listRegions(): Promise<Region[]>;
  /** Case-insensitive. */
  byDisplayName(displayName: string): Promise<Region | undefined>;
  /** Every region grouped with `region` (a name, case-insensitive), itself included; empty if `region` is unknown. */
  regionsOfGeography(region: string, by: GeographyGrouping): Promise<Region[]>;
}

export function findRegionByDisplayName(regions: readonly Region[], displayName: string): Region | undefined {
  const wanted = displayName.trim().toLowerCase();
  return regions.find((r) => r.displayName.toLowerCase() === wanted);
}

export function regionsGroupedWith(regions: readonly Region[], region: string, by: GeographyGrouping): Region[] {
  const wanted = region.trim().toLowerCase();
  const home = regions.find((r) => r.name === wanted);
  if (!home || !home[by]) return [];
  return regions.filter((r) => r[by] === home[by]);
}
