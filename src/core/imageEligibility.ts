import type { ImageVersion } from '../ports/galleryGateway';
import type { LabHost } from '../ports/labHostGateway';

/** Images whose OS disk is this large or larger cannot back a template VM. */
export const OS_DISK_LIMIT_GB = 128;

export type IneligibilityReason = 'osDiskTooLarge' | 'dataDisks' | 'notInHostRegion' | 'noVersion';

export interface Eligibility {
  eligible: boolean;
  /** Empty when eligible; in the order above otherwise. */
  reasons: IneligibilityReason[];
}

export type EligibilityHost = Pick<LabHost, 'kind' | 'location'>;

export type VersionFacts = Pick<ImageVersion, 'osDiskSizeGB' | 'dataDiskCount' | 'targetRegions' | 'replication' | 'provisioningState'>;

export interface EligibilityFacts {
  host: EligibilityHost;
  /** What the lab plan says about the image (any version with a completed replica counts). */
  availableRegions?: readonly string[];
  /** The definition's latest version; absent when it has none. */
  latest?: VersionFacts;
}

/**
 * Whether an image may back a lab's template VM: an OS disk under 128 GB, no data disk, and (lab plans only)
 * a replica in the plan's region. Lab accounts replicate saved images through their geography by themselves,
 * so only the disk rules apply to them.
 */
export function imageEligibility(facts: EligibilityFacts): Eligibility {
  const { latest } = facts;
  if (!latest) return { eligible: false, reasons: ['noVersion'] };
  const reasons: IneligibilityReason[] = [];
  if (latest.osDiskSizeGB !== undefined && latest.osDiskSizeGB >= OS_DISK_LIMIT_GB) reasons.push('osDiskTooLarge');
  if (latest.dataDiskCount > 0) reasons.push('dataDisks');
  if (inHostRegion(facts.host, facts.availableRegions, latest) === false) reasons.push('notInHostRegion');
  return { eligible: reasons.length === 0, reasons };
}

/**
 * Lab plans: whether the image has a replica in the plan's region. The plan's `availableRegions` is the
 * service's own answer and wins; without it, the latest version's completed regions are used. Undefined for
 * lab accounts (not a rule there) and when nothing tells.
 */
export function inHostRegion(host: EligibilityHost, availableRegions: readonly string[] | undefined, latest?: VersionFacts): boolean | undefined {
  if (host.kind !== 'labPlan') return undefined;
  const region = host.location.toLowerCase();
  if (availableRegions) return availableRegions.some((r) => r.toLowerCase() === region);
  if (!latest) return undefined;
  return completedRegions(latest).includes(region);
}

/** Regions where the version is fully replicated: from its replication status when read, else its target regions once it has succeeded. */
export function completedRegions(version: VersionFacts): string[] {
  if (version.replication) return version.replication.regions.filter((r) => r.state === 'Completed').map((r) => r.region.toLowerCase());
  const settled = version.provisioningState === undefined || version.provisioningState.toLowerCase() === 'succeeded';
  return settled ? version.targetRegions.map((r) => r.name.toLowerCase()) : [];
}

/** What "latest" means for a definition: the highest version number (`1.10.0` > `1.9.0`), publication date breaking ties. */
export function latestVersion<V extends Pick<ImageVersion, 'name' | 'publishedAt'>>(versions: readonly V[]): V | undefined {
  let best: V | undefined;
  for (const v of versions) if (!best || compareVersions(v, best) > 0) best = v;
  return best;
}

function compareVersions(a: Pick<ImageVersion, 'name' | 'publishedAt'>, b: Pick<ImageVersion, 'name' | 'publishedAt'>): number {
  const pa = a.name.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.name.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return (a.publishedAt ?? 0) - (b.publishedAt ?? 0);
}
