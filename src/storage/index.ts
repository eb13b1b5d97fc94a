/**
 * storage/: the stores' backends, one folder each — sqlite/ (better-sqlite3, WAL; the default) and postgres/ (pg;
 * production) — over one schema (migrations/). They implement the domain stores of ports/ and botbuilder's Storage
 * for dialog state; the composition root opens one and wires the bot over its StorageBackend.
 */
export * from './sqlite';
export * from './postgres';
export { SchemaTooNewError } from './schemaTooNewError';
export { schemaSteps, type SchemaStep } from './migrations';
export { isStorageBackend, postgresBackend, sqliteBackend, type StorageBackend } from './storageBackend';
export { copySqliteToPostgres, COPIED_TABLES, type TableCopy } from './copySqliteToPostgres';
