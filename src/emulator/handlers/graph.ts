import { ArmError } from '../armError';
import { json } from '../http/response';
import type { ServicePrincipalRecord } from '../state/records';
import type { EmulatorRoute } from './context';

/** The little of Microsoft Graph the bot reads: service principals by app id. */
export const graphRoutes: EmulatorRoute[] = [
  {
    method: 'GET',
    pattern: '/v1.0/{resource}',
    operation: 'graph.servicePrincipals',
    apiVersion: 'none',
    handler: (req, ctx) => {
      const resource = req.params.resource ?? '';
      const byAppId = resource.match(/^servicePrincipals\(appId='([^']+)'\)$/i);
      if (byAppId?.[1]) {
        const sp = ctx.state.roles.servicePrincipal(byAppId[1]);
        if (!sp) throw new ArmError(404, 'Request_ResourceNotFound', `Resource '${byAppId[1]}' does not exist or one of its queried reference-property objects are not present.`);
        return json({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity', ...servicePrincipalView(sp) });
      }
      if (resource.toLowerCase() === 'serviceprincipals') {
        const appId = req.query.get('$filter')?.match(/appId\s+eq\s+'([^']+)'/i)?.[1];
        const sp = appId ? ctx.state.roles.servicePrincipal(appId) : undefined;
        return json({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals', value: sp ? [servicePrincipalView(sp)] : [] });
      }
      throw new ArmError(400, 'BadRequest', `Resource not found for the segment '${resource}'.`);
    },
  },
];

function servicePrincipalView(sp: ServicePrincipalRecord) {
  return { id: sp.objectId, appId: sp.appId, displayName: sp.displayName, servicePrincipalType: 'Application' };
}
