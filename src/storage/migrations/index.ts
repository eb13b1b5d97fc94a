/**
 * storage/migrations/: the schema of both backends, one versioned step per file, each with its SQLite and its
 * PostgreSQL text. Both backends take their versions from this one list.
 */
import type { SchemaStep } from './schemaStep';
import { v001InitialSchema } from './v001InitialSchema';
import { v002OperationsAndConfirmations } from './v002OperationsAndConfirmations';
import { v003Outbox } from './v003Outbox';
import { v004ReplicationWatches } from './v004ReplicationWatches';
import { v005Leases } from './v005Leases';
import { v006OutboxFleet } from './v006OutboxFleet';
import { v007AuditActorNames } from './v007AuditActorNames';
import { v008GalleryBindings } from './v008GalleryBindings';
import { v009OperationRequesterNames } from './v009OperationRequesterNames';

export type { SchemaStep } from './schemaStep';

/** In order. Later features append here, one file per step, next version number; released steps are never edited. */
export const schemaSteps: readonly SchemaStep[] = Object.freeze([
  v001InitialSchema,
  v002OperationsAndConfirmations,
  v003Outbox,
  v004ReplicationWatches,
  v005Leases,
  v006OutboxFleet,
  v007AuditActorNames,
  v008GalleryBindings,
  v009OperationRequesterNames,
]);

/** Throws unless versions are integers strictly increasing from 1. */
export function assertOrdered(steps: readonly { version: number; name: string }[], backend: string): void {
  let previous = 0;
  for (const { version, name } of steps) {
    if (!Number.isInteger(version) || version <= previous) {
      throw new Error(`${backend} migration "${name}" has version ${version}; versions must be integers increasing from 1`);
    }
    previous = version;
  }
}
