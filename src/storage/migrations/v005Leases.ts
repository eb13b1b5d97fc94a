import type { SchemaStep } from './schemaStep';

/**
 * Coordination between instances sharing one database. `leases`: one row per named lease (the replication
 * tracker's), kept after release so that its fencing token only ever increases. On `operations`: the instance
 * running an operation (`owner`, until `owner_expires_at` unless renewed), and `host_claimed`, set by a run
 * before its first step: the unique index lets one running operation per host hold it, whichever instance asks.
 */
export const v005Leases: SchemaStep = {
  version: 5,
  name: 'leases and operation claims',
  sqlite: `
      CREATE TABLE leases (
        name        TEXT    PRIMARY KEY,
        holder      TEXT,                       -- NULL once released
        token       INTEGER NOT NULL CHECK (token > 0),
        expires_at  INTEGER NOT NULL
      ) STRICT;
      ALTER TABLE operations ADD COLUMN owner TEXT;
      ALTER TABLE operations ADD COLUMN owner_expires_at INTEGER;
      ALTER TABLE operations ADD COLUMN host_claimed INTEGER NOT NULL DEFAULT 0 CHECK (host_claimed IN (0, 1));
      -- host_id is NOCASE: the index compares ARM ids case-insensitively.
      CREATE UNIQUE INDEX operations_one_mutation_per_host ON operations (host_id) WHERE host_claimed = 1 AND status = 'running';
    `,
  postgres: `
      CREATE TABLE leases (
        name        text COLLATE "C" PRIMARY KEY,
        holder      text,                       -- NULL once released
        token       bigint NOT NULL CHECK (token > 0),
        expires_at  bigint NOT NULL
      );
      ALTER TABLE operations ADD COLUMN owner text;
      ALTER TABLE operations ADD COLUMN owner_expires_at bigint;
      ALTER TABLE operations ADD COLUMN host_claimed boolean NOT NULL DEFAULT false;
      CREATE UNIQUE INDEX operations_one_mutation_per_host ON operations (lower(host_id)) WHERE host_claimed AND status = 'running';
    `,
};
