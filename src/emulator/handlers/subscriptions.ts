import { armIds } from '../armIds';
import { json } from '../http/response';
import { REGIONS } from '../regions';
import type { ResourceGroupRecord } from '../state/records';
import { API_VERSIONS, type EmulatorRoute, type HandlerContext } from './context';
import { crudRoutes } from './crudRoutes';

/** Subscriptions, their locations (physical and logical, as ARM lists them) and resource groups. */
export const subscriptionRoutes: EmulatorRoute[] = [
  {
    method: 'GET',
    pattern: '/subscriptions',
    operation: 'subscriptions.list',
    apiVersion: API_VERSIONS.resources,
    handler: (_req, ctx) => json({ value: [subscriptionView(ctx)] }),
  },
  {
    method: 'GET',
    pattern: '/subscriptions/{subscriptionId}',
    operation: 'subscriptions.get',
    apiVersion: API_VERSIONS.resources,
    handler: (_req, ctx) => json(subscriptionView(ctx)),
  },
  {
    method: 'GET',
    pattern: '/subscriptions/{subscriptionId}/locations',
    operation: 'subscriptions.listLocations',
    apiVersion: API_VERSIONS.resources,
    handler: (req, ctx) => json({ value: REGIONS.map((r) => locationView(r, ctx.subscriptionId, req.apiVersion)) }),
  },
  ...crudRoutes<ResourceGroupRecord>({
    name: 'resourceGroups',
    apiVersion: API_VERSIONS.resources,
    path: '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroup}',
    view: resourceGroupView,
    lists: { list: (_req, ctx) => ctx.state.resourceGroups.list() },
    get: (req, ctx) => ctx.state.resourceGroups.require(req.params.resourceGroup ?? ''),
  }),
];

function subscriptionView(ctx: HandlerContext) {
  return {
    id: armIds.subscription(ctx.subscriptionId),
    subscriptionId: ctx.subscriptionId,
    tenantId: ctx.state.tenantId,
    displayName: 'Lab Gallery Emulator',
    state: 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
    authorizationSource: 'RoleBased',
  };
}

/** The first api-version whose locations carry `type` and `metadata.geography` (the 2022-12-01 spec). */
const GEOGRAPHY_API_VERSION = '2022-12-01';

/**
 * A location as the request's api-version has it: before 2022-12-01 (the 2019-11-01 recording) no `type` and no
 * `metadata.geography`, only `geographyGroup`. `regionalDisplayName` is "(group) name", e.g. "(US) East US",
 * "(Europe) UK South", for logical regions too.
 */
function locationView(region: (typeof REGIONS)[number], subscriptionId: string, apiVersion: string) {
  const modern = apiVersion >= GEOGRAPHY_API_VERSION;
  return {
    id: `${armIds.subscription(subscriptionId)}/locations/${region.name}`,
    name: region.name,
    ...(modern ? { type: 'Region' } : {}),
    displayName: region.displayName,
    regionalDisplayName: `(${region.geographyGroup}) ${region.displayName}`,
    metadata: {
      regionType: region.regionType,
      regionCategory: region.regionType === 'Physical' ? 'Recommended' : 'Other',
      ...(modern ? { geography: region.geography } : {}),
      geographyGroup: region.geographyGroup,
      ...(region.regionType === 'Physical'
        ? {
            longitude: region.longitude,
            latitude: region.latitude,
            physicalLocation: region.displayName,
            pairedRegion: region.pairedRegion.map((name) => ({ name, id: `${armIds.subscription(subscriptionId)}/locations/${name}` })),
          }
        : {}),
    },
  };
}

function resourceGroupView(group: ResourceGroupRecord) {
  return { id: group.id, name: group.name, type: 'Microsoft.Resources/resourceGroups', location: group.location, properties: { provisioningState: 'Succeeded' } };
}
