import type Database from 'better-sqlite3';

type Params = unknown[] | object;

/** A statement's SQL with the types of its parameters (positional tuple or named object) and rows. */
export interface Sql<P extends Params, R> {
  readonly source: string;
  /** Carries the types only; never set. */
  readonly types?: [P, R];
}

export function sql<P extends Params = unknown[], R = unknown>(source: string): Sql<P, R> {
  return { source };
}

type Prepared<S> = S extends Sql<infer P, infer R> ? (P extends unknown[] ? Database.Statement<P, R> : Database.Statement<[P], R>) : never;

/** Prepares a store's statements once, when it is built: one typed statement per name, no field to declare for each. */
export function prepareAll<T extends Record<string, Sql<Params, unknown>>>(connection: Database.Database, statements: T): { readonly [K in keyof T]: Prepared<T[K]> } {
  return Object.fromEntries(Object.entries(statements).map(([name, s]) => [name, connection.prepare(s.source)])) as { readonly [K in keyof T]: Prepared<T[K]> };
}
