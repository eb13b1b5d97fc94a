import type { Migration } from '../migration';

/** botbuilder state, conversation references, channel ↔ lab host bindings, audit log. */
export const v001InitialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  up(db) {
    db.exec(`
      CREATE TABLE bot_state (
        key        TEXT    PRIMARY KEY,
        etag       TEXT    NOT NULL,
        value      TEXT    NOT NULL,    -- JSON of the item without its eTag
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE conversation_refs (
        conversation_id TEXT    PRIMARY KEY,
        tenant_id       TEXT,
        reference       TEXT    NOT NULL,  -- JSON
        updated_at      INTEGER NOT NULL
      ) STRICT;

      -- ARM ids are case-insensitive (Azure itself returns resourceGroups / resourcegroups), hence NOCASE.
      CREATE TABLE host_bindings (
        conversation_id TEXT    PRIMARY KEY,
        host_id         TEXT    NOT NULL COLLATE NOCASE,
        bound_by        TEXT    NOT NULL,
        bound_at        INTEGER NOT NULL,
        etag            TEXT    NOT NULL,
        updated_at      INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX host_bindings_by_host ON host_bindings (host_id);

      CREATE TABLE audit_log (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        time            INTEGER NOT NULL,
        user_id         TEXT    NOT NULL,
        conversation_id TEXT    NOT NULL,
        command         TEXT    NOT NULL,
        target          TEXT    NOT NULL,
        outcome         TEXT    NOT NULL,
        correlation_id  TEXT    NOT NULL,
        duration_ms     REAL,
        detail          TEXT
      ) STRICT;
      CREATE INDEX audit_log_by_time ON audit_log (time DESC, seq DESC);
      CREATE INDEX audit_log_by_conversation ON audit_log (conversation_id, time DESC, seq DESC);

      -- Append-only at the storage level too; a future retention migration drops the DELETE trigger.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
};
