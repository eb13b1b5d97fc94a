import { ArmError } from '../armError';
import { json } from '../http/response';
import { BUILT_IN_ROLES, findBuiltInRole } from '../state/builtInRoles';
import { roleDefinitionView } from '../views/authorizationViews';
import { API_VERSIONS, page, type EmulatorRoute } from './context';
import { checkedScope } from './roleAssignments';

const DEFINITIONS = '{*scope}/providers/Microsoft.Authorization/roleDefinitions';

/** The built-in role definitions the bot names (read-only). */
export const roleDefinitionRoutes: EmulatorRoute[] = [
  {
    method: 'GET',
    pattern: DEFINITIONS,
    operation: 'roleDefinitions.list',
    apiVersion: API_VERSIONS.authorization,
    handler: (req, ctx) => {
      checkedScope(req, ctx);
      const wanted = req.query.get('$filter')?.match(/roleName\s+eq\s+'([^']+)'/i)?.[1]?.toLowerCase();
      const roles = Object.values(BUILT_IN_ROLES).filter((r) => !wanted || r.roleName.toLowerCase() === wanted);
      return json(page(req, ctx, roles.map((r) => roleDefinitionView(r, ctx.subscriptionId))));
    },
  },
  {
    method: 'GET',
    pattern: `${DEFINITIONS}/{guid}`,
    operation: 'roleDefinitions.get',
    apiVersion: API_VERSIONS.authorization,
    handler: (req, ctx) => {
      checkedScope(req, ctx);
      const role = findBuiltInRole(req.params.guid ?? '');
      if (!role) throw new ArmError(404, 'RoleDefinitionDoesNotExist', `The role definition '${req.params.guid ?? ''}' could not be found.`);
      return json(roleDefinitionView(role, ctx.subscriptionId));
    },
  },
];
