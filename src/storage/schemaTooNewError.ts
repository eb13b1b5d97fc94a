/**
 * The database holds a schema step this build does not know and that the step itself marked as breaking for older
 * builds: this build must not read or write it. Unknown steps marked compatible are run over (the deployment overlap).
 */
export class SchemaTooNewError extends Error {
  /**
   * @param location the SQLite file, or the PostgreSQL server and database (never a password)
   * @param breakingStep the first unknown step marked breaking
   * @param backend names the database and what to point at instead in the message
   */
  constructor(
    readonly location: string,
    readonly databaseVersion: number,
    readonly supportedVersion: number,
    readonly breakingStep: { version: number; name: string },
    backend: 'SQLite' | 'PostgreSQL' = 'SQLite',
  ) {
    super(
      `${backend} database ${location} has schema version ${databaseVersion}, but this build only knows migrations up to ` +
        `version ${supportedVersion}, and step ${breakingStep.version} ("${breakingStep.name}") changed the schema in a way ` +
        `older builds cannot run on. Run a newer build of the bot, or point it at another ${backend === 'SQLite' ? 'data directory' : 'database'}.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** What a migrator reads back from `schema_migrations`. */
export interface RecordedStep {
  version: number;
  name: string;
  olderCode: string;
}

/** The first recorded step that `known` lacks and that refuses older builds; undefined when this build may run. */
export function firstBreakingUnknown(recorded: readonly RecordedStep[], known: readonly { version: number }[]): RecordedStep | undefined {
  const versions = new Set(known.map((step) => step.version));
  return recorded.find((step) => !versions.has(step.version) && step.olderCode !== 'compatible');
}
