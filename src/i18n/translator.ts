import type { MessageParams, UserMessage } from '../kernel';
import type { MessageKey } from './en';

/**
 * The languages the bot speaks, and what turns a message key into the reader's words: types only, apart from the
 * catalog, so that what the catalog itself uses (Azure's names in the reader's language) can name them too.
 */
export type Language = 'en' | 'fr';

export interface Translator {
  readonly language: Language;
  /** The BCP-47 locale the translator was made for, for dates and numbers. */
  readonly locale: string;
  (key: MessageKey, params?: MessageParams): string;
  (message: UserMessage): string;
}
