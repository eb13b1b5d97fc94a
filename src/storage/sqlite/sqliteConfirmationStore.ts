import type { Confirmation, ConfirmationOutcome, ConfirmationStore } from '../../ports/confirmations';
import { ETagConflictError } from '../../ports/stores';
import { toConfirmation, type ConfirmationRow } from '../rows';
import type { SqliteDatabase } from './sqliteDatabase';
import { prepareAll, sql } from './statements';

type NewConfirmation = Omit<Confirmation, 'usedAt' | 'outcome' | 'operationId'>;

type InsertParams = Omit<NewConfirmation, 'params'> & { params: string };

const columns =
  'id, conversation_id, requested_by, action, target, params, created_at, expires_at, used_at, outcome, operation_id';

/**
 * `consume` is one conditional UPDATE (WHERE used_at IS NULL): SQLite's write lock makes the check and
 * the write one step, so of two answers racing on any number of connections or processes exactly one
 * changes the row. Expiry is the caller's rule (it consumes with 'expired'); the store does not read the
 * clock. `create` never overwrites — an existing id, used or not, is an ETagConflictError — so a
 * proposal cannot be made answerable again. `attachOperation` throws on an unknown id.
 */
export class SqliteConfirmationStore implements ConfirmationStore {
  private readonly sql;

  constructor(db: SqliteDatabase) {
    this.sql = prepareAll(db.connection, {
      insertIfAbsent: sql<InsertParams>(
        `INSERT INTO confirmations (id, conversation_id, requested_by, action, target, params, created_at, expires_at)
         VALUES (@id, @conversationId, @requestedBy, @action, @target, @params, @createdAt, @expiresAt)
         ON CONFLICT (id) DO NOTHING`,
      ),
      selectOne: sql<[string], ConfirmationRow>(
        `SELECT ${columns} FROM confirmations WHERE id = ?`,
      ),
      consumeIfUnused: sql<[number, ConfirmationOutcome, string]>(
        'UPDATE confirmations SET used_at = ?, outcome = ? WHERE id = ? AND used_at IS NULL',
      ),
      setOperation: sql<[string, string]>('UPDATE confirmations SET operation_id = ? WHERE id = ?'),
    });
  }

  async create(confirmation: NewConfirmation): Promise<void> {
    const changed = this.sql.insertIfAbsent.run({
      id: confirmation.id,
      conversationId: confirmation.conversationId,
      requestedBy: confirmation.requestedBy,
      action: confirmation.action,
      target: confirmation.target,
      params: JSON.stringify(confirmation.params),
      createdAt: confirmation.createdAt,
      expiresAt: confirmation.expiresAt,
    }).changes;
    if (changed === 0) throw new ETagConflictError(confirmation.id);
  }

  async get(id: string): Promise<Confirmation | undefined> {
    const row = this.sql.selectOne.get(id);
    return row && toConfirmation(row);
  }

  async consume(id: string, outcome: ConfirmationOutcome, at: number): Promise<boolean> {
    return this.sql.consumeIfUnused.run(at, outcome, id).changes === 1;
  }

  async attachOperation(id: string, operationId: string): Promise<void> {
    if (this.sql.setOperation.run(operationId, id).changes === 0) {
      throw new Error(`Confirmation ${id} does not exist; cannot attach operation ${operationId}`);
    }
  }
}

