import { ArmError } from '../armError';
import { armIds } from '../armIds';
import type { ResourceGroupRecord } from './records';

export class ResourceGroupStore {
  private readonly groups = new Map<string, ResourceGroupRecord>();

  constructor(private readonly subscriptionId: string) {}

  /** Idempotent: an existing group is returned as it is. */
  add(name: string, location: string): ResourceGroupRecord {
    const existing = this.get(name);
    if (existing) return existing;
    const record = { id: armIds.resourceGroup(this.subscriptionId, name), name, location };
    this.groups.set(name.toLowerCase(), record);
    return record;
  }

  get(name: string): ResourceGroupRecord | undefined {
    return this.groups.get(name.toLowerCase());
  }

  require(name: string): ResourceGroupRecord {
    const group = this.get(name);
    if (!group) throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
    return group;
  }

  list(): ResourceGroupRecord[] {
    return [...this.groups.values()];
  }
}
