/** Built-in Azure role definitions the bot refers to (names and ids as Azure publishes them). */
export const BUILT_IN_ROLES = {
  owner: { guid: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', roleName: 'Owner' },
  contributor: { guid: 'b24988ac-6180-42a0-ab88-20f7382dd24c', roleName: 'Contributor' },
  reader: { guid: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', roleName: 'Reader' },
  labServicesContributor: { guid: 'f69b8690-cc87-41d6-b77a-a4bc3c0a966f', roleName: 'Lab Services Contributor' },
  labServicesReader: { guid: '2a5c394f-5eb7-4d4f-9c8e-e8eae39faebc', roleName: 'Lab Services Reader' },
  labCreator: { guid: 'b97fb8bc-a8b2-4522-a38b-dd33c7e65ead', roleName: 'Lab Creator' },
  labOperator: { guid: 'a36e6959-b6be-4b12-8e9f-ef4b474d304d', roleName: 'Lab Operator' },
  labContributor: { guid: '5daaa2af-1fe8-407c-9122-bba179798270', roleName: 'Lab Contributor' },
} as const;

export interface BuiltInRole {
  guid: string;
  roleName: string;
}

export function findBuiltInRole(guid: string): BuiltInRole | undefined {
  return Object.values(BUILT_IN_ROLES).find((r) => r.guid === guid.toLowerCase());
}

/** Application ids of the Azure Lab Services first-party apps. */
export const LAB_SERVICES_APP_IDS = {
  labPlan: 'c7bb12bf-0b39-4f7f-9171-f418ff39b76a',
  labAccount: '1a14be2a-e903-4cec-99cf-b2e209259a0f',
} as const;
