import { isPermitted, resourceOfScope, type PermissionBlock } from '../../kernel';
import { ArmError } from '../armError';
import { normalizeId } from '../armIds';
import type { RoleStore } from './roleStore';

export interface CallerPrincipalOptions {
  /** Object id of the principal behind the emulator's static token (the bot). */
  objectId?: string;
  /** Its application (client) id, as ARM's 403 names it. */
  clientId?: string;
  /**
   * Actions taken away from it on every scope (ARM wildcards allowed), e.g.
   * `Microsoft.Authorization/roleAssignments/write`: what the demo's DEMO_BOT_MISSING_PERMISSION sets.
   */
  missingActions?: readonly string[];
}

export const DEFAULT_CALLER = {
  objectId: '00000000-0000-0000-0000-0000000000b0',
  clientId: '00000000-0000-0000-0000-0000000000b1',
} as const;

const IMPLICIT_OWNER: PermissionBlock = { actions: ['*'], notActions: [] };

/**
 * Who calls the emulator: one principal, the bot (every bearer token is the emulator's static one). Its
 * permissions come from its role assignments in the role store; with none at all it is Owner everywhere,
 * so that tests that never mention it see the emulator as before. `missingActions` are removed from every role.
 */
export class CallerPermissions {
  readonly objectId: string;
  readonly clientId: string;
  missingActions: readonly string[];

  constructor(
    private readonly roles: RoleStore,
    options: CallerPrincipalOptions = {},
  ) {
    this.objectId = options.objectId ?? DEFAULT_CALLER.objectId;
    this.clientId = options.clientId ?? DEFAULT_CALLER.clientId;
    this.missingActions = options.missingActions ?? [];
  }

  /** What `…/providers/Microsoft.Authorization/permissions` answers at the scope: one block per role held there or above. */
  effective(scope: string): PermissionBlock[] {
    const held = this.roles.all().some((a) => a.principalId.toLowerCase() === this.objectId.toLowerCase());
    const blocks = held ? this.roles.permissionsOf(this.objectId, resourceOfScope(normalizeId(scope)) || '/') : [IMPLICIT_OWNER];
    if (this.missingActions.length === 0) return blocks;
    return blocks.map((b) => ({ ...b, notActions: [...b.notActions, ...this.missingActions] }));
  }

  /** 403 AuthorizationFailed, worded as ARM words it, unless the caller may perform the action over the scope. */
  authorize(action: string, scope: string): void {
    if (isPermitted(this.effective(scope), action)) return;
    throw new ArmError(
      403,
      'AuthorizationFailed',
      `The client '${this.clientId}' with object id '${this.objectId}' does not have authorization to perform action '${action}' over scope '${normalizeId(scope)}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  }
}

/**
 * The RBAC action of a mutating ARM request and the scope ARM names in its 403: `PUT|PATCH` → `…/write`,
 * `DELETE` → `…/delete`, `POST …/{name}` → `…/{name}/action`. Undefined for reads and for paths outside ARM's
 * provider layout (reads are not enforced: the emulator's polls and lists stay open).
 */
export function actionOfRequest(method: string, segments: readonly string[]): { action: string; scope: string } | undefined {
  const verb = method === 'PUT' || method === 'PATCH' ? 'write' : method === 'DELETE' ? 'delete' : method === 'POST' ? 'action' : undefined;
  if (!verb) return undefined;
  const path = `/${segments.join('/')}`;
  let at = -1;
  for (let i = segments.length - 2; i >= 0; i--) {
    if (segments[i]?.toLowerCase() === 'providers') {
      at = i;
      break;
    }
  }
  const namespace = at >= 0 ? segments[at + 1] : 'Microsoft.Resources';
  const rest = at >= 0 ? segments.slice(at + 2) : segments;
  if (!namespace || rest.length === 0) return undefined;
  // Type/name pairs; with POST, a trailing odd segment is the action's name.
  const types = rest.filter((_, i) => i % 2 === 0);
  if (verb === 'action') {
    if (rest.length % 2 === 0) return undefined;
    const name = types.pop();
    return { action: `${namespace}/${[...types, name].join('/')}/action`, scope: path.slice(0, path.length - (name?.length ?? 0) - 1) };
  }
  if (rest.length % 2 !== 0) return undefined;
  return { action: `${namespace}/${types.join('/')}/${verb}`, scope: path };
}
