import { ArmError, resourceNotFound } from '../armError';
import { armIds, lastSegment, sameId } from '../armIds';
import type { JsonObject } from '../json';
import type { LabRecord, ProvisioningState } from './records';
import { ResourceTable, inResourceGroup } from './resourceTable';

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
  environmentSetting?: LabRecord['environmentSetting'];
}

export class LabStore {
  private readonly labs = new ResourceTable<LabRecord>((id) => resourceNotFound('Microsoft.LabServices/labs', lastSegment(id)));

  constructor(
    private readonly subscriptionId: string,
    private readonly now: () => number,
  ) {}

  add(input: NewLab): LabRecord {
    const id = input.hostKind === 'labPlan' ? armIds.lab(this.subscriptionId, input.resourceGroup, input.name) : armIds.accountLab(input.hostId, input.name);
    if (this.labs.get(id)) throw new ArmError(409, 'Conflict', `A lab named '${input.name}' already exists.`);
    return this.labs.add({
      id,
      name: input.name,
      hostId: input.hostId,
      hostKind: input.hostKind,
      resourceGroup: input.resourceGroup,
      location: input.location,
      provisioningState: input.provisioningState ?? 'Succeeded',
      properties: input.properties ?? {},
      createdAt: this.now(),
      ...(input.environmentSetting ? { environmentSetting: input.environmentSetting } : {}),
    });
  }

  get(id: string): LabRecord | undefined {
    return this.labs.get(id);
  }

  require(id: string): LabRecord {
    return this.labs.require(id);
  }

  remove(id: string): boolean {
    return this.labs.delete(id);
  }

  /** Lab plan labs (optionally of one resource group), or one lab account's labs. */
  list(filter: { hostKind: 'labPlan'; resourceGroup?: string } | { hostKind: 'labAccount'; hostId: string }): LabRecord[] {
    if (filter.hostKind === 'labAccount') return this.labs.list((l) => l.hostKind === 'labAccount' && sameId(l.hostId, filter.hostId));
    const inGroup = inResourceGroup(filter.resourceGroup);
    return this.labs.list((l) => l.hostKind === 'labPlan' && inGroup(l));
  }
}
