import { ArmError, resourceNotFound } from '../armError';
import { armIds, idKey, lastSegment, sameId } from '../armIds';
import type { JsonObject } from '../json';
import type { LabRecord, ProvisioningState } from './records';

export interface NewLab {
  /** The lab plan or lab account the lab belongs to. */
  hostId: string;
  hostKind: 'labPlan' | 'labAccount';
  name: string;
  /** For lab plans' labs (top-level resources); lab accounts' labs live under the account. */
  resourceGroup: string;
  location: string;
  properties?: JsonObject;
  provisioningState?: ProvisioningState;
}

export class LabStore {
  private readonly labs = new Map<string, LabRecord>();

  constructor(
    private readonly subscriptionId: string,
    private readonly now: () => number,
  ) {}

  add(input: NewLab): LabRecord {
    const id = input.hostKind === 'labPlan' ? armIds.lab(this.subscriptionId, input.resourceGroup, input.name) : armIds.accountLab(input.hostId, input.name);
    if (this.labs.has(idKey(id))) throw new ArmError(409, 'Conflict', `A lab named '${input.name}' already exists.`);
    const record: LabRecord = {
      id,
      name: input.name,
      hostId: input.hostId,
      hostKind: input.hostKind,
      resourceGroup: input.resourceGroup,
      location: input.location,
      provisioningState: input.provisioningState ?? 'Succeeded',
      properties: input.properties ?? {},
      createdAt: this.now(),
    };
    this.labs.set(idKey(id), record);
    return record;
  }

  get(id: string): LabRecord | undefined {
    return this.labs.get(idKey(id));
  }

  require(id: string): LabRecord {
    const lab = this.get(id);
    if (!lab) throw resourceNotFound('Microsoft.LabServices/labs', lastSegment(id));
    return lab;
  }

  remove(id: string): boolean {
    return this.labs.delete(idKey(id));
  }

  /** Lab plan labs (optionally of one resource group), or one lab account's labs. */
  list(filter: { hostKind: 'labPlan'; resourceGroup?: string } | { hostKind: 'labAccount'; hostId: string }): LabRecord[] {
    return [...this.labs.values()].filter((l) => {
      if (l.hostKind !== filter.hostKind) return false;
      if (filter.hostKind === 'labAccount') return sameId(l.hostId, filter.hostId);
      return !filter.resourceGroup || l.resourceGroup.toLowerCase() === filter.resourceGroup.toLowerCase();
    });
  }
}
