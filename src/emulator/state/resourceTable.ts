import type { ArmError } from '../armError';
import { idKey } from '../armIds';

/** Records by ARM id, compared case-insensitively as ARM does; `require` throws the type's own 404. */
export class ResourceTable<R extends { id: string }> {
  private readonly byId = new Map<string, R>();

  constructor(private readonly notFound: (id: string) => ArmError) {}

  add(record: R): R {
    this.byId.set(idKey(record.id), record);
    return record;
  }

  get(id: string): R | undefined {
    return this.byId.get(idKey(id));
  }

  require(id: string): R {
    const record = this.get(id);
    if (!record) throw this.notFound(id);
    return record;
  }

  delete(id: string): boolean {
    return this.byId.delete(idKey(id));
  }

  /** In insertion order, optionally filtered. */
  list(keep: (record: R) => boolean = () => true): R[] {
    return [...this.byId.values()].filter(keep);
  }
}

/** Filter for lists that may be narrowed to one resource group (no group: all). */
export function inResourceGroup(resourceGroup: string | undefined): (record: { resourceGroup: string }) => boolean {
  return (record) => !resourceGroup || record.resourceGroup.toLowerCase() === resourceGroup.toLowerCase();
}
