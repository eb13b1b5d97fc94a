/**
 * kernel/: the vocabulary every layer may import — user-facing errors keyed by catalog message, ARM ids,
 * Azure role names. It imports nothing of ours (the layering rule in .dependency-cruiser.js holds it to that).
 */
export * from './armIds';
export * from './errors';
export * from './invisibleText';
export * from './messages';
export * from './roles';
export * from './permissions';
