/**
 * PostgreSQL backend (production, Azure Database for PostgreSQL): one pool per process, versioned migrations from
 * the list both backends share, the stores over it, each with the SQLite store's semantics. Several instances may
 * share the database; leases (PostgresLeaseStore) and operation claims coordinate them.
 */
export { openPostgresDatabase, postgresMigrations, type PostgresDatabase, type PostgresDatabaseOptions } from './postgresDatabase';
export type { PostgresMigration } from './applyPostgresMigrations';
export { connectionSettings, isLoopbackHost, type ConnectionSettings } from './connectionSettings';
export { entraPasswordProvider, POSTGRES_ENTRA_SCOPE, REFRESH_BEFORE_EXPIRY_MS, type AccessTokenSource } from './entraPassword';
export { PostgresBotStorage } from './postgresBotStorage';
export { PostgresConversationRefStore } from './postgresConversationRefStore';
export { PostgresBindingStore } from './postgresBindingStore';
export { PostgresAuditLog } from './postgresAuditLog';
export { PostgresOperationStore } from './postgresOperationStore';
export { PostgresConfirmationStore } from './postgresConfirmationStore';
export { PostgresOutboxStore } from './postgresOutboxStore';
export { PostgresReplicationWatchStore } from './postgresReplicationWatchStore';
export { PostgresOutboxRateLimiter } from './postgresOutboxRateLimiter';
export { PostgresLeaseStore } from './postgresLeaseStore';
