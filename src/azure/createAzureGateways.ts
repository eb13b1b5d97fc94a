/**
 * azure/: the adapters over the Azure SDKs and raw ARM (lab plans, lab accounts, galleries, roles, locations,
 * Graph), their error mapping and LRO handling. The only code that imports @azure/arm-*.
 */
import type { Clock } from '../ports/clock';
import type { GalleryGateway } from '../ports/galleryGateway';
import type { LabHostGateway } from '../ports/labHostGateway';
import type { LabHostKind } from '../kernel';
import type { LocationGateway } from '../ports/locationGateway';
import type { PermissionGateway } from '../ports/permissionGateway';
import type { RoleGateway } from '../ports/roleGateway';
import type { ServicePrincipalLookup } from '../ports/servicePrincipals';
import type { ArmConnection } from './armConnection';
import { ArmGalleryGateway } from './armGalleryGateway';
import { ArmLabAccountGateway } from './armLabAccountGateway';
import { ArmLabPlanGateway } from './armLabPlanGateway';
import { ArmLocationGateway } from './armLocationGateway';
import { ArmRoleGateway } from './armRoleGateway';
import { ArmPermissionGateway } from './armPermissionGateway';
import { DispatchingLabHostGateway } from './dispatchingLabHostGateway';
import { GraphServicePrincipalLookup } from './graphServicePrincipalLookup';
import type { AdapterLogger } from './operation';

export interface AzureGateways {
  labHosts: LabHostGateway;
  galleries: GalleryGateway;
  roles: RoleGateway;
  locations: LocationGateway;
  servicePrincipals: ServicePrincipalLookup;
  /** The bot identity's own permissions (`doctor`). */
  permissions: PermissionGateway;
}

export interface AzureGatewayOptions {
  clock: Clock;
  logger?: AdapterLogger;
  /** How long the regions list is kept. Default 6 h. */
  regionsTtlMs?: number;
  /** Lab Services service principal object ids from configuration; skips the Graph lookup. */
  servicePrincipalObjectIds?: Partial<Record<LabHostKind, string>>;
}

/** Every Azure adapter, built once by the composition root. */
export function createAzureGateways(connection: ArmConnection, options: AzureGatewayOptions): AzureGateways {
  const { clock, logger } = options;
  const locations = new ArmLocationGateway(connection, clock, options.regionsTtlMs);
  return {
    labHosts: new DispatchingLabHostGateway({
      labPlan: new ArmLabPlanGateway(connection, logger),
      labAccount: new ArmLabAccountGateway(connection, logger),
    }),
    galleries: new ArmGalleryGateway(connection, locations, logger),
    roles: new ArmRoleGateway(connection),
    locations,
    servicePrincipals: new GraphServicePrincipalLookup(connection, options.servicePrincipalObjectIds),
    permissions: new ArmPermissionGateway(connection),
  };
}
