import type { PermissionBlock } from '../kernel';

/** The bot identity's own Azure RBAC permissions. Failures are `AzureError`s. */
export interface PermissionGateway {
  /**
   * Its effective permissions at a resource or resource group id (one block per role it holds there or above),
   * as ARM's `…/providers/Microsoft.Authorization/permissions` reports them.
   */
  listForScope(scope: string): Promise<PermissionBlock[]>;
}
