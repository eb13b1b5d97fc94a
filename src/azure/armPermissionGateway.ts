import { AuthorizationManagementClient, type Permission } from '@azure/arm-authorization';
import { lastSegment, subscriptionIdOf, type PermissionBlock } from '../kernel';
import type { PermissionGateway } from '../ports/permissionGateway';
import { classicClientOptions, type ArmConnection } from './armConnection';
import { armCall } from './armErrors';
import { collect } from './mapping';

const RESOURCE = /^\/*subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/(.+)$/i;
const RESOURCE_GROUP = /^\/*subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/*$/i;

/**
 * The caller's own permissions through @azure/arm-authorization (`permissions`, api-version 2022-04-01):
 * `GET {scope}/providers/Microsoft.Authorization/permissions` for a resource group or a resource in the
 * connection's subscription. No recording covers this call; its shape is the spec's.
 */
export class ArmPermissionGateway implements PermissionGateway {
  /** One client per subscription: a gallery may sit in another subscription than its lab plan. */
  private readonly clients = new Map<string, AuthorizationManagementClient>();

  constructor(private readonly connection: ArmConnection) {}

  async listForScope(scope: string): Promise<PermissionBlock[]> {
    const client = this.clientFor(subscriptionIdOf(scope) ?? this.connection.subscriptionId);
    const group = RESOURCE_GROUP.exec(scope);
    if (group?.[1]) {
      const rg = group[1];
      return (await armCall(rg, () => collect(client.permissions.listForResourceGroup(rg)))).map(toBlock);
    }
    const resource = RESOURCE.exec(scope.replace(/\/+$/, ''));
    const [rg, namespace, rest] = [resource?.[1], resource?.[2], resource?.[3]];
    const parts = rest?.split('/') ?? [];
    if (!rg || !namespace || parts.length < 2 || parts.length % 2 !== 0) throw new TypeError(`not a resource group or resource id: ${scope}`);
    // The last type/name pair is the resource; the pairs before it are its parent path.
    const [type, name] = parts.slice(-2) as [string, string];
    const parent = parts.slice(0, -2).join('/');
    return (await armCall(lastSegment(scope), () => collect(client.permissions.listForResource(rg, namespace, parent, type, name)))).map(toBlock);
  }

  private clientFor(subscriptionId: string): AuthorizationManagementClient {
    const key = subscriptionId.toLowerCase();
    let client = this.clients.get(key);
    if (!client) {
      client = new AuthorizationManagementClient(this.connection.credential, subscriptionId, classicClientOptions(this.connection));
      this.clients.set(key, client);
    }
    return client;
  }
}

function toBlock(p: Permission): PermissionBlock {
  return { actions: p.actions ?? [], notActions: p.notActions ?? [], dataActions: p.dataActions ?? [], notDataActions: p.notDataActions ?? [] };
}
