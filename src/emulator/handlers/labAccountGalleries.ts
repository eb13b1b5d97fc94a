import { invalidParameter, resourceNotFound } from '../armError';
import { stringAt, stringAtAnyCase } from '../json';
import { json } from '../http/response';
import type { LabAccountRecord } from '../state/records';
import { sharedGalleryView, sharedImageView } from '../views/labServicesViews';
import { ACCOUNT, accountId } from './labAccounts';
import { API_VERSIONS, bodyObject, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { crudRoutes } from './crudRoutes';
import { hostImageRoutes, parseEnabledState } from './hostImages';

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
  ...hostImageRoutes({
    name: 'sharedImages',
    listOperation: 'list',
    apiVersion: API_VERSIONS.labAccounts,
    path: `${ACCOUNT}/sharedImages/{image}`,
    hostId: accountId,
    store: (ctx) => ctx.state.labAccounts,
    view: sharedImageView,
    // `enableState` (casing unconfirmed upstream, so read case-insensitively), or `enabledState`.
    requestedState: (properties) => parseEnabledState(stringAtAnyCase(properties, 'enableState') ?? stringAtAnyCase(properties, 'enabledState'), 'properties.enableState'),
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
