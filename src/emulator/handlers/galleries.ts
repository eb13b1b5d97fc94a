import { ArmError } from '../armError';
import { armIds } from '../armIds';
import { hasKey, objectAt, stringAt } from '../json';
import { json } from '../http/response';
import { canonicalRegion } from '../state/galleryStore';
import type { GalleryRecord } from '../state/records';
import { galleryView } from '../views/computeViews';
import { API_VERSIONS, bodyObject, rgProvider, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { crudRoutes, startWrite } from './crudRoutes';

export const GALLERY = `${rgProvider('Microsoft.Compute')}/galleries/{gallery}`;

export function galleryId(req: RoutedRequest, ctx: HandlerContext): string {
  return armIds.gallery(ctx.subscriptionId, req.params.resourceGroup ?? '', req.params.gallery ?? '');
}

/** Compute galleries: reads, and create/update as Azure-AsyncOperation LROs. */
export const galleryRoutes: EmulatorRoute[] = crudRoutes<GalleryRecord>({
  name: 'galleries',
  apiVersion: API_VERSIONS.compute,
  path: GALLERY,
  view: (g, ctx) => galleryView(g, ctx.subscriptionId),
  topLevel: { list: (ctx, resourceGroup) => ctx.state.galleries.listGalleries(resourceGroup), subscriptionOperation: 'list' },
  lroId: galleryId,
  get: (req, ctx) => ctx.state.galleries.requireGallery(galleryId(req, ctx)),
  put: (req, ctx) => writeGallery(req, ctx, 'put'),
  patch: (req, ctx) => writeGallery(req, ctx, 'patch'),
  delete: (req, ctx) => ctx.state.galleries.deleteGallery(galleryId(req, ctx)),
  deleteLro: 'compute',
});

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
  const headers = startWrite(req, ctx, gallery, {
    style: 'compute',
    creating: !existing,
    apply: () => {
      if (description !== undefined) gallery.description = description;
    },
  });
  return json(galleryView(gallery, ctx.subscriptionId), existing ? 200 : 201, headers);
}
