import type { ConversationRefStore, ConversationReferenceData, StoredConversationRef } from '../../ports/stores';
import { toRef, type RefRow } from '../rows';
import type { SqliteDatabase } from './sqliteDatabase';
import { prepareAll, sql } from './statements';

export class SqliteConversationRefStore implements ConversationRefStore {
  private readonly sql;

  constructor(private readonly db: SqliteDatabase) {
    this.sql = prepareAll(db.connection, {
      upsertStatement: sql<[string, string | null, string, number]>(
        `INSERT INTO conversation_refs (conversation_id, tenant_id, reference, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET
           tenant_id = excluded.tenant_id, reference = excluded.reference, updated_at = excluded.updated_at`,
      ),
      updateStatement: sql<[string | null, string, number, string]>(
        'UPDATE conversation_refs SET tenant_id = ?, reference = ?, updated_at = ? WHERE conversation_id = ?',
      ),
      selectOne: sql<[string], RefRow>(
        'SELECT conversation_id, tenant_id, reference, updated_at FROM conversation_refs WHERE conversation_id = ?',
      ),
      selectAll: sql<[], RefRow>(
        'SELECT conversation_id, tenant_id, reference, updated_at FROM conversation_refs ORDER BY conversation_id',
      ),
      deleteOne: sql<[string]>('DELETE FROM conversation_refs WHERE conversation_id = ?'),
    });
  }

  /** One statement for a known conversation (every message after the first); true when it was already stored. */
  async upsert(ref: { conversationId: string; tenantId?: string; reference: ConversationReferenceData }): Promise<boolean> {
    const tenantId = ref.tenantId ?? null;
    const reference = JSON.stringify(ref.reference);
    const now = this.db.clock.now();
    if (this.sql.updateStatement.run(tenantId, reference, now, ref.conversationId).changes > 0) return true;
    // New here; ON CONFLICT covers another process having inserted it in between.
    this.sql.upsertStatement.run(ref.conversationId, tenantId, reference, now);
    return false;
  }

  async get(conversationId: string): Promise<StoredConversationRef | undefined> {
    const row = this.sql.selectOne.get(conversationId);
    return row && toRef(row);
  }

  async delete(conversationId: string): Promise<void> {
    this.sql.deleteOne.run(conversationId);
  }

  async list(): Promise<StoredConversationRef[]> {
    return this.sql.selectAll.all().map(toRef);
  }
}

