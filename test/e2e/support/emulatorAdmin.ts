/**
 * The demo ARM emulator's admin API (`src/emulator/handlers/admin.ts`), for flows that start with something
 * Azure does by itself, such as a new image version that replicates for a while.
 */
export interface PublishedVersion {
  /** ARM id of the gallery, e.g. `DEMO_IDS.physicsGalleryId`. */
  galleryId: string;
  /** Image definition name; created if the gallery does not have it yet. */
  definition: string;
  version?: string;
  /** Target regions; with `host` a lab account, the account's whole geography. */
  regions?: string[];
  host?: string;
  /** Simulated time each region takes to replicate (the demo clock runs 60× faster). */
  replicationDurationMs?: number;
  failRegions?: string[];
  osType?: 'Windows' | 'Linux';
  osState?: 'Generalized' | 'Specialized';
  osDiskSizeGB?: number;
  dataDiskSizesGB?: number[];
}

/** `POST /_admin/imageVersions`: publishes a version as a lab would have saved it. Resolves with its ARM view. */
export async function publishImageVersion(emulatorUrl: string, version: PublishedVersion): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulatorUrl}/_admin/imageVersions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(version),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 201) throw new Error(`the emulator refused the image version (${response.status}): ${JSON.stringify(body)}`);
  return body;
}
