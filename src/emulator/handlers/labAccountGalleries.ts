import { invalidParameter, resourceNotFound } from '../armError';
import { objectAt, stringAt, stringAtAnyCase } from '../json';
import { json } from '../http/response';
import type { HostImageRecord, LabAccountRecord } from '../state/records';
import { sharedGalleryView, sharedImageView } from '../views/labServicesViews';
import { ACCOUNT, accountId } from './labAccounts';
import { parseEnabledState } from './labPlanImages';
import { API_VERSIONS, bodyObject, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { crudRoutes } from './crudRoutes';

interface Attachment {
  account: LabAccountRecord;
  shared: { name: string; galleryId: string };
}

/** The lab account gallery API (2019-01-01-preview): one attached gallery, its images enabled by default. */
export const labAccountGalleryRoutes: EmulatorRoute[] = [
  ...crudRoutes<Attachment>({
    name: 'sharedGalleries',
    apiVersion: API_VERSIONS.labAccounts,
    path: `${ACCOUNT}/sharedGalleries/{sharedGallery}`,
    view: ({ account, shared }) => sharedGalleryView(account, shared),
    lists: {
      list: (req, ctx) => {
        const account = ctx.state.labAccounts.require(accountId(req, ctx));
        return account.sharedGallery ? [{ account, shared: account.sharedGallery }] : [];
      },
    },
    get: (req, ctx) => {
      const account = ctx.state.labAccounts.require(accountId(req, ctx));
      const name = req.params.sharedGallery ?? '';
      if (!account.sharedGallery || account.sharedGallery.name.toLowerCase() !== name.toLowerCase()) {
        throw resourceNotFound('Microsoft.LabServices/labaccounts/sharedGalleries', `${account.name}/${name}`);
      }
      return { account, shared: account.sharedGallery };
    },
    put: attach,
    delete: (req, ctx) => ctx.state.labAccounts.detach(accountId(req, ctx), req.params.sharedGallery ?? ''),
  }),
  ...crudRoutes<HostImageRecord>({
    name: 'sharedImages',
    apiVersion: API_VERSIONS.labAccounts,
    path: `${ACCOUNT}/sharedImages/{sharedImage}`,
    view: sharedImageView,
    lists: { list: (req, ctx) => ctx.state.labAccounts.images(accountId(req, ctx)) },
    get: (req, ctx) => ctx.state.labAccounts.image(accountId(req, ctx), req.params.sharedImage ?? ''),
    put: setImageState,
    patch: setImageState,
  }),
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
  const id = accountId(req, ctx);
  const name = req.params.sharedImage ?? '';
  ctx.state.labAccounts.image(id, name);
  const properties = objectAt(bodyObject(req), 'properties');
  const value = stringAtAnyCase(properties, 'enableState') ?? stringAtAnyCase(properties, 'enabledState');
  const state = parseEnabledState(value, 'properties.enableState');
  return json(sharedImageView(ctx.state.labAccounts.setImageEnabled(id, name, state)));
}
