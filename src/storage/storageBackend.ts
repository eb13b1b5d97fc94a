import type { Storage } from 'botbuilder';
import type { Clock } from '../ports/clock';
import type { ConfirmationStore } from '../ports/confirmations';
import type { LeaseStore } from '../ports/leases';
import type { Logger } from '../ports/logger';
import type { OperationStore } from '../ports/operations';
import type { OutboxRateLimiter, OutboxStore, RateLimits } from '../ports/outbox';
import type { ReplicationWatchStore } from '../ports/replicationWatches';
import type { AuditLog, BindingStore, ConversationRefStore } from '../ports/stores';
import {
  PostgresAuditLog,
  PostgresBindingStore,
  PostgresBotStorage,
  PostgresConfirmationStore,
  PostgresConversationRefStore,
  PostgresLeaseStore,
  PostgresOperationStore,
  PostgresOutboxRateLimiter,
  PostgresOutboxStore,
  PostgresReplicationWatchStore,
  type PostgresDatabase,
} from './postgres';
import {
  SqliteAuditLog,
  SqliteBindingStore,
  SqliteBotStorage,
  SqliteConfirmationStore,
  SqliteConversationRefStore,
  SqliteLeaseStore,
  SqliteOperationStore,
  SqliteOutboxStore,
  SqliteReplicationWatchStore,
  type SqliteDatabase,
} from './sqlite';

/** Every store of one open database, whichever the backend: what the composition root wires the bot over. */
export interface StorageBackend {
  readonly kind: 'sqlite' | 'postgres';
  /** The file, or host:port/database: for logs, never a password. */
  readonly location: string;
  /** Schema versions applied when it was opened. */
  readonly migrationsApplied: readonly number[];
  readonly botStorage: Storage;
  readonly conversationRefs: ConversationRefStore;
  readonly bindings: BindingStore;
  readonly audit: AuditLog;
  readonly confirmations: ConfirmationStore;
  readonly outbox: OutboxStore;
  /**
   * Where the outbox counts Teams' limits when several instances share this database (PostgreSQL); undefined when
   * one process owns it (SQLite), whose outbox counts in memory.
   */
  outboxRateLimiter(limits: RateLimits): OutboxRateLimiter | undefined;
  /** Coordination between the instances sharing the database (the tracker's lease). */
  readonly leases: LeaseStore;
  operations(logger?: Logger): OperationStore;
  /** The tracker's clock (in the demo, the emulator's simulated one) stamps the watches. */
  replicationWatches(clock: Clock): ReplicationWatchStore;
  /** For the readiness probe. */
  ping(): Promise<boolean>;
  /** Idempotent. */
  close(): Promise<void>;
}

export function sqliteBackend(db: SqliteDatabase): StorageBackend {
  return {
    kind: 'sqlite',
    location: db.filePath,
    migrationsApplied: db.migrationsApplied,
    botStorage: new SqliteBotStorage(db),
    conversationRefs: new SqliteConversationRefStore(db),
    bindings: new SqliteBindingStore(db),
    audit: new SqliteAuditLog(db),
    confirmations: new SqliteConfirmationStore(db),
    outbox: new SqliteOutboxStore(db),
    outboxRateLimiter: () => undefined,
    leases: new SqliteLeaseStore(db),
    operations: (logger) => new SqliteOperationStore(db, logger),
    replicationWatches: (clock) => new SqliteReplicationWatchStore(db, clock),
    ping: async () => db.ping(),
    close: async () => db.close(),
  };
}

export function postgresBackend(db: PostgresDatabase): StorageBackend {
  return {
    kind: 'postgres',
    location: db.location,
    migrationsApplied: db.migrationsApplied,
    botStorage: new PostgresBotStorage(db),
    conversationRefs: new PostgresConversationRefStore(db),
    bindings: new PostgresBindingStore(db),
    audit: new PostgresAuditLog(db),
    confirmations: new PostgresConfirmationStore(db),
    outbox: new PostgresOutboxStore(db),
    outboxRateLimiter: (limits) => new PostgresOutboxRateLimiter(db, limits),
    leases: new PostgresLeaseStore(db),
    operations: (logger) => new PostgresOperationStore(db, logger),
    replicationWatches: (clock) => new PostgresReplicationWatchStore(db, clock),
    ping: () => db.ping(),
    close: () => db.close(),
  };
}

/** Whether the composition root was handed a whole backend rather than an open SQLite database (the tests' way). */
export function isStorageBackend(value: SqliteDatabase | StorageBackend): value is StorageBackend {
  return 'kind' in value;
}
