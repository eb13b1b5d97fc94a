import type { SchemaStep } from './schemaStep';

/**
 * Bindings get a kind: a conversation is bound to a lab host, as before, or to an Azure Compute Gallery alone
 * (`host_id` then holds the gallery's ARM id). Existing rows are host bindings.
 */
export const v008GalleryBindings: SchemaStep = {
  version: 8,
  name: 'gallery bindings',
  sqlite: `
      ALTER TABLE host_bindings ADD COLUMN kind TEXT NOT NULL DEFAULT 'host' CHECK (kind IN ('host', 'gallery'));
      -- The tracker lists bound hosts and bound galleries apart.
      CREATE INDEX host_bindings_by_kind ON host_bindings (kind, host_id);
    `,
  postgres: `
      ALTER TABLE host_bindings ADD COLUMN kind text NOT NULL DEFAULT 'host' CHECK (kind IN ('host', 'gallery'));
      CREATE INDEX host_bindings_by_kind ON host_bindings (kind, lower(host_id));
    `,
};
