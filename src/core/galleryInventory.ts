import { lastSegment } from '../kernel';
import type { GalleryGateway, ImageDefinition, ImageVersion } from '../ports/galleryGateway';
import type { LabHostGateway } from '../ports/labHostGateway';
import { watchIdOf, type ReplicationWatch, type ReplicationWatchStore } from '../ports/replicationWatches';

/** Where the CSV goes, a line at a time; `write` resolves once the line may be let go (backpressure). */
export interface InventorySink {
  write(line: string): Promise<void>;
}

export interface InventoryDeps {
  galleries: Pick<GalleryGateway, 'listImageDefinitions' | 'listVersions'>;
  labHosts: Pick<LabHostGateway, 'listHosts' | 'listImages' | 'listLabs'>;
  /** What the replication tracker last saw of each version: its state costs no ARM read. */
  watches: Pick<ReplicationWatchStore, 'get'>;
}

/** What the summary card tells; counted while the rows stream by. */
export interface InventorySummary {
  galleryName: string;
  definitions: number;
  versions: number;
  /** OS disk size times replicas, summed: roughly what the gallery stores (data disks' sizes are not listed). */
  storedGB: number;
  regions: string[];
  failedVersions: number;
  /** Definitions enabled on at least one lab host. */
  enabledDefinitions: number;
  labs: number;
  hosts: string[];
  lastPublishedAt?: number;
  rows: number;
}

export const INVENTORY_COLUMNS = [
  'gallery',
  'image',
  'os_type',
  'os_state',
  'hyperv_generation',
  'image_state',
  'version',
  'latest',
  'version_state',
  'published_utc',
  'os_disk_gb',
  'data_disks',
  'target_regions',
  'replicas',
  'replication_state',
  'failed_regions',
  'enabled_on',
  'labs',
] as const;

/**
 * The gallery's inventory as CSV rows, streamed: one list of definitions, then one (paged) list of versions per
 * definition — the version list API has no `$expand`, so replication state comes from the tracker's watches,
 * not from one read per version. The lab hosts that have the gallery attached are read once each (their images
 * and labs). Memory holds one definition's versions at a time, however large the gallery.
 */
export async function writeInventory(deps: InventoryDeps, galleryId: string, sink: InventorySink): Promise<InventorySummary> {
  const gallery = lastSegment(galleryId);
  const usage = await hostUsage(deps, galleryId);
  const summary: InventorySummary = { galleryName: gallery, definitions: 0, versions: 0, storedGB: 0, regions: [], failedVersions: 0, enabledDefinitions: 0, labs: usage.labCount, hosts: usage.hostNames, rows: 0 };
  const regions = new Set<string>();
  await sink.write(csvLine(INVENTORY_COLUMNS));
  const definitions = await deps.galleries.listImageDefinitions(galleryId);
  definitions.sort((a, b) => a.name.localeCompare(b.name));
  for (const definition of definitions) {
    summary.definitions++;
    const enabledOn = usage.enabledOn.get(definition.id.toLowerCase()) ?? [];
    if (enabledOn.length) summary.enabledDefinitions++;
    const versions = (await deps.galleries.listVersions(definition.id)).sort((a, b) => compareVersions(b.name, a.name));
    if (versions.length === 0) {
      await sink.write(csvLine(definitionCells(gallery, definition, enabledOn, usage.labsOf(definition.id))));
      summary.rows++;
      continue;
    }
    for (const [index, version] of versions.entries()) {
      const watch = await deps.watches.get(watchIdOf(version.id, version.targetRegions.map((t) => t.name)));
      const replication = replicationOf(version, watch);
      const sizeGB = version.osDiskSizeGB ?? 0;
      const replicas = version.targetRegions.reduce((n, t) => n + t.replicaCount, 0);
      summary.versions++;
      summary.storedGB += sizeGB * replicas;
      if (replication.state === 'Failed') summary.failedVersions++;
      for (const t of version.targetRegions) regions.add(t.name);
      if (version.publishedAt !== undefined && (summary.lastPublishedAt === undefined || version.publishedAt > summary.lastPublishedAt)) summary.lastPublishedAt = version.publishedAt;
      const base = definitionCells(gallery, definition, enabledOn, usage.labsOf(definition.id, version.id));
      // Columns from `version` on; the definition's own come first.
      base.splice(6, 6, version.name, index === 0 ? 'yes' : 'no', version.provisioningState ?? '', isoTime(version.publishedAt), String(sizeGB), String(version.dataDiskCount));
      base[12] = version.targetRegions.map((t) => `${t.name}:${t.replicaCount}`).join(';');
      base[13] = String(replicas);
      base[14] = replication.state;
      base[15] = replication.failed.join(';');
      await sink.write(csvLine(base));
      summary.rows++;
    }
  }
  summary.regions = [...regions].sort();
  return summary;
}

