import type { Storage, StoreItems } from 'botbuilder';
import { newETag } from '../eTag';
import type { SqliteDatabase } from './sqliteDatabase';
import { prepareAll, sql } from './statements';

interface StateRow {
  key: string;
  etag: string;
  value: string;
}

/**
 * botbuilder `Storage` for conversation and dialog state, with MemoryStorage's semantics: every write
 * gives the item a fresh eTag; an item carrying an eTag other than '*' must match the stored one or the
 * write rejects with MemoryStorage's error message; '*', no eTag, or a key not stored yet overwrite.
 * Unlike MemoryStorage, a multi-key write is one transaction: a conflict on any key writes none.
 */
export class SqliteBotStorage implements Storage {
  private readonly sql;
  private readonly writeAll;

  constructor(private readonly db: SqliteDatabase) {
    this.sql = prepareAll(db.connection, {
      selectMany: sql<[string], StateRow>(
        'SELECT key, etag, value FROM bot_state WHERE key IN (SELECT value FROM json_each(?))',
      ),
      selectETag: sql<[string], { etag: string }>('SELECT etag FROM bot_state WHERE key = ?'),
      upsert: sql<[string, string, string, number]>(
        `INSERT INTO bot_state (key, etag, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, value = excluded.value, updated_at = excluded.updated_at`,
      ),
      deleteMany: sql<[string]>(
        'DELETE FROM bot_state WHERE key IN (SELECT value FROM json_each(?))',
      ),
    });
    // IMMEDIATE takes the write lock before the eTag check, so another connection cannot slip in between.
    this.writeAll = db.connection.transaction((entries: [string, unknown][], now: number): void => {
      for (const [key, item] of entries) {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          throw new TypeError(`Storage: item "${key}" must be a plain object`);
        }
        const { eTag, ...value } = item as { eTag?: unknown };
        const stored = this.sql.selectETag.get(key);
        if (stored && eTag && eTag !== '*' && eTag !== stored.etag) {
          throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
        }
        this.sql.upsert.run(key, newETag(), JSON.stringify(value), now);
      }
    });
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    for (const row of this.sql.selectMany.all(JSON.stringify(keys))) {
      items[row.key] = { ...(JSON.parse(row.value) as object), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    this.writeAll.immediate(entries, this.db.clock.now());
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length === 0) return;
    this.sql.deleteMany.run(JSON.stringify(keys));
  }
}
