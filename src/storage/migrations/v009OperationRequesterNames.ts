import type { SchemaStep } from './schemaStep';

/**
 * The requester's display name beside their Entra object id, so that an operation's audit line and card can say
 * "Alex Wilber detached …" even when that person has no other named entry. Nullable: operations journaled before
 * this step have none, and their readers fall back (the audit's latest recorded name, the card's post). Older code
 * neither reads nor writes the column, so it runs unharmed beside a database that has it.
 */
export const v009OperationRequesterNames: SchemaStep = {
  version: 9,
  name: 'operation requester names',
  olderCode: 'compatible',
  sqlite: `
      ALTER TABLE operations ADD COLUMN requested_by_name TEXT;
    `,
  postgres: `
      ALTER TABLE operations ADD COLUMN requested_by_name text;
    `,
};
