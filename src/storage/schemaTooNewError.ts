/** The database was migrated by a newer build; this build must not read or write it. */
export class SchemaTooNewError extends Error {
  /**
   * @param location the SQLite file, or the PostgreSQL server and database (never a password)
   * @param backend names the database and what to point at instead in the message
   */
  constructor(
    readonly location: string,
    readonly databaseVersion: number,
    readonly supportedVersion: number,
    backend: 'SQLite' | 'PostgreSQL' = 'SQLite',
  ) {
    super(
      `${backend} database ${location} has schema version ${databaseVersion}, but this build only knows migrations up to ` +
        `version ${supportedVersion}. Run a newer build of the bot, or point it at another ${backend === 'SQLite' ? 'data directory' : 'database'}.`,
    );
    this.name = 'SchemaTooNewError';
  }
}
