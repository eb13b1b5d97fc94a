import { invalidParameter, resourceNotFound } from '../armError';
import { objectAt, stringAt, stringAtAnyCase } from '../json';
import { json } from '../http/response';
import { sharedGalleryView, sharedImageView } from '../views/labServicesViews';
import { ACCOUNT, accountId } from './labAccounts';
import { parseEnabledState } from './labPlanImages';
import { API_VERSIONS, bodyObject, page, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';

/** The lab account gallery API (2019-01-01-preview): one attached gallery, its images enabled by default. */
export const labAccountGalleryRoutes: EmulatorRoute[] = [
  {
    method: 'GET',
    pattern: `${ACCOUNT}/sharedGalleries`,
    operation: 'sharedGalleries.list',
    apiVersion: API_VERSIONS.labAccounts,
    handler: (req, ctx) => {
      const account = ctx.state.labAccounts.require(accountId(req, ctx));
      return json(page(req, ctx, account.sharedGallery ? [sharedGalleryView(account, account.sharedGallery)] : []));
    },
  },
  {
    method: 'GET',
    pattern: `${ACCOUNT}/sharedGalleries/{sharedGallery}`,
    operation: 'sharedGalleries.get',
    apiVersion: API_VERSIONS.labAccounts,
    handler: (req, ctx) => {
      const account = ctx.state.labAccounts.require(accountId(req, ctx));
      const name = req.params.sharedGallery ?? '';
      if (!account.sharedGallery || account.sharedGallery.name.toLowerCase() !== name.toLowerCase()) {
        throw resourceNotFound('Microsoft.LabServices/labaccounts/sharedGalleries', `${account.name}/${name}`);
      }
      return json(sharedGalleryView(account, account.sharedGallery));
    },
  },
  { method: 'PUT', pattern: `${ACCOUNT}/sharedGalleries/{sharedGallery}`, operation: 'sharedGalleries.createOrUpdate', apiVersion: API_VERSIONS.labAccounts, handler: attach },
  {
    method: 'DELETE',
    pattern: `${ACCOUNT}/sharedGalleries/{sharedGallery}`,
    operation: 'sharedGalleries.delete',
    apiVersion: API_VERSIONS.labAccounts,
    handler: (req, ctx) => (ctx.state.labAccounts.detach(accountId(req, ctx), req.params.sharedGallery ?? '') ? { status: 200 } : { status: 204 }),
  },
  {
    method: 'GET',
    pattern: `${ACCOUNT}/sharedImages`,
    operation: 'sharedImages.list',
    apiVersion: API_VERSIONS.labAccounts,
    handler: (req, ctx) => {
      const account = ctx.state.labAccounts.require(accountId(req, ctx));
      return json(page(req, ctx, ctx.state.labAccounts.images(account.id).map((i) => sharedImageView(account, i))));
    },
  },
  {
    method: 'GET',
    pattern: `${ACCOUNT}/sharedImages/{sharedImage}`,
    operation: 'sharedImages.get',
    apiVersion: API_VERSIONS.labAccounts,
    handler: (req, ctx) => {
      const account = ctx.state.labAccounts.require(accountId(req, ctx));
      return json(sharedImageView(account, ctx.state.labAccounts.image(account.id, req.params.sharedImage ?? '')));
    },
  },
  { method: 'PUT', pattern: `${ACCOUNT}/sharedImages/{sharedImage}`, operation: 'sharedImages.createOrUpdate', apiVersion: API_VERSIONS.labAccounts, handler: setImageState },
  { method: 'PATCH', pattern: `${ACCOUNT}/sharedImages/{sharedImage}`, operation: 'sharedImages.update', apiVersion: API_VERSIONS.labAccounts, handler: setImageState },
];

/** 201 for a new attachment, 200 when that gallery was already attached, 409 when another one is. */
function attach(req: RoutedRequest, ctx: HandlerContext) {
  const account = ctx.state.labAccounts.require(accountId(req, ctx));
  const galleryId = stringAt(bodyObject(req), 'properties', 'galleryId');
  if (!galleryId) throw invalidParameter('properties.galleryId is required.', 'properties.galleryId');
  const created = ctx.state.labAccounts.attach(account.id, req.params.sharedGallery ?? '', galleryId);
  const shared = account.sharedGallery ?? { name: req.params.sharedGallery ?? '', galleryId };
  return json(sharedGalleryView(account, shared), created ? 201 : 200);
}

/** Existing images only; `enableState` (casing unconfirmed upstream, so read case-insensitively). */
function setImageState(req: RoutedRequest, ctx: HandlerContext) {
  const account = ctx.state.labAccounts.require(accountId(req, ctx));
  const name = req.params.sharedImage ?? '';
  ctx.state.labAccounts.image(account.id, name);
  const properties = objectAt(bodyObject(req), 'properties');
  const value = stringAtAnyCase(properties, 'enableState') ?? stringAtAnyCase(properties, 'enabledState');
  const state = parseEnabledState(value, 'properties.enableState');
  return json(sharedImageView(account, ctx.state.labAccounts.setImageEnabled(account.id, name, state)));
}
