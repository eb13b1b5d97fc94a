import type { LocationGateway, Region } from '../../../src/ports/locationGateway';
import { findRegionByDisplayName } from '../../../src/ports/locationGateway';
import { startArmReplay, type ArmReplay, type RecordedExchange, type ReplayOptions } from '../../support/armReplay';

/** Runs `drive` against a replay of `exchanges` and closes it; the replay is handed back for the checks. */
export async function withReplay<T>(
  exchanges: readonly RecordedExchange[],
  options: ReplayOptions,
  drive: (replay: ArmReplay) => Promise<T>,
): Promise<{ result: T | undefined; error: unknown; replay: ArmReplay }> {
  const replay = await startArmReplay(exchanges, options);
  try {
    const result = await drive(replay);
    return { result, error: undefined, replay };
  } catch (error) {
    return { result: undefined, error, replay };
  } finally {
    await replay.close();
  }
}

/** A copy of a recorded exchange with some parts replaced; every use says why in the test. */
export function edited(exchange: RecordedExchange | undefined, change: Partial<RecordedExchange>): RecordedExchange {
  if (!exchange) throw new Error('no such recorded exchange');
  return { ...structuredClone(exchange), ...change };
}

/** The exchange at `index`, or a clear failure when a recording was trimmed differently. */
export function at(exchanges: readonly RecordedExchange[], index: number): RecordedExchange {
  const exchange = exchanges[index];
  if (!exchange) throw new Error(`the recording has no exchange #${index}`);
  return exchange;
}

/** The regions the recordings name, so that a gateway needs no locations call of its own. */
export class FixedLocationGateway implements LocationGateway {
  private readonly regions: Region[] = [
    { name: 'eastus', displayName: 'East US', geography: 'United States', geographyGroup: 'US' },
    { name: 'eastus2', displayName: 'East US 2', geography: 'United States', geographyGroup: 'US' },
    { name: 'westus', displayName: 'West US', geography: 'United States', geographyGroup: 'US' },
    { name: 'westus2', displayName: 'West US 2', geography: 'United States', geographyGroup: 'US' },
    { name: 'westcentralus', displayName: 'West Central US', geography: 'United States', geographyGroup: 'US' },
  ];

  listRegions(): Promise<Region[]> {
    return Promise.resolve(this.regions);
  }

  byDisplayName(displayName: string): Promise<Region | undefined> {
    return Promise.resolve(findRegionByDisplayName(this.regions, displayName));
  }

  regionsOfGeography(region: string): Promise<Region[]> {
    const home = this.regions.find((r) => r.name === region.toLowerCase());
    return Promise.resolve(home ? this.regions.filter((r) => r.geography === home.geography) : []);
  }
}
