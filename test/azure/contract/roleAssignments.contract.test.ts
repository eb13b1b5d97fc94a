import type { ArmConnection } from '../../../src/azure/armConnection';
import { ArmRoleGateway } from '../../../src/azure/armRoleGateway';
import { loadRecording, startArmReplay, type RecordedExchange } from '../../support/armReplay';

/**
 * ArmRoleGateway against role-assignments.json (azure-cli 2020 + azure-powershell 2023 recordings).
 *
 * Declared deviations: our SDK (@azure/arm-authorization 9) sends api-version 2022-04-01 where the recordings
 * used 2020-04-01-preview and 2020-08-01-preview (ARM serves all three with the same shapes); we always send
 * `principalType` (the CLI of 2020 did not; the 2023 PowerShell did); the .NET client's `//subscriptions`
 * double slash is read as one (ARM accepted both).
 * Not replayed: entry 0, the role-definition lookup by `roleName` — the bot names built-in role GUIDs and never
 * looks a role up by name.
 */
const recording = loadRecording('role-assignments.json');
const API_VERSIONS = { '2020-04-01-preview': '2022-04-01', '2020-08-01-preview': '2022-04-01' };
const IGNORE = ['properties.principalType:string'];

const SUB = '/subscriptions/00000000-0000-0000-0000-00000000000a';
const RG = `${SUB}/resourceGroups/cli_role_assign000001`;
const USER = '00000000-0000-0000-0000-00000000000d';
const SP = '00000000-0000-0000-0000-000000000010';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const RECORDED_ROLE = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';

function exchange(index: number): RecordedExchange {
  const e = recording[index];
  if (!e) throw new Error(`role-assignments.json has no entry ${index}`);
  return { ...e, url: e.url.replace('management.azure.com//', 'management.azure.com/') };
}

/** Assignment names are fresh GUIDs: the gateway is given the recorded ones, in order. */
function gatewayWithNames(connection: ArmConnection, ...names: string[]): ArmRoleGateway {
  return new ArmRoleGateway(connection, () => names.shift() ?? 'no-more-names');
}

async function replay(exchanges: RecordedExchange[], run: (gateway: (...names: string[]) => ArmRoleGateway) => Promise<void>): Promise<void> {
  const server = await startArmReplay(exchanges, { apiVersions: API_VERSIONS, ignoreBodyPaths: IGNORE });
  try {
    await run((...names) => gatewayWithNames(server.connection, ...names));
    expect(server.mismatches()).toEqual([]);
    expect(server.unserved()).toEqual([]);
  } finally {
    await server.close();
  }
}

describe('ArmRoleGateway against the role-assignments recording', () => {
  it('PUT → 201: a new assignment at a resource group', async () => {
    await replay([exchange(1)], async (gateway) => {
      const granted = await gateway('88888888-0000-0000-0000-000000000001').grant(RG, USER, CONTRIBUTOR, 'User');
      expect(granted).toMatchObject({ created: true, assignment: { scope: RG, principalId: USER, roleDefinitionGuid: CONTRIBUTOR, principalType: 'User' } });
    });
  });

  it.each([
    ['as recorded in 2020', undefined],
    ['with the wording of 2025 (the existing id appended)', 'The role assignment already exists. The ID of the existing role assignment is 88888888000000000000000000000001.'],
  ])('PUT → 409 RoleAssignmentExists is success, matched on the code (%s)', async (_, message) => {
    const conflict = exchange(2);
    const body = message ? { error: { code: 'RoleAssignmentExists', message } } : conflict.responseBody;
    // The gateway then reads the existing assignment back. Not recorded after a 409: the answer is the recorded
    // atScope() list (entry 3) narrowed to the user, as a principalId filter returns it.
    const atScope = exchange(3);
    const lookup: RecordedExchange = {
      method: 'GET',
      url: `https://management.azure.com${RG}/providers/Microsoft.Authorization/roleAssignments?$filter=principalId%20eq%20'${USER}'&api-version=2020-04-01-preview`,
      status: 200,
      responseHeaders: atScope.responseHeaders ?? {},
      responseBody: { value: (atScope.responseBody as { value: { properties: { principalId: string } }[] }).value.filter((a) => a.properties.principalId === USER) },
    };
    await replay([{ ...conflict, responseBody: body }, lookup], async (gateway) => {
      const granted = await gateway('88888888-0000-0000-0000-000000000002').grant(RG, USER, CONTRIBUTOR, 'User');
      expect(granted.created).toBe(false);
      expect(granted.assignment?.id).toMatch(/roleAssignments\/88888888-0000-0000-0000-000000000001$/);
    });
  });

  it('atScope(): the resource group, the subscription above it and the root', async () => {
    await replay([exchange(3)], async (gateway) => {
      const listed = await gateway().listAssignments(RG);
      expect(listed).toHaveLength(7);
      expect(new Set(listed.map((a) => a.scope))).toEqual(new Set([RG, SUB, '/']));
      expect(listed.find((a) => a.scope === '/')?.id).toMatch(/^\/providers\/Microsoft\.Authorization\/roleAssignments\//);
    });
  });

  it('PUT at a subscription, principalId list (at, above and below), DELETE → 200 with the assignment', async () => {
    await replay([exchange(4), exchange(5), exchange(6)], async (gateway) => {
      const roles = gateway('238799bf-1593-45d7-a90d-f30dbceb3b79');
      const granted = await roles.grant(SUB, SP, RECORDED_ROLE, 'ServicePrincipal');
      expect(granted).toMatchObject({ created: true, assignment: { scope: SUB, principalType: 'ServicePrincipal' } });
      const mine = await roles.listForPrincipal(SUB, SP);
      expect(mine.map((a) => a.scope)).toEqual([`${SUB}/resourceGroups/AzureAuthzSDK`, SUB, '/']);
      await roles.revoke(granted.assignment?.id ?? '');
    });
  });
});
