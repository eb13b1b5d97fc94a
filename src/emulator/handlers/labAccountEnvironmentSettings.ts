import { resourceNotFound } from '../armError';
import { json } from '../http/response';
import type { JsonObject } from '../json';
import type { LabRecord } from '../state/records';
import { API_VERSIONS, page, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { ACCOUNT, requireAccountLab } from './labAccounts';

const SETTINGS = `${ACCOUNT}/labs/{lab}/environmentsettings`;

/**
 * The environment settings (templates) of lab accounts' labs, api 2018-10-15: where such a lab's image is
 * (`properties.resourceSettings.galleryImageResourceId`). One per lab, named `default`, made by `createLab`;
 * read-only here. No recording exists: the shape follows the 2018-10-15 REST spec.
 */
export const labAccountEnvironmentSettingRoutes: EmulatorRoute[] = [
  {
    method: 'GET',
    pattern: SETTINGS,
    operation: 'labAccountEnvironmentSettings.list',
    apiVersion: API_VERSIONS.labAccounts,
    handler: (req, ctx) => {
      const lab = requireAccountLab(req, ctx);
      return json(page(req, ctx, lab.environmentSetting ? [environmentSettingView(lab)] : []));
    },
  },
  {
    method: 'GET',
    pattern: `${SETTINGS}/{environmentSetting}`,
    operation: 'labAccountEnvironmentSettings.get',
    apiVersion: API_VERSIONS.labAccounts,
    handler: (req, ctx) => json(environmentSettingView(requireSetting(req, ctx))),
  },
];

function requireSetting(req: RoutedRequest, ctx: HandlerContext): LabRecord {
  const lab = requireAccountLab(req, ctx);
  const wanted = req.params.environmentSetting ?? '';
  if (!lab.environmentSetting || lab.environmentSetting.name.toLowerCase() !== wanted.toLowerCase()) {
    throw resourceNotFound('Microsoft.LabServices/labaccounts/labs/environmentsettings', `${lab.name}/${wanted}`);
  }
  return lab;
}

/** The setting follows its lab's provisioning (it is created with it). */
export function environmentSettingView(lab: LabRecord): JsonObject {
  const setting = lab.environmentSetting ?? { name: 'default', resourceSettings: {} };
  return {
    id: `${lab.id}/environmentsettings/${setting.name}`,
    name: setting.name,
    type: 'Microsoft.LabServices/labaccounts/labs/environmentsettings',
    location: lab.location,
    properties: {
      configurationState: 'NotApplicable',
      title: typeof lab.properties.title === 'string' ? lab.properties.title : lab.name,
      resourceSettings: { ...setting.resourceSettings },
      publishingState: 'Draft',
      provisioningState: lab.provisioningState,
    },
  };
}
