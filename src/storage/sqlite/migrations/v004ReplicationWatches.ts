import type { Migration } from '../migration';

/** The replication tracker's watches: one row per (version, target regions), kept after they settle. */
export const v004ReplicationWatches: Migration = {
  version: 4,
  name: 'replication watches',
  up(db) {
    db.exec(`
      CREATE TABLE replication_watches (
        id          TEXT    PRIMARY KEY,                -- versionId|regions (lowercase)
        version_id  TEXT    NOT NULL COLLATE NOCASE,
        status      TEXT    NOT NULL,
        unsettled   INTEGER NOT NULL CHECK (unsettled IN (0, 1)),
        doc         TEXT    NOT NULL,                   -- JSON ReplicationWatch
        updated_at  INTEGER NOT NULL
      ) STRICT;
      -- What the tracker loads at start: small however many replications were ever seen.
      CREATE INDEX replication_watches_unsettled ON replication_watches (id) WHERE unsettled = 1;
      CREATE INDEX replication_watches_by_version ON replication_watches (version_id);
    `);
  },
};
