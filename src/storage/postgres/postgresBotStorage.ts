import type { Storage, StoreItems } from 'botbuilder';
import type { PoolClient } from 'pg';
import { newETag } from '../eTag';
import { inTransaction, type PostgresDatabase } from './postgresDatabase';

interface StateRow {
  key: string;
  etag: string;
  value: string;
}

interface Change {
  key: string;
  /** Only an eTag other than '*' conditions the write. */
  ifMatch: string | undefined;
  value: string;
}

const upsertSql = `INSERT INTO bot_state (key, etag, value, updated_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, value = excluded.value, updated_at = excluded.updated_at`;

/**
 * botbuilder `Storage` for conversation and dialog state, with SqliteBotStorage's semantics (MemoryStorage's, and
 * a multi-key write is one transaction). The eTag check is the upsert's own `ON CONFLICT … WHERE etag = $5`: the
 * row lock makes check and write one step, so of two instances writing with the same eTag exactly one wins.
 * Keys are written in sorted order, so that two multi-key writes cannot deadlock.
 */
export class PostgresBotStorage implements Storage {
  constructor(private readonly db: PostgresDatabase) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const { rows } = await this.db.pool.query<StateRow>({
      name: 'botState.selectMany',
      text: 'SELECT key, etag, value FROM bot_state WHERE key = ANY($1::text[])',
      values: [keys],
    });
    for (const row of rows) items[row.key] = { ...(JSON.parse(row.value) as object), eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    // Every item is checked and serialised before anything is written: a bad one writes none.
    const entries = Object.entries(changes)
      .map(([key, item]): Change => {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          throw new TypeError(`Storage: item "${key}" must be a plain object`);
        }
        const { eTag, ...value } = item as { eTag?: unknown };
        return { key, ifMatch: eTag && eTag !== '*' ? String(eTag) : undefined, value: JSON.stringify(value) };
      })
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (entries.length === 0) return;
    const now = this.db.clock.now();
    const [only] = entries;
    if (entries.length === 1 && only) {
      await writeOne(this.db.pool, only, now);
      return;
    }
    await inTransaction(this.db.pool, async (client) => {
      for (const entry of entries) await writeOne(client, entry, now);
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length === 0) return;
    await this.db.pool.query({ name: 'botState.deleteMany', text: 'DELETE FROM bot_state WHERE key = ANY($1::text[])', values: [keys] });
  }
}

async function writeOne(client: Pick<PoolClient, 'query'>, change: Change, now: number): Promise<void> {
  if (change.ifMatch === undefined) {
    await client.query({ name: 'botState.upsert', text: upsertSql, values: [change.key, newETag(), change.value, now] });
    return;
  }
  // A key not stored yet is inserted whatever eTag the item carries (MemoryStorage does the same).
  const result = await client.query({
    name: 'botState.upsertIfMatch',
    text: `${upsertSql} WHERE bot_state.etag = $5`,
    values: [change.key, newETag(), change.value, now, change.ifMatch],
  });
  if (result.rowCount === 0) throw new Error(`Storage: error writing "${change.key}" due to eTag conflict.`);
}
