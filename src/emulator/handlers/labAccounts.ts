import { ArmError, EMULATOR_ERROR_CODES, invalidParameter } from '../armError';
import { armIds, idKey } from '../armIds';
import { numberAt, objectAt, stringAt, type JsonObject } from '../json';
import type { LabAccountRecord, LabRecord } from '../state/records';
import { labAccountView, labView } from '../views/labServicesViews';
import { API_VERSIONS, bodyObject, rgProvider, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { crudRoutes, startWrite } from './crudRoutes';

export const ACCOUNT = `${rgProvider('Microsoft.LabServices')}/labaccounts/{labAccount}`;

export function accountId(req: RoutedRequest, ctx: HandlerContext): string {
  return armIds.labAccount(ctx.subscriptionId, req.params.resourceGroup ?? '', req.params.labAccount ?? '');
}

/** Classic lab accounts (2018-10-15) with their labs, and createLab (2019-01-01-preview). */
export const labAccountRoutes: EmulatorRoute[] = [
  ...crudRoutes<LabAccountRecord>({
    name: 'labAccounts',
    apiVersion: API_VERSIONS.labAccounts,
    path: ACCOUNT,
    view: labAccountView,
    topLevel: { list: (ctx, resourceGroup) => ctx.state.labAccounts.list(resourceGroup) },
    get: (req, ctx) => ctx.state.labAccounts.require(accountId(req, ctx)),
  }),
  ...crudRoutes<LabRecord>({
    name: 'labAccountLabs',
    apiVersion: API_VERSIONS.labAccounts,
    path: `${ACCOUNT}/labs/{lab}`,
    view: labView,
    lists: { list: (req, ctx) => ctx.state.labs.list({ hostKind: 'labAccount', hostId: ctx.state.labAccounts.require(accountId(req, ctx)).id }) },
    lroId: accountLabId,
    get: (req, ctx) => {
      ctx.state.labAccounts.require(accountId(req, ctx));
      return ctx.state.labs.require(accountLabId(req, ctx));
    },
  }),
  { method: 'POST', pattern: `${ACCOUNT}/createLab`, operation: 'labAccounts.createLab', apiVersion: API_VERSIONS.labAccounts, handler: createLab },
];

function accountLabId(req: RoutedRequest, ctx: HandlerContext): string {
  return armIds.accountLab(accountId(req, ctx), req.params.lab ?? '');
}

/**
 * `createLab` answers 200 with no body before the lab is ready: the lab appears as Creating and turns
 * Succeeded after as many reads as an LRO takes polls. The image must be an enabled sharedImages item.
 */
function createLab(req: RoutedRequest, ctx: HandlerContext) {
  const { state } = ctx;
  const account = state.labAccounts.require(accountId(req, ctx));
  const body = bodyObject(req);
  const labParameters = objectAt(body, 'labParameters') ?? {};
  const name = stringAt(body, 'name') ?? stringAt(labParameters, 'name');
  if (!name) throw invalidParameter('The lab name is required.', 'name');
  const imageRef = stringAt(labParameters, 'sharedImageResourceId') ?? stringAt(body, 'environmentSettingCreationParameters', 'resourceSettingCreationParameters', 'sharedImageResourceId');
  if (!imageRef) throw invalidParameter('labParameters.sharedImageResourceId is required.', 'labParameters.sharedImageResourceId');
  const image = state.labAccounts.images(account.id).find((i) => idKey(armIds.accountSharedImage(account.id, i.name)) === idKey(imageRef));
  if (!image) throw new ArmError(400, EMULATOR_ERROR_CODES.imageNotInAttachedGallery, `The shared image '${imageRef}' is not an image of lab account '${account.name}'.`, 'labParameters.sharedImageResourceId');
  if (image.enabledState !== 'Enabled') throw new ArmError(400, EMULATOR_ERROR_CODES.imageNotEnabled, `The shared image '${image.name}' is disabled on lab account '${account.name}'.`, 'labParameters.sharedImageResourceId');
  const properties: JsonObject = {
    maxUsersInLab: numberAt(labParameters, 'maxUsersInLab') ?? numberAt(body, 'labCreationParameters', 'maxUsersInLab') ?? 10,
    userQuota: stringAt(labParameters, 'userQuota') ?? 'PT10H',
    vmSize: stringAt(labParameters, 'vmSize') ?? 'Basic',
    sharedImageResourceId: armIds.accountSharedImage(account.id, image.name),
    galleryImageResourceId: image.definition.id,
    createdDate: new Date(state.now()).toISOString(),
  };
  const lab = state.labs.add({ hostId: account.id, hostKind: 'labAccount', name, resourceGroup: account.resourceGroup, location: account.location, properties, provisioningState: 'Creating' });
  startWrite(req, ctx, lab, { style: 'silent', creating: true });
  return { status: 200 };
}
