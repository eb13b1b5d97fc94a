import type { Migration } from '../migration';

/** The operation journal and the confirmations of proposed side effects. */
export const v002OperationsAndConfirmations: Migration = {
  version: 2,
  name: 'operations and confirmations',
  up(db) {
    db.exec(`
      CREATE TABLE operations (
        id              TEXT    PRIMARY KEY,
        kind            TEXT    NOT NULL,
        host_id         TEXT    NOT NULL COLLATE NOCASE,  -- ARM id, case-insensitive as in host_bindings
        target          TEXT    NOT NULL,
        requested_by    TEXT    NOT NULL,
        conversation_id TEXT    NOT NULL,
        locale          TEXT    NOT NULL,
        correlation_id  TEXT    NOT NULL,
        status          TEXT    NOT NULL,
        step            TEXT    NOT NULL,
        params          TEXT    NOT NULL,  -- JSON object
        progress        TEXT    NOT NULL,  -- JSON object
        error           TEXT,              -- JSON { key, params, code? }
        attempts        INTEGER NOT NULL,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        reported_at     INTEGER,
        etag            TEXT    NOT NULL
      ) STRICT;
      -- Partial: stays small however long the journal grows. The store's query repeats this WHERE verbatim,
      -- which is what lets SQLite pick the index; rowid breaks ties in creation order.
      CREATE INDEX operations_unfinished ON operations (created_at)
        WHERE status = 'running' OR reported_at IS NULL;
      -- runningOnHost; created_at gives the oldest without a sort, host_id's NOCASE carries over to the index.
      CREATE INDEX operations_by_host ON operations (host_id, status, created_at);

      -- used_at and outcome are set together, by one conditional UPDATE (see SqliteConfirmationStore.consume).
      CREATE TABLE confirmations (
        id              TEXT    PRIMARY KEY,
        conversation_id TEXT    NOT NULL,
        requested_by    TEXT    NOT NULL,
        action          TEXT    NOT NULL,
        target          TEXT    NOT NULL,
        params          TEXT    NOT NULL,  -- JSON object: the proposal itself
        created_at      INTEGER NOT NULL,
        expires_at      INTEGER NOT NULL,
        used_at         INTEGER,
        outcome         TEXT,
        operation_id    TEXT,
        CHECK ((used_at IS NULL) = (outcome IS NULL))
      ) STRICT;
    `);
  },
};
