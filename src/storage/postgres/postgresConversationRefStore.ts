import type { ConversationRefStore, ConversationReferenceData, StoredConversationRef } from '../../ports/stores';
import { toRef, type RefRow } from '../rows';
import type { PostgresDatabase } from './postgresDatabase';

const columns = 'conversation_id, tenant_id, reference, updated_at';

export class PostgresConversationRefStore implements ConversationRefStore {
  constructor(private readonly db: PostgresDatabase) {}

  /**
   * One statement, new conversation or known: the UPDATE finds a stored row; only when it found none does the
   * INSERT run, its ON CONFLICT covering another instance having inserted the row in between. True when the
   * conversation was already stored (the UPDATE changed it).
   */
  async upsert(ref: { conversationId: string; tenantId?: string; reference: ConversationReferenceData }): Promise<boolean> {
    const { rows } = await this.db.pool.query<{ known: boolean }>({
      name: 'refs.upsertKnown',
      text: `WITH updated AS (
          UPDATE conversation_refs SET tenant_id = $2, reference = $3, updated_at = $4 WHERE conversation_id = $1 RETURNING 1
        ), inserted AS (
          INSERT INTO conversation_refs (${columns}) SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM updated)
          ON CONFLICT (conversation_id) DO UPDATE SET
            tenant_id = excluded.tenant_id, reference = excluded.reference, updated_at = excluded.updated_at
        )
        SELECT EXISTS (SELECT 1 FROM updated) AS known`,
      values: [ref.conversationId, ref.tenantId ?? null, JSON.stringify(ref.reference), this.db.clock.now()],
    });
    return rows[0]?.known === true;
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
