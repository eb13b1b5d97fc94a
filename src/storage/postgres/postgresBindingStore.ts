import { ETagConflictError, type BindingKind, type BindingStore, type HostBinding, type WriteCondition } from '../../ports/stores';
import { newETag } from '../eTag';
import { toBinding, writtenBinding, type BindingRow } from '../rows';
import type { PostgresDatabase } from './postgresDatabase';

const columns = 'conversation_id, host_id, bound_by, bound_at, etag, kind';
const insert = `INSERT INTO host_bindings (${columns}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`;
const assignments = 'host_id = $2, bound_by = $3, bound_at = $4, etag = $5, kind = $6, updated_at = $7';

/**
 * As SqliteBindingStore: each conditional write is one statement whose WHERE / ON CONFLICT clause carries the
 * condition, so the row lock makes check and write one step and of two writers (instances) holding the same eTag
 * exactly one changes a row. ARM ids are matched through lower(host_id), which the index covers.
 */
export class PostgresBindingStore implements BindingStore {
  constructor(private readonly db: PostgresDatabase) {}

  async get(conversationId: string): Promise<HostBinding | undefined> {
    const { rows } = await this.db.pool.query<BindingRow>({
      name: 'bindings.selectOne',
      text: `SELECT ${columns} FROM host_bindings WHERE conversation_id = $1`,
      values: [conversationId],
    });
    const [row] = rows;
    return row && toBinding(row);
  }

  async put(binding: Omit<HostBinding, 'eTag'>, condition: WriteCondition = {}): Promise<HostBinding> {
    assertCondition(condition);
    const eTag = newETag();
    const values = [binding.conversationId, binding.hostId, binding.boundBy, binding.boundAt, eTag, binding.kind ?? 'host', this.db.clock.now()];
    const { ifMatch, ifNoneMatch } = condition;
    const statement =
      ifNoneMatch === '*'
        ? { name: 'bindings.insertIfAbsent', text: `${insert} ON CONFLICT (conversation_id) DO NOTHING`, values }
        : ifMatch === '*'
          ? { name: 'bindings.updateIfExists', text: `UPDATE host_bindings SET ${assignments} WHERE conversation_id = $1`, values }
          : ifMatch !== undefined
            ? {
                name: 'bindings.updateIfMatch',
                text: `UPDATE host_bindings SET ${assignments} WHERE conversation_id = $1 AND etag = $8`,
                values: [...values, ifMatch],
              }
            : { name: 'bindings.upsert', text: `${insert} ON CONFLICT (conversation_id) DO UPDATE SET ${assignments}`, values };
    const result = await this.db.pool.query(statement);
    if (result.rowCount === 0) throw new ETagConflictError(binding.conversationId);
    return writtenBinding(binding, eTag);
  }

  async delete(conversationId: string, condition: WriteCondition = {}): Promise<boolean> {
    assertCondition(condition);
    const { ifMatch, ifNoneMatch } = condition;
    if (ifNoneMatch === '*') {
      // "Delete only if absent" can only ever be a no-op.
      if (await this.get(conversationId)) throw new ETagConflictError(conversationId);
      return false;
    }
    const result =
      ifMatch === undefined || ifMatch === '*'
        ? await this.db.pool.query({ name: 'bindings.delete', text: 'DELETE FROM host_bindings WHERE conversation_id = $1', values: [conversationId] })
        : await this.db.pool.query({
            name: 'bindings.deleteIfMatch',
            text: 'DELETE FROM host_bindings WHERE conversation_id = $1 AND etag = $2',
            values: [conversationId, ifMatch],
          });
    const removed = (result.rowCount ?? 0) > 0;
    if (!removed && ifMatch !== undefined) throw new ETagConflictError(conversationId);
    return removed;
  }

  listByHost(hostId: string): Promise<HostBinding[]> {
    return this.listByTarget('host', hostId);
  }

  listHostIds(): Promise<string[]> {
    return this.targetIds('host');
  }

  listByGallery(galleryId: string): Promise<HostBinding[]> {
    return this.listByTarget('gallery', galleryId);
  }

  listGalleryIds(): Promise<string[]> {
    return this.targetIds('gallery');
  }

  private async listByTarget(kind: BindingKind, id: string): Promise<HostBinding[]> {
    const { rows } = await this.db.pool.query<BindingRow>({
      name: 'bindings.selectByTarget',
      text: `SELECT ${columns} FROM host_bindings WHERE kind = $1 AND lower(host_id) = lower($2) ORDER BY conversation_id`,
      values: [kind, id],
    });
    return rows.map(toBinding);
  }

  private async targetIds(kind: BindingKind): Promise<string[]> {
    // One row per host or gallery however its id was cased, as SQLite's NOCASE GROUP BY gives.
    const { rows } = await this.db.pool.query<{ host_id: string }>({
      name: 'bindings.selectTargets',
      text: 'SELECT min(host_id) AS host_id FROM host_bindings WHERE kind = $1 GROUP BY lower(host_id) ORDER BY 1',
      values: [kind],
    });
    return rows.map((r) => r.host_id);
  }
}

function assertCondition(condition: WriteCondition): void {
  if (condition.ifMatch !== undefined && condition.ifNoneMatch !== undefined) {
    throw new TypeError('WriteCondition: ifMatch and ifNoneMatch cannot be combined');
  }
}
