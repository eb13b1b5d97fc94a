import { ArmError } from '../armError';
import { armIds } from '../armIds';
import { hasKey, objectAt, stringAt } from '../json';
import { json } from '../http/response';
import { canonicalRegion } from '../state/galleryStore';
import type { GalleryRecord } from '../state/records';
import { galleryView } from '../views/computeViews';
import { API_VERSIONS, bodyObject, page, rgProvider, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';

export const GALLERY = `${rgProvider('Microsoft.Compute')}/galleries/{gallery}`;

export function galleryId(req: RoutedRequest, ctx: HandlerContext): string {
  return armIds.gallery(ctx.subscriptionId, req.params.resourceGroup ?? '', req.params.gallery ?? '');
}

/** Compute galleries: reads, and create/update as Azure-AsyncOperation LROs. */
export const galleryRoutes: EmulatorRoute[] = [
  {
    method: 'GET',
    pattern: '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/galleries',
    operation: 'galleries.list',
    apiVersion: API_VERSIONS.compute,
    handler: (req, ctx) => json(page(req, ctx, ctx.state.galleries.listGalleries().map((g) => galleryView(g, ctx.subscriptionId)))),
  },
  {
    method: 'GET',
    pattern: `${rgProvider('Microsoft.Compute')}/galleries`,
    operation: 'galleries.listByResourceGroup',
    apiVersion: API_VERSIONS.compute,
    handler: (req, ctx) => json(page(req, ctx, ctx.state.galleries.listGalleries(req.params.resourceGroup).map((g) => galleryView(g, ctx.subscriptionId)))),
  },
  {
    method: 'GET',
    pattern: GALLERY,
    operation: 'galleries.get',
    apiVersion: API_VERSIONS.compute,
    handler: (req, ctx) => {
      const id = galleryId(req, ctx);
      ctx.lro.touch(id);
      return json(galleryView(ctx.state.galleries.requireGallery(id), ctx.subscriptionId));
    },
  },
  { method: 'PUT', pattern: GALLERY, operation: 'galleries.createOrUpdate', apiVersion: API_VERSIONS.compute, handler: (req, ctx) => writeGallery(req, ctx, 'put') },
  { method: 'PATCH', pattern: GALLERY, operation: 'galleries.update', apiVersion: API_VERSIONS.compute, handler: (req, ctx) => writeGallery(req, ctx, 'patch') },
  {
    method: 'DELETE',
    pattern: GALLERY,
    operation: 'galleries.delete',
    apiVersion: API_VERSIONS.compute,
    handler: (req, ctx) => (ctx.state.galleries.deleteGallery(galleryId(req, ctx)) ? { status: 200 } : { status: 204 }),
  },
];

/** PUT creates (201 Creating) or updates (200 Updating); PATCH updates an existing gallery only. */
function writeGallery(req: RoutedRequest, ctx: HandlerContext, kind: 'put' | 'patch') {
  const { galleries } = ctx.state;
  const body = bodyObject(req);
  const name = req.params.gallery ?? '';
  const id = galleryId(req, ctx);
  const existing = galleries.gallery(id);
  if (!existing && kind === 'patch') galleries.requireGallery(id);
  const properties = objectAt(body, 'properties') ?? {};
  const description = hasKey(properties, 'description') ? stringAt(properties, 'description') : existing?.description;
  let gallery: GalleryRecord;
  if (existing) {
    gallery = existing;
  } else {
    const location = stringAt(body, 'location');
    if (!location) throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
    gallery = galleries.addGallery({ resourceGroup: req.params.resourceGroup ?? '', name, location: canonicalRegion(location), ...(description !== undefined ? { description } : {}) });
  }
  const { operation, headers } = ctx.lro.start({
    style: 'azureAsyncOperation',
    resourceId: gallery.id,
    apiVersion: req.apiVersion,
    location: gallery.location,
    complete: () => {
      if (description !== undefined) gallery.description = description;
      gallery.provisioningState = 'Succeeded';
    },
    fail: () => {
      gallery.provisioningState = 'Failed';
    },
    ...(req.operationFailure ? { injectedFailure: req.operationFailure } : {}),
  });
  if (operation.status === 'InProgress') gallery.provisioningState = existing ? 'Updating' : 'Creating';
  return json(galleryView(gallery, ctx.subscriptionId), existing ? 200 : 201, headers);
}
