import { arrayAt } from '../json';
import { json } from '../http/response';
import { permissionView } from '../views/authorizationViews';
import { API_VERSIONS, bodyObject, type EmulatorRoute } from './context';
import { checkedScope } from './roleAssignments';

/**
 * The caller's effective permissions at a scope (api-version 2022-04-01), and a loopback-only control that
 * takes actions away from the caller (the demo's DEMO_BOT_MISSING_PERMISSION, tests of `doctor`).
 */
export const permissionRoutes: EmulatorRoute[] = [
  {
    method: 'GET',
    pattern: '{*scope}/providers/Microsoft.Authorization/permissions',
    operation: 'permissions.listForScope',
    apiVersion: API_VERSIONS.authorization,
    handler: (req, ctx) => json({ value: ctx.state.caller.effective(checkedScope(req, ctx)).map(permissionView) }),
  },
  {
    method: 'PUT',
    pattern: '/_admin/caller/missingActions',
    operation: 'admin.callerMissingActions',
    apiVersion: 'none',
    loopbackOnly: true,
    handler: (req, ctx) => {
      const actions = arrayAt(bodyObject(req), 'actions')?.filter((a): a is string => typeof a === 'string') ?? [];
      ctx.state.caller.missingActions = actions;
      return json({ objectId: ctx.state.caller.objectId, missingActions: actions });
    },
  },
];
