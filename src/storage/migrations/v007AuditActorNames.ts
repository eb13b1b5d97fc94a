import type { SchemaStep } from './schemaStep';

/**
 * The actor's display name beside the Entra object id, so that the audit card can say "Alex Wilber enabled …".
 * Nullable: entries written before this step have none, and the card falls back to a neutral word for them.
 * Adding a column touches no row, so the append-only triggers (which refuse UPDATE and DELETE) stay as they are.
 */
export const v007AuditActorNames: SchemaStep = {
  version: 7,
  name: 'audit actor names',
  sqlite: `
      ALTER TABLE audit_log ADD COLUMN user_name TEXT;
      -- A person's latest recorded name, for entries that have none (an operation's outcome is written by the runner).
      CREATE INDEX audit_log_names ON audit_log (user_id, seq DESC) WHERE user_name IS NOT NULL;
    `,
  postgres: `
      ALTER TABLE audit_log ADD COLUMN user_name text;
      CREATE INDEX audit_log_names ON audit_log (user_id, seq DESC) WHERE user_name IS NOT NULL;
    `,
};
