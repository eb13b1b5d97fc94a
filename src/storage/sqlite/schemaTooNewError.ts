/** The database was migrated by a newer build; this build must not read or write it. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly filePath: string,
    readonly databaseVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `SQLite database ${filePath} has schema version ${databaseVersion}, but this build only knows migrations up to ` +
        `version ${supportedVersion}. Run a newer build of the bot, or point it at another data directory.`,
    );
    this.name = 'SchemaTooNewError';
  }
}
