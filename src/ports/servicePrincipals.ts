import type { LabHostKind } from '../kernel';

/** Application ids of the Azure Lab Services first-party apps; their object ids differ per tenant. */
export const LAB_SERVICES_APP_IDS: Readonly<Record<LabHostKind, string>> = {
  labPlan: 'c7bb12bf-0b39-4f7f-9171-f418ff39b76a',
  labAccount: '1a14be2a-e903-4cec-99cf-b2e209259a0f',
};

export interface ServicePrincipalLookup {
  /** Entra object id of the Lab Services service principal for that kind of host. Failures are `AzureError`s. */
  labServicesObjectId(kind: LabHostKind): Promise<string>;
}
