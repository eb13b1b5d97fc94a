import { invalidParameter } from '../armError';
import { armIds } from '../armIds';
import { arrayAt, asObject, numberAt, objectAt, stringAt } from '../json';
import { json } from '../http/response';
import type { TargetRegionInput } from '../state/galleryStore';
import { imageVersionView } from '../views/computeViews';
import { API_VERSIONS, bodyObject, page, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { DEFINITION, definitionId } from './galleryImages';

const VERSION = `${DEFINITION}/versions/{version}`;

function versionId(req: RoutedRequest, ctx: HandlerContext): string {
  return armIds.imageVersion(definitionId(req, ctx), req.params.version ?? '');
}

/**
 * Image versions. `replicationStatus` appears only with `$expand=ReplicationStatus`; changing the
 * target regions (PUT or PATCH, an Azure-AsyncOperation LRO) starts replicating the new regions.
 */
export const galleryImageVersionRoutes: EmulatorRoute[] = [
  {
    method: 'GET',
    pattern: `${DEFINITION}/versions`,
    operation: 'galleryImageVersions.listByGalleryImage',
    apiVersion: API_VERSIONS.compute,
    handler: (req, ctx) => {
      const definition = ctx.state.galleries.requireDefinition(definitionId(req, ctx));
      return json(page(req, ctx, ctx.state.galleries.listVersions(definition.id).map((v) => imageVersionView(v))));
    },
  },
  {
    method: 'GET',
    pattern: VERSION,
    operation: 'galleryImageVersions.get',
    apiVersion: API_VERSIONS.compute,
    handler: (req, ctx) => {
      const id = versionId(req, ctx);
      ctx.lro.touch(id);
      const version = ctx.state.galleries.requireVersion(id);
      const expand = req.query.get('$expand')?.toLowerCase() === 'replicationstatus';
      return json(imageVersionView(version, expand ? ctx.state.galleries.replicationStatus(version.id) : undefined));
    },
  },
  { method: 'PUT', pattern: VERSION, operation: 'galleryImageVersions.createOrUpdate', apiVersion: API_VERSIONS.compute, handler: (req, ctx) => writeVersion(req, ctx, 'put') },
  { method: 'PATCH', pattern: VERSION, operation: 'galleryImageVersions.update', apiVersion: API_VERSIONS.compute, handler: (req, ctx) => writeVersion(req, ctx, 'patch') },
  {
    method: 'DELETE',
    pattern: VERSION,
    operation: 'galleryImageVersions.delete',
    apiVersion: API_VERSIONS.compute,
    handler: (req, ctx) => (ctx.state.galleries.deleteVersion(versionId(req, ctx)) ? { status: 200 } : { status: 204 }),
  },
];

function writeVersion(req: RoutedRequest, ctx: HandlerContext, kind: 'put' | 'patch') {
  const { galleries } = ctx.state;
  const body = bodyObject(req);
  const id = versionId(req, ctx);
  const existing = galleries.version(id);
  if (!existing && kind === 'patch') galleries.requireVersion(id);
  ctx.lro.assertIdle(id);
  const targets = targetRegionsOf(body);
  const version = existing
    ? targets
      ? galleries.setTargetRegions(existing.id, targets)
      : existing
    : galleries.addVersion({
        definitionId: galleries.requireDefinition(definitionId(req, ctx)).id,
        name: req.params.version ?? '',
        ...(targets ? { targetRegions: targets } : {}),
        ...storageOf(body),
      });
  const { operation, headers } = ctx.lro.start({
    style: 'azureAsyncOperation',
    resourceId: version.id,
    apiVersion: req.apiVersion,
    location: version.location,
    complete: () => {
      version.provisioningState = 'Succeeded';
    },
    fail: () => {
      version.provisioningState = 'Failed';
    },
    ...(req.operationFailure ? { injectedFailure: req.operationFailure } : {}),
  });
  if (operation.status === 'InProgress') version.provisioningState = existing ? 'Updating' : 'Creating';
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
