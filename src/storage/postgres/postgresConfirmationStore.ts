import type { Confirmation, ConfirmationOutcome, ConfirmationStore } from '../../ports/confirmations';
import { ETagConflictError } from '../../ports/stores';
import { toConfirmation, type ConfirmationRow } from '../rows';
import type { PostgresDatabase } from './postgresDatabase';

type NewConfirmation = Omit<Confirmation, 'usedAt' | 'outcome' | 'operationId'>;

const columns =
  'id, conversation_id, requested_by, action, target, params, created_at, expires_at, used_at, outcome, operation_id';

/**
 * As SqliteConfirmationStore. `consume` is one `UPDATE … WHERE used_at IS NULL`: a second answer, on any
 * instance, waits for the first one's row lock and then finds the row used, so exactly one gets true.
 */
export class PostgresConfirmationStore implements ConfirmationStore {
  constructor(private readonly db: PostgresDatabase) {}

  async create(confirmation: NewConfirmation): Promise<void> {
    const result = await this.db.pool.query({
      name: 'confirmations.insertIfAbsent',
      text: `INSERT INTO confirmations (id, conversation_id, requested_by, action, target, params, created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      values: [
        confirmation.id,
        confirmation.conversationId,
        confirmation.requestedBy,
        confirmation.action,
        confirmation.target,
        JSON.stringify(confirmation.params),
        confirmation.createdAt,
        confirmation.expiresAt,
      ],
    });
    if (result.rowCount === 0) throw new ETagConflictError(confirmation.id);
  }

  async get(id: string): Promise<Confirmation | undefined> {
    const { rows } = await this.db.pool.query<ConfirmationRow>({
      name: 'confirmations.selectOne',
      text: `SELECT ${columns} FROM confirmations WHERE id = $1`,
      values: [id],
    });
    const [row] = rows;
    return row && toConfirmation(row);
  }

  async consume(id: string, outcome: ConfirmationOutcome, at: number): Promise<boolean> {
    const result = await this.db.pool.query({
      name: 'confirmations.consumeIfUnused',
      text: 'UPDATE confirmations SET used_at = $1, outcome = $2 WHERE id = $3 AND used_at IS NULL',
      values: [at, outcome, id],
    });
    return result.rowCount === 1;
  }

  async attachOperation(id: string, operationId: string): Promise<void> {
    const result = await this.db.pool.query({
      name: 'confirmations.setOperation',
      text: 'UPDATE confirmations SET operation_id = $1 WHERE id = $2',
      values: [operationId, id],
    });
    if (result.rowCount === 0) throw new Error(`Confirmation ${id} does not exist; cannot attach operation ${operationId}`);
  }
}
