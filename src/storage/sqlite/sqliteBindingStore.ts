import { ETagConflictError, type BindingKind, type BindingStore, type HostBinding, type WriteCondition } from '../../ports/stores';
import { newETag } from '../eTag';
import { toBinding, writtenBinding, type BindingRow } from '../rows';
import type { SqliteDatabase } from './sqliteDatabase';
import { prepareAll, sql } from './statements';

interface BindingParams {
  conversationId: string;
  hostId: string;
  boundBy: string;
  boundAt: number;
  eTag: string;
  updatedAt: number;
  kind: BindingKind;
}

const columns = 'conversation_id, host_id, bound_by, bound_at, etag, kind';
const values = '@conversationId, @hostId, @boundBy, @boundAt, @eTag, @kind, @updatedAt';
const assignments =
  'host_id = @hostId, bound_by = @boundBy, bound_at = @boundAt, etag = @eTag, kind = @kind, updated_at = @updatedAt';

/**
 * Each conditional write is a single statement whose WHERE / ON CONFLICT clause carries the condition,
 * so SQLite's write lock makes the check and the write one step: of two writers holding the same eTag,
 * exactly one changes a row and the other sees zero changes and gets ETagConflictError.
 * `listByHost` and `listByGallery` match ARM ids case-insensitively.
 */
export class SqliteBindingStore implements BindingStore {
  private readonly sql;

  constructor(private readonly db: SqliteDatabase) {
    this.sql = prepareAll(db.connection, {
      selectOne: sql<[string], BindingRow>(
        `SELECT ${columns} FROM host_bindings WHERE conversation_id = ?`,
      ),
      selectByTarget: sql<[BindingKind, string], BindingRow>(
        `SELECT ${columns} FROM host_bindings WHERE kind = ? AND host_id = ? ORDER BY conversation_id`,
      ),
      // GROUP BY with the column's NOCASE collation: one row per host or gallery however its id was cased.
      selectTargets: sql<[BindingKind], { host_id: string }>('SELECT MIN(host_id) AS host_id FROM host_bindings WHERE kind = ? GROUP BY host_id ORDER BY 1'),
      upsert: sql<BindingParams>(
        `INSERT INTO host_bindings (${columns}, updated_at) VALUES (${values})
         ON CONFLICT (conversation_id) DO UPDATE SET ${assignments}`,
      ),
      insertIfAbsent: sql<BindingParams>(
        `INSERT INTO host_bindings (${columns}, updated_at) VALUES (${values})
         ON CONFLICT (conversation_id) DO NOTHING`,
      ),
      updateIfExists: sql<BindingParams>(
        `UPDATE host_bindings SET ${assignments} WHERE conversation_id = @conversationId`,
      ),
      updateIfMatch: sql<BindingParams & { ifMatch: string }>(
        `UPDATE host_bindings SET ${assignments} WHERE conversation_id = @conversationId AND etag = @ifMatch`,
      ),
      deleteAny: sql<[string]>('DELETE FROM host_bindings WHERE conversation_id = ?'),
      deleteIfMatch: sql<[string, string]>(
        'DELETE FROM host_bindings WHERE conversation_id = ? AND etag = ?',
      ),
    });
  }

  async get(conversationId: string): Promise<HostBinding | undefined> {
    const row = this.sql.selectOne.get(conversationId);
    return row && toBinding(row);
  }

  async put(binding: Omit<HostBinding, 'eTag'>, condition: WriteCondition = {}): Promise<HostBinding> {
    assertCondition(condition);
    const params: BindingParams = {
      conversationId: binding.conversationId,
      hostId: binding.hostId,
      boundBy: binding.boundBy,
      boundAt: binding.boundAt,
      eTag: newETag(),
      updatedAt: this.db.clock.now(),
      kind: binding.kind ?? 'host',
    };
    const { ifMatch, ifNoneMatch } = condition;
    const changed =
      ifNoneMatch === '*'
        ? this.sql.insertIfAbsent.run(params).changes
        : ifMatch === '*'
          ? this.sql.updateIfExists.run(params).changes
          : ifMatch !== undefined
            ? this.sql.updateIfMatch.run({ ...params, ifMatch }).changes
            : this.sql.upsert.run(params).changes;
    if (changed === 0) throw new ETagConflictError(binding.conversationId);
    return writtenBinding(binding, params.eTag);
  }

  async delete(conversationId: string, condition: WriteCondition = {}): Promise<boolean> {
    assertCondition(condition);
    const { ifMatch, ifNoneMatch } = condition;
    if (ifNoneMatch === '*') {
      // "Delete only if absent" can only ever be a no-op.
      if (this.sql.selectOne.get(conversationId)) throw new ETagConflictError(conversationId);
      return false;
    }
    if (ifMatch === undefined) return this.sql.deleteAny.run(conversationId).changes > 0;
    const changed =
      ifMatch === '*'
        ? this.sql.deleteAny.run(conversationId).changes
        : this.sql.deleteIfMatch.run(conversationId, ifMatch).changes;
    if (changed === 0) throw new ETagConflictError(conversationId);
    return true;
  }

  async listByHost(hostId: string): Promise<HostBinding[]> {
    return this.sql.selectByTarget.all('host', hostId).map(toBinding);
  }

  async listHostIds(): Promise<string[]> {
    return this.sql.selectTargets.all('host').map((r) => r.host_id);
  }

  async listByGallery(galleryId: string): Promise<HostBinding[]> {
    return this.sql.selectByTarget.all('gallery', galleryId).map(toBinding);
  }

  async listGalleryIds(): Promise<string[]> {
    return this.sql.selectTargets.all('gallery').map((r) => r.host_id);
  }
}

function assertCondition(condition: WriteCondition): void {
  if (condition.ifMatch !== undefined && condition.ifNoneMatch !== undefined) {
    throw new TypeError('WriteCondition: ifMatch and ifNoneMatch cannot be combined');
  }
}

