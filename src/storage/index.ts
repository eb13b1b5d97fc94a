/**
 * storage/: the stores' backends, one folder each — sqlite/ (better-sqlite3, WAL) today. They implement the
 * domain stores of ports/ and botbuilder's Storage for dialog state; the composition root picks one.
 */
export * from './sqlite';
