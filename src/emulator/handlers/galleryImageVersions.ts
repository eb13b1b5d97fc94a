import { invalidParameter } from '../armError';
import { armIds } from '../armIds';
import { arrayAt, asObject, numberAt, objectAt, stringAt } from '../json';
import { json } from '../http/response';
import type { TargetRegionInput } from '../state/galleryStore';
import type { ImageVersionRecord } from '../state/records';
import { imageVersionView } from '../views/computeViews';
import { API_VERSIONS, bodyObject, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { crudRoutes, startWrite } from './crudRoutes';
import { DEFINITION, definitionId } from './galleryImages';

const VERSION = `${DEFINITION}/versions/{version}`;

function versionId(req: RoutedRequest, ctx: HandlerContext): string {
  return armIds.imageVersion(definitionId(req, ctx), req.params.version ?? '');
}

/**
 * Image versions. `replicationStatus` appears only with `$expand=ReplicationStatus`; changing the
 * target regions (a full PUT as the CLI sends, answered 200 Updating, or a PATCH; a Compute LRO) starts
 * replicating the new regions.
 */
export const galleryImageVersionRoutes: EmulatorRoute[] = crudRoutes<ImageVersionRecord>({
  name: 'galleryImageVersions',
  apiVersion: API_VERSIONS.compute,
  path: VERSION,
  view: (v) => imageVersionView(v),
  lists: { listByGalleryImage: (req, ctx) => ctx.state.galleries.listVersions(ctx.state.galleries.requireDefinition(definitionId(req, ctx)).id) },
  lroId: versionId,
  get: (req, ctx) => ctx.state.galleries.requireVersion(versionId(req, ctx)),
  getView: (v, req, ctx) => imageVersionView(v, req.query.get('$expand')?.toLowerCase() === 'replicationstatus' ? ctx.state.galleries.replicationStatus(v.id) : undefined),
  put: (req, ctx) => writeVersion(req, ctx, 'put'),
  patch: (req, ctx) => writeVersion(req, ctx, 'patch'),
  delete: (req, ctx) => ctx.state.galleries.deleteVersion(versionId(req, ctx)),
  deleteLro: 'compute',
});

function writeVersion(req: RoutedRequest, ctx: HandlerContext, kind: 'put' | 'patch') {
  const { galleries } = ctx.state;
  const body = bodyObject(req);
  const id = versionId(req, ctx);
  const existing = galleries.version(id);
  if (!existing && kind === 'patch') galleries.requireVersion(id);
  ctx.lro.assertIdle(id);
  const targets = targetRegionsOf(body);
  const replicaCount = numberAt(body, 'properties', 'publishingProfile', 'replicaCount');
  if (kind === 'put' && existing && !targets) {
    // A PUT replaces the resource: without target regions it would leave none.
    throw invalidParameter('properties.publishingProfile.targetRegions is required.', 'properties.publishingProfile.targetRegions');
  }
  // An update may leave out storageProfile.source (the recorded CLI PUT did): the version keeps its source.
  const version = existing
    ? targets
      ? galleries.setTargetRegions(existing.id, targets, replicaCount)
      : existing
    : galleries.addVersion({
        definitionId: galleries.requireDefinition(definitionId(req, ctx)).id,
        name: req.params.version ?? '',
        ...(targets ? { targetRegions: targets } : {}),
        ...(replicaCount !== undefined ? { replicaCount } : {}),
        ...storageOf(body),
      });
  const headers = startWrite(req, ctx, version, { style: 'compute', creating: !existing });
  return json(imageVersionView(version), existing ? 200 : 201, headers);
}

function targetRegionsOf(body: Record<string, unknown>): TargetRegionInput[] | undefined {
  const raw = arrayAt(body, 'properties', 'publishingProfile', 'targetRegions');
  if (!raw) return undefined;
  return raw.map((item, i) => {
    const name = stringAt(item, 'name');
    if (!name) throw invalidParameter(`properties.publishingProfile.targetRegions[${i}].name is required.`, 'properties.publishingProfile.targetRegions');
    const count = numberAt(item, 'regionalReplicaCount');
    const type = stringAt(item, 'storageAccountType');
    return { name, ...(count !== undefined ? { regionalReplicaCount: count } : {}), ...(type ? { storageAccountType: type } : {}) };
  });
}

/** Disk sizes are read-only upstream; the emulator accepts them so tests can shape eligibility. */
function storageOf(body: Record<string, unknown>) {
  const storage = objectAt(body, 'properties', 'storageProfile');
  const osDiskSizeGB = numberAt(storage, 'osDiskImage', 'sizeInGB');
  const dataDisks = arrayAt(storage, 'dataDiskImages')?.map((d) => numberAt(d, 'sizeInGB') ?? 32);
  const sourceId = stringAt(storage, 'source', 'id');
  const virtualMachineId = stringAt(storage, 'source', 'virtualMachineId');
  const source = asObject(storage?.source) ? { ...(sourceId ? { id: sourceId } : {}), ...(virtualMachineId ? { virtualMachineId } : {}) } : undefined;
  return {
    ...(osDiskSizeGB !== undefined ? { osDiskSizeGB } : {}),
    ...(dataDisks ? { dataDiskSizesGB: dataDisks } : {}),
    ...(source ? { source } : {}),
  };
}
