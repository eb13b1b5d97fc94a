import { ServiceClient } from '@azure/core-client';
import { AzureError, type LabHostKind } from '../kernel';
import { LAB_SERVICES_APP_IDS, type ServicePrincipalLookup } from '../ports/servicePrincipals';
import { additionalPoliciesOf, type ArmConnection } from './armConnection';
import { armCall } from './armErrors';
import { RawArmClient } from './rawArm';

/**
 * Object ids of the Lab Services service principals, from Microsoft Graph. Object ids never change, so
 * each is read once (concurrent callers share the read; a failed read is retried next time).
 * Configured object ids win and cost no call.
 */
export class GraphServicePrincipalLookup implements ServicePrincipalLookup {
  private readonly graph: RawArmClient;
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    connection: ArmConnection,
    private readonly configured: Partial<Record<LabHostKind, string>> = {},
  ) {
    const client = new ServiceClient({
      endpoint: connection.graphEndpoint,
      credential: connection.credential,
      credentialScopes: connection.graphScopes,
      ...(connection.httpClient ? { httpClient: connection.httpClient } : {}),
      ...(connection.retryOptions ? { retryOptions: connection.retryOptions } : {}),
      ...additionalPoliciesOf(connection),
    });
    this.graph = new RawArmClient(client, connection.graphEndpoint);
  }

  labServicesObjectId(kind: LabHostKind): Promise<string> {
    const configured = this.configured[kind];
    if (configured) return Promise.resolve(configured);
    const appId = LAB_SERVICES_APP_IDS[kind];
    let pending = this.cache.get(appId);
    if (!pending) {
      pending = this.read(appId);
      this.cache.set(appId, pending);
      pending.catch(() => this.cache.delete(appId));
    }
    return pending;
  }

  private async read(appId: string): Promise<string> {
    const target = `Azure Lab Services (${appId})`;
    const sp = await armCall(target, () => this.graph.send<{ id?: string }>('GET', `/v1.0/servicePrincipals(appId='${appId}')`));
    if (!sp?.id) throw new AzureError('notFound', { target });
    return sp.id;
  }
}
