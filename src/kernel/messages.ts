/**
 * Message-catalog keys, without importing the catalog: src/i18n/en.ts registers its keys into
 * `MessageKeyRegistry` by declaration merging, so the kernel stays import-free and a key the English
 * catalog lacks is a compile error wherever a `UserError` is made.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by src/i18n/en.ts
export interface MessageKeyRegistry {}

/** A key of the English (reference) catalog; `never` if the catalog were not part of the program. */
export type MessageKey = MessageKeyRegistry extends { keys: infer K extends string } ? K : never;

export type MessageParams = Readonly<Record<string, string | number>>;

/** What to tell a user: a catalog key and its placeholders' values, translated at the edge. */
export interface UserMessage {
  readonly key: MessageKey;
  readonly params: MessageParams;
}
