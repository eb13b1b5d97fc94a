/**
 * How a store tells persistence that some of its fields are configuration, not state: they are set up at every
 * start (from the emulator's options) before a snapshot is restored, so they are neither saved nor restored.
 * A module of its own so that the stores and persistence.ts both import it without importing each other.
 */

/** The key of a store's list of field names set up at every start (a symbol: it is never a field that is saved). */
export const SET_UP_AT_START: unique symbol = Symbol('setUpAtStart');

export interface SetUpAtStart {
  readonly [SET_UP_AT_START]: readonly string[];
}

/** The names of `instance`'s fields set up at every start (none unless it declares them). */
export function fieldsSetUpAtStart(instance: object): ReadonlySet<string> {
  const declared = (instance as Partial<SetUpAtStart>)[SET_UP_AT_START];
  return new Set(declared ?? []);
}
