import type { AuditEntry, AuditLog } from '../../ports/stores';
import { auditValues, toEntry, type AuditRow, type AuditValues } from '../rows';
import type { SqliteDatabase } from './sqliteDatabase';
import { prepareAll, sql } from './statements';

const columns = 'time, user_id, conversation_id, command, target, outcome, correlation_id, duration_ms, detail';

/**
 * Append-only (the table's triggers refuse UPDATE and DELETE as well). `recent` orders by the entry's
 * time, newest first; entries with the same time come last-appended first.
 */
export class SqliteAuditLog implements AuditLog {
  private readonly sql;

  constructor(db: SqliteDatabase) {
    this.sql = prepareAll(db.connection, {
      insert: sql<AuditValues>(`INSERT INTO audit_log (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      selectRecent: sql<[number], AuditRow>(
        `SELECT ${columns} FROM audit_log ORDER BY time DESC, seq DESC LIMIT ?`,
      ),
      selectRecentInConversation: sql<[string, number], AuditRow>(
        `SELECT ${columns} FROM audit_log WHERE conversation_id = ? ORDER BY time DESC, seq DESC LIMIT ?`,
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
}

