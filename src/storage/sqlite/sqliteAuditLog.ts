import type { AuditEntry, AuditLog } from '../../ports/stores';
import { auditValues, toEntry, type AuditRow, type AuditValues } from '../rows';
import type { SqliteDatabase } from './sqliteDatabase';
import { prepareAll, sql } from './statements';

const columns = 'time, user_id, conversation_id, command, target, outcome, correlation_id, duration_ms, detail, user_name';

/**
 * Append-only (the table's triggers refuse UPDATE and DELETE as well). `recent` orders by the entry's
 * time, newest first; entries with the same time come last-appended first.
 */
export class SqliteAuditLog implements AuditLog {
  private readonly sql;

  constructor(db: SqliteDatabase) {
    this.sql = prepareAll(db.connection, {
      insert: sql<AuditValues>(`INSERT INTO audit_log (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      selectRecent: sql<[number], AuditRow>(
        `SELECT ${columns} FROM audit_log ORDER BY time DESC, seq DESC LIMIT ?`,
      ),
      selectRecentInConversation: sql<[string, number], AuditRow>(
        `SELECT ${columns} FROM audit_log WHERE conversation_id = ? ORDER BY time DESC, seq DESC LIMIT ?`,
      ),
      selectName: sql<[string], { user_name: string }>(
        'SELECT user_name FROM audit_log WHERE user_id = ? AND user_name IS NOT NULL ORDER BY seq DESC LIMIT 1',
      ),
    });
  }

  async append(entry: AuditEntry): Promise<void> {
    this.sql.insert.run(...auditValues(entry));
  }

  async recent(limit: number, filter: { conversationId?: string } = {}): Promise<AuditEntry[]> {
    // SQLite reads a negative LIMIT as "no limit".
    const count = Math.floor(limit);
    if (!(count > 0)) return [];
    const rows =
      filter.conversationId === undefined
        ? this.sql.selectRecent.all(count)
        : this.sql.selectRecentInConversation.all(filter.conversationId, count);
    return rows.map(toEntry);
  }

  async namesOf(userIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const names = new Map<string, string>();
    for (const userId of new Set(userIds)) {
      const row = this.sql.selectName.get(userId);
      if (row) names.set(userId, row.user_name);
    }
    return names;
  }
}

