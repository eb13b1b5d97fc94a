import type { Clock } from '../../src/ports/clock';
import type { NewOperation, OperationRecord, OperationStore, OperationUpdate } from '../../src/ports/operations';
import { ETagConflictError } from '../../src/ports/stores';

/**
 * Hand-written in-memory OperationStore for unit tests, with the contract of the real ones: conditional
 * updates on a fresh eTag per write, copies in and out (callers never share a record with the store),
 * `listUnfinished` oldest first, host ids compared case-insensitively.
 */
export class MemoryOperationStore implements OperationStore {
  private readonly records = new Map<string, OperationRecord>();
  private sequence = 0;
  /** Every successful update, in order: tests assert on what was persisted and when. */
  readonly updates: { id: string; update: OperationUpdate }[] = [];
  /** Called before each update is applied; a test throws from it to simulate a crash or an outage. */
  beforeUpdate?: (id: string, update: OperationUpdate) => void;

  constructor(private readonly clock: Clock) {}

  async create(operation: NewOperation): Promise<OperationRecord> {
    if (this.records.has(operation.id)) throw new ETagConflictError(`operation ${operation.id}`);
    const now = this.clock.now();
    const record: OperationRecord = {
      ...structuredClone(operation),
      status: 'running',
      step: '',
      progress: {},
      attempts: 0,
      createdAt: now,
      updatedAt: now,
      eTag: this.nextETag(),
    };
    this.records.set(record.id, record);
    return structuredClone(record);
  }

  async get(id: string): Promise<OperationRecord | undefined> {
    const record = this.records.get(id);
    return record ? structuredClone(record) : undefined;
  }

  async update(id: string, eTag: string, update: OperationUpdate): Promise<OperationRecord> {
    const current = this.records.get(id);
    if (!current || current.eTag !== eTag) throw new ETagConflictError(`operation ${id}`);
    this.beforeUpdate?.(id, update);
    const next: OperationRecord = { ...current, ...structuredClone(update), updatedAt: this.clock.now(), eTag: this.nextETag() };
    this.records.set(id, next);
    this.updates.push({ id, update: structuredClone(update) });
    return structuredClone(next);
  }

  async listUnfinished(): Promise<OperationRecord[]> {
    return [...this.records.values()]
      .filter((r) => r.status === 'running' || r.reportedAt === undefined)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((r) => structuredClone(r));
  }

  async runningOnHost(hostId: string): Promise<OperationRecord | undefined> {
    const wanted = hostId.toLowerCase();
    const found = [...this.records.values()].find((r) => r.status === 'running' && r.hostId.toLowerCase() === wanted);
    return found ? structuredClone(found) : undefined;
  }

  /** Test-only: every record, in creation order. */
  all(): OperationRecord[] {
    return [...this.records.values()].map((r) => structuredClone(r));
  }

  private nextETag(): string {
    this.sequence += 1;
    return `"m${this.sequence}"`;
  }
}
