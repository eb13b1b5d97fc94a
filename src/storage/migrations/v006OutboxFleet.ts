import type { SchemaStep } from './schemaStep';

/**
 * The outbox across instances: a claim per row (who delivers it, until when), and on PostgreSQL the requests and
 * 429 holds that Teams' limits are counted over by the whole fleet. SQLite has one process, whose limiter lives in
 * memory: it gets the claim columns only. Additive: builds without this step ignore the columns and tables.
 */
export const v006OutboxFleet: SchemaStep = {
  version: 6,
  name: 'outbox fleet',
  olderCode: 'compatible',
  sqlite: `
      ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
      ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
    `,
  postgres: `
      ALTER TABLE outbox ADD COLUMN claimed_by text, ADD COLUMN claimed_until bigint;
      -- One row per request to the Bot Connector, for the sliding windows. at: its start while in flight, its end once
      -- settled. open_until: while in flight, the time after which it stops counting as "now" (its instance died).
      CREATE TABLE outbox_requests (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_key      text COLLATE "C" NOT NULL,
        conversation_id text COLLATE "C" NOT NULL,
        at              bigint NOT NULL,
        open_until      bigint
      );
      CREATE INDEX outbox_requests_by_tenant ON outbox_requests (tenant_key, at);
      CREATE INDEX outbox_requests_by_conversation ON outbox_requests (conversation_id, at);
      CREATE INDEX outbox_requests_in_flight ON outbox_requests (tenant_key) WHERE open_until IS NOT NULL;
      -- After a 429: nothing more for the tenant, from any instance, before until.
      CREATE TABLE outbox_tenant_holds (
        tenant_key text COLLATE "C" PRIMARY KEY,
        until      bigint NOT NULL
      );
    `,
};
