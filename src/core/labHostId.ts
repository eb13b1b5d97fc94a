import type { LabHostKind } from '../ports/labHostGateway';

export type { LabHostKind };

export interface LabHostRef {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  kind: LabHostKind;
  name: string;
}

const HOST_ID =
  /^\/+subscriptions\/([0-9a-f-]{36})\/resourcegroups\/([-\w.()]{1,90})\/providers\/microsoft\.labservices\/(labplans|labaccounts)\/([-\w.]{1,100})\/?$/i;

/** Parses the ARM id of a lab plan or lab account; anything else (including child resources) is undefined. */
export function parseLabHostId(value: string): LabHostRef | undefined {
  const m = HOST_ID.exec(value.trim());
  if (!m) return undefined;
  const [, subscriptionId = '', resourceGroup = '', type = '', name = ''] = m;
  const kind: LabHostKind = type.toLowerCase() === 'labplans' ? 'labPlan' : 'labAccount';
  const typeSegment = kind === 'labPlan' ? 'labPlans' : 'labAccounts';
  return {
    id: `/subscriptions/${subscriptionId.toLowerCase()}/resourceGroups/${resourceGroup}/providers/Microsoft.LabServices/${typeSegment}/${name}`,
    subscriptionId: subscriptionId.toLowerCase(),
    resourceGroup,
    kind,
    name,
  };
}

/** ARM ids compare case-insensitively. */
export function sameArmId(a: string, b: string): boolean {
  return a.replace(/^\/+/, '').toLowerCase() === b.replace(/^\/+/, '').toLowerCase();
}

export function lastSegment(id: string): string {
  const parts = id.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? id;
}
