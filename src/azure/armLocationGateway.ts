import { SubscriptionClient, type Location } from '@azure/arm-resources-subscriptions';
import type { Clock } from '../ports/clock';
import {
  findRegionByDisplayName,
  regionsGroupedWith,
  type GeographyGrouping,
  type LocationGateway,
  type Region,
} from '../ports/locationGateway';
import { classicClientOptions, type ArmConnection } from './armConnection';
import { armCall } from './armErrors';
import { collect } from './mapping';

const DEFAULT_TTL_MS = 6 * 60 * 60_000;

/** Regions of the subscription, read once per TTL (concurrent callers share the one read). */
export class ArmLocationGateway implements LocationGateway {
  private readonly client: SubscriptionClient;
  private cached?: { regions: Promise<Region[]>; expiresAt: number };

  constructor(
    private readonly connection: ArmConnection,
    private readonly clock: Clock,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {
    this.client = new SubscriptionClient(connection.credential, classicClientOptions(connection));
  }

  listRegions(): Promise<Region[]> {
    const now = this.clock.now();
    if (this.cached && now < this.cached.expiresAt) return this.cached.regions;
    const regions = this.read();
    const entry = { regions, expiresAt: now + this.ttlMs };
    this.cached = entry;
    // A failed read is not kept: the next caller tries again.
    regions.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    return regions;
  }

  async byDisplayName(displayName: string): Promise<Region | undefined> {
    return findRegionByDisplayName(await this.listRegions(), displayName);
  }

  async regionsOfGeography(region: string, by: GeographyGrouping): Promise<Region[]> {
    return regionsGroupedWith(await this.listRegions(), region, by);
  }

  private async read(): Promise<Region[]> {
    const locations = await armCall(undefined, () => collect(this.client.subscriptions.listLocations(this.connection.subscriptionId)));
    return locations.filter(isPhysical).map(toRegion);
  }
}

function isPhysical(location: Location): boolean {
  return location.metadata?.regionType?.toLowerCase() === 'physical' && !!location.name;
}

/**
 * `metadata.geography` exists only from api-version 2022-12-01 (the 2019-11-01 recording has `geographyGroup`
 * alone; the 2022-12-01 spec example has both): without it, the coarser group stands in, so "same geography"
 * still groups regions rather than matching nothing.
 */
function toRegion(location: Location): Region {
  const geographyGroup = location.metadata?.geographyGroup ?? '';
  return {
    name: (location.name ?? '').toLowerCase(),
    displayName: location.displayName ?? location.name ?? '',
    geography: location.metadata?.geography || geographyGroup,
    geographyGroup,
  };
}
