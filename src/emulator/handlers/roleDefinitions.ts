import { ArmError } from '../armError';
import { BUILT_IN_ROLES, findBuiltInRole, type BuiltInRole } from '../state/builtInRoles';
import { roleDefinitionView } from '../views/authorizationViews';
import { API_VERSIONS, type EmulatorRoute } from './context';
import { crudRoutes } from './crudRoutes';
import { checkedScope } from './roleAssignments';

/** The built-in role definitions the bot names (read-only). */
export const roleDefinitionRoutes: EmulatorRoute[] = crudRoutes<BuiltInRole>({
  name: 'roleDefinitions',
  apiVersion: API_VERSIONS.authorization,
  path: '{*scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}',
  view: (r, ctx) => roleDefinitionView(r, ctx.subscriptionId),
  lists: {
    list: (req, ctx) => {
      checkedScope(req, ctx);
      const wanted = req.query.get('$filter')?.match(/roleName\s+eq\s+'([^']+)'/i)?.[1]?.toLowerCase();
      return Object.values(BUILT_IN_ROLES).filter((r) => !wanted || r.roleName.toLowerCase() === wanted);
    },
  },
  get: (req, ctx) => {
    checkedScope(req, ctx);
    const role = findBuiltInRole(req.params.guid ?? '');
    if (!role) throw new ArmError(404, 'RoleDefinitionDoesNotExist', `The role definition '${req.params.guid ?? ''}' could not be found.`);
    return role;
  },
});
