import { armOperationName } from '../../src/azure/armTelemetryPolicy';

describe('armOperationName', () => {
  const SUB = 'https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000001';
  it.each([
    ['GET', `${SUB}/resourceGroups/rg/providers/Microsoft.Compute/galleries/physics/images/ubuntu/versions/1.0.0?api-version=2023`, 'GET Microsoft.Compute/galleries/images/versions'],
    ['PUT', `${SUB}/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/plan-1`, 'PUT Microsoft.LabServices/labPlans'],
    ['GET', `${SUB}/providers/Microsoft.LabServices/labPlans`, 'GET Microsoft.LabServices/labPlans'],
    ['GET', `${SUB}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/providers/Microsoft.Authorization/roleAssignments/abc`, 'GET Microsoft.Authorization/roleAssignments'],
    ['GET', `${SUB}/locations?api-version=2022`, 'GET subscriptions/locations'],
    ['GET', "https://graph.microsoft.com/v1.0/servicePrincipals?$filter=appId eq 'x'", 'GET servicePrincipals'],
    ['GET', 'not a url', 'GET unknown'],
  ])('%s %s → %s', (method, url, expected) => {
    expect(armOperationName(method, url)).toBe(expected);
  });
});
