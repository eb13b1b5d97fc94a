import type { Migration } from '../migration';
import { v001InitialSchema } from './v001InitialSchema';

/**
 * The SQLite schema, in order. Later features append here (operations journal, watches, outbox,
 * confirmations), one file per step, next version number; released steps are never edited.
 */
export const sqliteMigrations: readonly Migration[] = Object.freeze([v001InitialSchema]);
