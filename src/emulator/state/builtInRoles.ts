import type { PermissionBlock } from '../../kernel';

/**
 * Built-in Azure role definitions the bot refers to (names and ids as Azure publishes them), with the parts
 * of their published permissions that matter here: the emulator computes the bot's effective permissions
 * from them, as ARM does.
 */
export const BUILT_IN_ROLES = {
  owner: { guid: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', roleName: 'Owner', permissions: { actions: ['*'], notActions: [] } },
  contributor: {
    guid: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    roleName: 'Contributor',
    permissions: {
      actions: ['*'],
      notActions: ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/*/Write', 'Microsoft.Authorization/elevateAccess/Action', 'Microsoft.Compute/galleries/share/action'],
    },
  },
  reader: { guid: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', roleName: 'Reader', permissions: { actions: ['*/read'], notActions: [] } },
  userAccessAdministrator: {
    guid: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    roleName: 'User Access Administrator',
    permissions: { actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'], notActions: [] },
  },
  labServicesContributor: {
    guid: 'f69b8690-cc87-41d6-b77a-a4bc3c0a966f',
    roleName: 'Lab Services Contributor',
    permissions: { actions: ['Microsoft.LabServices/*', 'Microsoft.Authorization/*/read', 'Microsoft.Resources/subscriptions/resourceGroups/read'], notActions: [] },
  },
  labServicesReader: {
    guid: '2a5c394f-5eb7-4d4f-9c8e-e8eae39faebc',
    roleName: 'Lab Services Reader',
    permissions: { actions: ['Microsoft.LabServices/*/read', 'Microsoft.Authorization/*/read'], notActions: [] },
  },
  labCreator: {
    guid: 'b97fb8bc-a8b2-4522-a38b-dd33c7e65ead',
    roleName: 'Lab Creator',
    permissions: {
      actions: ['Microsoft.LabServices/labPlans/images/read', 'Microsoft.LabServices/labPlans/read', 'Microsoft.LabServices/labPlans/saveImage/action', 'Microsoft.LabServices/labPlans/createLab/action', 'Microsoft.LabServices/labAccounts/*/read', 'Microsoft.LabServices/labAccounts/createLab/action'],
      notActions: [],
    },
  },
  labOperator: { guid: 'a36e6959-b6be-4b12-8e9f-ef4b474d304d', roleName: 'Lab Operator', permissions: { actions: ['Microsoft.LabServices/labs/read', 'Microsoft.LabServices/labPlans/images/read'], notActions: [] } },
  labContributor: { guid: '5daaa2af-1fe8-407c-9122-bba179798270', roleName: 'Lab Contributor', permissions: { actions: ['Microsoft.LabServices/labs/*', 'Microsoft.LabServices/labPlans/images/read'], notActions: [] } },
} as const;

export interface BuiltInRole {
  guid: string;
  roleName: string;
  permissions: PermissionBlock;
}

export function findBuiltInRole(guid: string): BuiltInRole | undefined {
  return Object.values(BUILT_IN_ROLES).find((r) => r.guid === guid.toLowerCase());
}

/** Application ids of the Azure Lab Services first-party apps. */
export const LAB_SERVICES_APP_IDS = {
  labPlan: 'c7bb12bf-0b39-4f7f-9171-f418ff39b76a',
  labAccount: '1a14be2a-e903-4cec-99cf-b2e209259a0f',
} as const;
