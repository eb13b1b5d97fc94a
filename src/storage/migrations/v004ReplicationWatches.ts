import type { SchemaStep } from './schemaStep';

/** The replication tracker's watches: one row per (version, target regions), kept after they settle. */
export const v004ReplicationWatches: SchemaStep = {
  version: 4,
  name: 'replication watches',
  sqlite: `
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
    `,
  postgres: `
      CREATE TABLE replication_watches (
        id          text COLLATE "C" PRIMARY KEY,  -- versionId|regions (lowercase)
        version_id  text COLLATE "C" NOT NULL,
        status      text    NOT NULL,
        unsettled   boolean NOT NULL,
        doc         text    NOT NULL,              -- JSON ReplicationWatch
        updated_at  bigint  NOT NULL
      );
      CREATE INDEX replication_watches_unsettled ON replication_watches (id) WHERE unsettled;
      CREATE INDEX replication_watches_by_version ON replication_watches (lower(version_id));
    `,
};
