import { ArmError, EMULATOR_ERROR_CODES, invalidParameter } from '../armError';
import { armIds, idKey } from '../armIds';
import { objectAt, stringAt, type JsonObject } from '../json';
import { json } from '../http/response';
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
    get: (req, ctx) => requireAccountLab(req, ctx),
    put: putAccountLab,
  }),
  { method: 'POST', pattern: `${ACCOUNT}/createLab`, operation: 'labAccounts.createLab', apiVersion: API_VERSIONS.labAccounts, handler: createLab },
];

function accountLabId(req: RoutedRequest, ctx: HandlerContext): string {
  return armIds.accountLab(accountId(req, ctx), req.params.lab ?? '');
}

export function requireAccountLab(req: RoutedRequest, ctx: HandlerContext): LabRecord {
  ctx.state.labAccounts.require(accountId(req, ctx));
  return ctx.state.labs.require(accountLabId(req, ctx));
}

/** Lab properties a PUT may set (2018-10-15 `Lab`); the rest are the service's. */
const WRITABLE_LAB_PROPERTIES = ['maxUsersInLab', 'usageQuota', 'userAccessMode'] as const;

/**
 * PUT on an existing lab of a lab account: how capacity (`maxUsersInLab`) and quota are set, since `createLab`
 * takes neither. Synchronous 200. Labs are born only through `createLab` here, so a PUT of a missing lab is a 404.
 */
function putAccountLab(req: RoutedRequest, ctx: HandlerContext) {
  const lab = requireAccountLab(req, ctx);
  if (lab.provisioningState === 'Creating') throw new ArmError(409, 'Conflict', `Lab '${lab.name}' is still being created; try again once it is ready.`);
  const properties = objectAt(bodyObject(req), 'properties') ?? {};
  const maxUsers = properties.maxUsersInLab;
  if (maxUsers !== undefined && (typeof maxUsers !== 'number' || !Number.isInteger(maxUsers) || maxUsers < 0)) {
    throw invalidParameter('properties.maxUsersInLab must be a whole number of 0 or more.', 'properties.maxUsersInLab');
  }
  for (const key of WRITABLE_LAB_PROPERTIES) {
    const value = properties[key];
    if (value !== undefined) lab.properties[key] = value;
  }
  return json(labView(lab));
}

/**
 * `createLab` answers 200 with no body before the lab is ready: the lab appears as Creating and turns
 * Succeeded after as many reads as an LRO takes polls. The image must be an enabled sharedImages item; it goes
 * to the lab's `default` environment setting, not to the lab. Capacity is not taken here (a later PUT sets it).
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
    maxUsersInLab: 0,
    usageQuota: stringAt(body, 'usageQuota') ?? stringAt(labParameters, 'userQuota') ?? 'PT10H',
    userAccessMode: 'Restricted',
    createdDate: new Date(state.now()).toISOString(),
  };
  const vmSize = stringAt(labParameters, 'vmSize') ?? 'Basic';
  const environmentSetting = state.labAccounts.environmentSettingFor(account.id, armIds.accountSharedImage(account.id, image.name), { size: vmSize });
  const lab = state.labs.add({ hostId: account.id, hostKind: 'labAccount', name, resourceGroup: account.resourceGroup, location: account.location, properties, provisioningState: 'Creating', environmentSetting });
  startWrite(req, ctx, lab, { style: 'silent', creating: true });
  return { status: 200 };
}
