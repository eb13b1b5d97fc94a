/**
 * views/: replies shared by a command and a card action (the image list is both `images` and its card's
 * paging and Apply): they read through core services and render a card; they never dispatch or send.
 */
export * from './imageListView';
export * from './imageChanges';
