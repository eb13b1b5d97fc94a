/**
 * SQLite backend: one WAL connection per process, versioned migrations, the stores over it.
 * A Blob backend maps each record to one blob whose ETag is the eTag: get → Get Blob; put/write → Put Blob
 * with If-Match <eTag> or If-None-Match * (412 → ETagConflictError); delete → Delete Blob with If-Match;
 * listByHost → blob index tags; audit → an append blob; multi-key bot-state writes are not atomic there.
 */
export { openSqliteDatabase, type SqliteDatabase, type SqliteDatabaseOptions } from './sqliteDatabase';
export { SchemaTooNewError } from '../schemaTooNewError';
export { sqliteMigrations, type Migration } from './migration';
export { SqliteBotStorage } from './sqliteBotStorage';
export { SqliteConversationRefStore } from './sqliteConversationRefStore';
export { SqliteBindingStore } from './sqliteBindingStore';
export { SqliteAuditLog } from './sqliteAuditLog';
export { SqliteOperationStore } from './sqliteOperationStore';
export { SqliteConfirmationStore } from './sqliteConfirmationStore';
export { SqliteOutboxStore } from './sqliteOutboxStore';
export { SqliteReplicationWatchStore } from './sqliteReplicationWatchStore';
export { SqliteLeaseStore } from './sqliteLeaseStore';
