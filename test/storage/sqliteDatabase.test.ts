import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SchemaTooNewError, sqliteMigrations, type Migration } from '../../src/storage/sqlite';
import { useSqliteFixture } from './sqliteFixture';

const fixture = useSqliteFixture();

function recorded(db: ReturnType<typeof fixture.open>): unknown[] {
  return db.connection.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all();
}

function tableExists(db: ReturnType<typeof fixture.open>, name: string): boolean {
  return db.connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

const addWatches: Migration = {
  version: Math.max(...sqliteMigrations.map((m) => m.version)) + 1, // versions may have gaps
  name: 'test: watches',
  up(db) {
    db.exec('CREATE TABLE test_watches (id TEXT PRIMARY KEY) STRICT');
  },
};

describe('openSqliteDatabase', () => {
  it('creates the data directory and bot.sqlite in it', () => {
    const dataDir = path.join(fixture.dataDir, 'nested', 'data');
    const db = fixture.open({ dataDir });
    expect(db.filePath).toBe(path.join(dataDir, 'bot.sqlite'));
    expect(existsSync(db.filePath)).toBe(true);
  });

  it('creates the database, -wal and -shm readable by the owner only (0600), whatever the umask', () => {
    const previous = process.umask(0o022);
    try {
      const db = fixture.open();
      db.connection.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'x', 0)").run();
      for (const file of [db.filePath, `${db.filePath}-wal`, `${db.filePath}-shm`]) {
        expect([file, statSync(file).mode & 0o777]).toEqual([file, 0o600]);
      }
    } finally {
      process.umask(previous);
    }
  });

  it('narrows an older, world-readable database file to 0600 when it opens it', () => {
    const filePath = path.join(fixture.dataDir, 'old.sqlite');
    writeFileSync(filePath, '');
    chmodSync(filePath, 0o644);
    const db = fixture.open({ fileName: 'old.sqlite' });
    expect(statSync(db.filePath).mode & 0o777).toBe(0o600);
  });

  it('honours fileName', () => {
    const db = fixture.open({ fileName: 'other.sqlite' });
    expect(existsSync(path.join(fixture.dataDir, 'other.sqlite'))).toBe(true);
    expect(db.filePath).toBe(path.join(fixture.dataDir, 'other.sqlite'));
  });

  it('configures WAL, NORMAL sync, a busy timeout and foreign keys', () => {
    const { connection } = fixture.open();
    expect(connection.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(connection.pragma('synchronous', { simple: true })).toBe(1);
    expect(connection.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(connection.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('answers ping while open and closes idempotently', () => {
    const db = fixture.open();
    expect(db.isOpen()).toBe(true);
    expect(db.ping()).toBe(true);
    db.close();
    db.close();
    expect(db.isOpen()).toBe(false);
    expect(db.ping()).toBe(false);
  });
});

describe('schema migrations', () => {
  it('applies every migration to a fresh file and records each with the clock time', () => {
    fixture.clock.set(Date.UTC(2026, 2, 3));
    const db = fixture.open();
    expect(db.migrationsApplied).toEqual(sqliteMigrations.map((m) => m.version));
    expect(recorded(db)).toEqual(
      sqliteMigrations.map((m) => ({ version: m.version, name: m.name, applied_at: Date.UTC(2026, 2, 3) })),
    );
    for (const table of ['bot_state', 'conversation_refs', 'host_bindings', 'audit_log']) {
      expect(tableExists(db, table)).toBe(true);
    }
  });

  it('applies nothing when reopening an up-to-date file', () => {
    const first = fixture.open();
    const before = recorded(first);
    first.close();
    fixture.clock.advance(60_000);
    const again = fixture.open();
    expect(again.migrationsApplied).toEqual([]);
    expect(recorded(again)).toEqual(before);
  });

  it('applies only the migrations appended since the last open', () => {
    fixture.open().close();
    const db = fixture.open({ migrations: [...sqliteMigrations, addWatches] });
    expect(db.migrationsApplied).toEqual([addWatches.version]);
    expect(tableExists(db, 'test_watches')).toBe(true);
  });

  it('rolls a failing migration back whole and leaves the file usable', () => {
    fixture.open().close();
    const broken: Migration = {
      version: addWatches.version,
      name: 'test: broken',
      up(db) {
        db.exec('CREATE TABLE half_done (id TEXT) STRICT');
        throw new Error('boom');
      },
    };
    expect(() => fixture.open({ migrations: [...sqliteMigrations, broken] })).toThrow('boom');

    const db = fixture.open();
    expect(tableExists(db, 'half_done')).toBe(false);
    expect(recorded(db)).toHaveLength(sqliteMigrations.length);
  });

  it('refuses a database written by a newer build, with a clear error', () => {
    const db = fixture.open();
    db.connection.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(999, 'future', 0);
    db.close();

    const supported = sqliteMigrations.at(-1)?.version;
    let error: unknown;
    try {
      fixture.open();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect((error as Error).message).toBe(
      `SQLite database ${db.filePath} has schema version 999, but this build only knows migrations up to version ` +
        `${supported}. Run a newer build of the bot, or point it at another data directory.`,
    );
  });

  it('refuses a migration list that is not strictly increasing', () => {
    expect(() => fixture.open({ migrations: [addWatches, ...sqliteMigrations] })).toThrow(/versions must be integers increasing/);
  });
});