function definitionCells(gallery: string, d: ImageDefinition, enabledOn: readonly string[], labs: readonly string[]): string[] {
  return [gallery, d.name, d.osType, d.osState, d.hyperVGeneration ?? '', d.provisioningState ?? '', '', '', '', '', '', '', '', '', '', '', enabledOn.join(';'), labs.join(';')];
}

/** The tracker's view of the version's current targets, when it has one; otherwise unknown (never read per version). */
function replicationOf(version: ImageVersion, watch: ReplicationWatch | undefined): { state: string; failed: string[] } {
  if (version.provisioningState === 'Failed') return { state: 'Failed', failed: watch?.regions.filter((r) => r.state === 'Failed').map((r) => r.region) ?? [] };
  if (!watch || watch.regions.length === 0) return { state: version.provisioningState === 'Updating' ? 'InProgress' : 'Unknown', failed: [] };
  const failed = watch.regions.filter((r) => r.state === 'Failed').map((r) => r.region).sort();
  if (failed.length) return { state: 'Failed', failed };
  return { state: watch.regions.every((r) => r.state === 'Completed') ? 'Completed' : 'InProgress', failed };
}

interface HostUsage {
  hostNames: string[];
  /** Host names by lowercased definition id, for the images enabled there. */
  enabledOn: Map<string, string[]>;
  labCount: number;
  /** Labs built from the definition (any version, or `latest`), or from this very version when one is given. */
  labsOf(definitionId: string, versionId?: string): string[];
}

/** One read of the hosts, then the images and labs of each host the gallery is attached to. */
async function hostUsage(deps: InventoryDeps, galleryId: string): Promise<HostUsage> {
  const gallery = galleryId.toLowerCase();
  const hosts = (await deps.labHosts.listHosts()).filter((h) => h.sharedGalleryId?.toLowerCase() === gallery);
  const enabledOn = new Map<string, string[]>();
  const labs: { name: string; imageId: string }[] = [];
  for (const host of hosts) {
    const [images, hostLabs] = await Promise.all([deps.labHosts.listImages(host.id), deps.labHosts.listLabs(host.id)]);
    const definitionOfImage = new Map(images.map((i) => [i.id.toLowerCase(), i.definitionId.toLowerCase()]));
    for (const image of images) {
      if (!image.enabled || !image.definitionId) continue;
      const key = image.definitionId.toLowerCase();
      enabledOn.set(key, [...(enabledOn.get(key) ?? []), host.name]);
    }
    for (const lab of hostLabs) {
      if (!lab.imageId) continue;
      // Lab accounts name their shared image; lab plans the definition or one of its versions.
      const imageId = lab.imageId.toLowerCase();
      labs.push({ name: lab.name, imageId: definitionOfImage.get(imageId) ?? imageId });
    }
  }
  return {
    hostNames: hosts.map((h) => h.name),
    enabledOn,
    labCount: labs.length,
    labsOf(definitionId, versionId) {
      const definition = definitionId.toLowerCase();
      const version = versionId?.toLowerCase();
      return labs
        .filter((l) => (version ? l.imageId === version || l.imageId === definition : l.imageId === definition || l.imageId.startsWith(`${definition}/versions/`)))
        .map((l) => l.name);
    },
  };
}

function isoTime(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * One CSV record (RFC 4180) with CRLF. A cell that a spreadsheet would run as a formula (=, +, -, @) is
 * prefixed with an apostrophe: names come from Azure, and the file is opened in Excel.
 */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
