import type { AuditEntry, AuditLog } from '../../ports/stores';
import { auditValues, toEntry, type AuditRow } from '../rows';
import type { PostgresDatabase } from './postgresDatabase';

const columns = 'time, user_id, conversation_id, command, target, outcome, correlation_id, duration_ms, detail, user_name';

/**
 * Append-only: the table's triggers refuse UPDATE, DELETE and TRUNCATE, whoever asks. `recent` orders by the
 * entry's time, newest first; entries with the same time come last-appended first.
 */
export class PostgresAuditLog implements AuditLog {
  constructor(private readonly db: PostgresDatabase) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.db.pool.query({
      name: 'audit.insert',
      text: `INSERT INTO audit_log (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      values: auditValues(entry),
    });
  }

  async recent(limit: number, filter: { conversationId?: string } = {}): Promise<AuditEntry[]> {
    const count = Math.floor(limit);
    if (!(count > 0)) return [];
    const { rows } =
      filter.conversationId === undefined
        ? await this.db.pool.query<AuditRow>({
            name: 'audit.selectRecent',
            text: `SELECT ${columns} FROM audit_log ORDER BY time DESC, seq DESC LIMIT $1`,
            values: [count],
          })
        : await this.db.pool.query<AuditRow>({
            name: 'audit.selectRecentInConversation',
            text: `SELECT ${columns} FROM audit_log WHERE conversation_id = $1 ORDER BY time DESC, seq DESC LIMIT $2`,
            values: [filter.conversationId, count],
          });
    return rows.map(toEntry);
  }

  async namesOf(userIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (userIds.length === 0) return new Map();
    const { rows } = await this.db.pool.query<{ user_id: string; user_name: string }>({
      name: 'audit.selectNames',
      text: `SELECT DISTINCT ON (user_id) user_id, user_name FROM audit_log
             WHERE user_id = ANY($1) AND user_name IS NOT NULL ORDER BY user_id, seq DESC`,
      values: [[...new Set(userIds)]],
    });
    return new Map(rows.map((r) => [r.user_id, r.user_name]));
  }
}
