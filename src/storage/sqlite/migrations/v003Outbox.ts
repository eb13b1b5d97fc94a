import type { Migration } from '../migration';

/** The outbox: every proactive message, persisted before it is delivered, kept after for its key. */
export const v003Outbox: Migration = {
  version: 3,
  name: 'outbox',
  up(db) {
    db.exec(`
      -- seq is the delivery order within a conversation. An update row's target_key names the send whose
      -- activity it replaces; its own key is a fresh one. Finished rows (sent, dropped, failed) stay until
      -- pruned, so that a key sent before a restart is still known after it.
      CREATE TABLE outbox (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        key             TEXT    NOT NULL UNIQUE,
        conversation_id TEXT    NOT NULL,
        tenant_id       TEXT,
        kind            TEXT    NOT NULL CHECK (kind IN ('send', 'update')),
        target_key      TEXT,
        payload         TEXT    NOT NULL,  -- JSON OutgoingMessage
        status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'dropped', 'failed')),
        attempts        INTEGER NOT NULL,  -- failed attempts, 429s aside
        throttled       INTEGER NOT NULL,  -- 429 answers
        not_before      INTEGER NOT NULL,
        activity_id     TEXT,
        last_error      TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        CHECK ((kind = 'update') = (target_key IS NOT NULL))
      ) STRICT;
      -- The head of each conversation's queue; partial, so it stays as small as what is pending.
      CREATE INDEX outbox_pending ON outbox (conversation_id, seq) WHERE status = 'pending';
      -- Coalescing: at most one pending update per target.
      CREATE UNIQUE INDEX outbox_pending_update ON outbox (target_key) WHERE status = 'pending' AND kind = 'update';
      CREATE INDEX outbox_finished ON outbox (updated_at) WHERE status <> 'pending';
    `);
  },
};
