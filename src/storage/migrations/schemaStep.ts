/**
 * One version of the schema, for both backends side by side: the two SQL texts create the same tables, columns
 * and constraints, each in its own dialect. Each backend runs its text in one transaction together with the row
 * that records it in `schema_migrations`, so a step is applied entirely or not at all. Never edit a released
 * step: append a new one with the next version (a step that needs code rather than SQL can grow a function here).
 */
export interface SchemaStep {
  /** Positive integer, strictly increasing along the list. */
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
  /**
   * Whether builds that do not know this step may keep running on a database that has it (the deployment overlap:
   * old and new instances side by side). 'compatible' for additive steps (a new table, a nullable column older code
   * never reads); 'breaking' (the default) when older code would misread or miswrite the schema: such a database is
   * refused by every build older than the step. Recorded in `schema_migrations`, where older builds read it.
   */
  readonly olderCode?: 'compatible' | 'breaking';
}
