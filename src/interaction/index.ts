/**
 * interaction/: the vocabulary of a turn, shared by commands/, actions/ and dialogs/ (which do not import
 * each other): the Request the edge makes of a turn, Replies, the dialog start contract, card verbs, the
 * services handlers use, and the one mapping from an error to a user message.
 */
export * from './boundGallery';
export * from './dialogs';
export * from './galleryArgs';
export * from './reply';
export * from './request';
export * from './services';
export * from './userMessage';
export * from './verbs';
