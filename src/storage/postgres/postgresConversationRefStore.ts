import type { ConversationRefStore, ConversationReferenceData, StoredConversationRef } from '../../ports/stores';
import { toRef, type RefRow } from '../rows';
import type { PostgresDatabase } from './postgresDatabase';

const columns = 'conversation_id, tenant_id, reference, updated_at';

export class PostgresConversationRefStore implements ConversationRefStore {
  constructor(private readonly db: PostgresDatabase) {}

  /** One statement for a known conversation (every message after the first); true when it was already stored. */
  async upsert(ref: { conversationId: string; tenantId?: string; reference: ConversationReferenceData }): Promise<boolean> {
    const tenantId = ref.tenantId ?? null;
    const reference = JSON.stringify(ref.reference);
    const now = this.db.clock.now();
    const updated = await this.db.pool.query({
      name: 'refs.update',
      text: 'UPDATE conversation_refs SET tenant_id = $1, reference = $2, updated_at = $3 WHERE conversation_id = $4',
      values: [tenantId, reference, now, ref.conversationId],
    });
    if ((updated.rowCount ?? 0) > 0) return true;
    // New here; ON CONFLICT covers another instance having inserted it in between.
    await this.db.pool.query({
      name: 'refs.upsert',
      text: `INSERT INTO conversation_refs (${columns}) VALUES ($1, $2, $3, $4)
        ON CONFLICT (conversation_id) DO UPDATE SET
          tenant_id = excluded.tenant_id, reference = excluded.reference, updated_at = excluded.updated_at`,
      values: [ref.conversationId, tenantId, reference, now],
    });
    return false;
  }

  async get(conversationId: string): Promise<StoredConversationRef | undefined> {
    const { rows } = await this.db.pool.query<RefRow>({
      name: 'refs.selectOne',
      text: `SELECT ${columns} FROM conversation_refs WHERE conversation_id = $1`,
      values: [conversationId],
    });
    const [row] = rows;
    return row && toRef(row);
  }

  async delete(conversationId: string): Promise<void> {
    await this.db.pool.query({ name: 'refs.delete', text: 'DELETE FROM conversation_refs WHERE conversation_id = $1', values: [conversationId] });
  }

  async list(): Promise<StoredConversationRef[]> {
    const { rows } = await this.db.pool.query<RefRow>({
      name: 'refs.selectAll',
      text: `SELECT ${columns} FROM conversation_refs ORDER BY conversation_id`,
    });
    return rows.map(toRef);
  }
}
