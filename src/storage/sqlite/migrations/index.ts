/**
 * storage/sqlite/migrations/: the SQLite schema, one versioned step per file.
 */
import type { Migration } from '../migration';
import { v001InitialSchema } from './v001InitialSchema';
import { v002OperationsAndConfirmations } from './v002OperationsAndConfirmations';
import { v003Outbox } from './v003Outbox';
import { v004ReplicationWatches } from './v004ReplicationWatches';

/**
 * The SQLite schema, in order. Later features append here (watches, outbox), one file per step, next
 * version number; released steps are never edited.
 */
export const sqliteMigrations: readonly Migration[] = Object.freeze([
  v001InitialSchema,
  v002OperationsAndConfirmations,
  v003Outbox,
  v004ReplicationWatches,
]);
