/**
 * i18n/: the message catalogs (en, fr), the translator, and userMessageOf — the one mapping from an error to a
 * user message. Below the domain: it imports the kernel only.
 */
import { en, type MessageKey } from './en';
import { fr } from './fr';
import { stripInvisible, type MessageParams, type UserMessage } from '../kernel';

export type { MessageKey };
export type Language = 'en' | 'fr';

export const catalogs: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { en, fr };

export interface Translator {
  readonly language: Language;
  /** The BCP-47 locale the translator was made for, for dates and numbers. */
  readonly locale: string;
  (key: MessageKey, params?: MessageParams): string;
  (message: UserMessage): string;
}

/** Whether a key read from data (the journal, a stored error) is one of the catalog's. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** 'fr-FR', 'fr-CA', 'FR' → French; anything else (or nothing) → English. */
export function languageOf(locale: string | undefined): Language {
  const primary = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'fr' ? 'fr' : 'en';
}

function interpolate(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    // Parameters often quote what a user typed: nothing invisible is echoed back.
    return v === undefined ? whole : stripInvisible(String(v));
  });
}

/** Any locale but French gets this one, made once: translators are immutable, and every turn needs one. */
export function createTranslator(locale: string | undefined): Translator {
  return languageOf(locale) === 'en' ? english : makeTranslator(locale);
}

function makeTranslator(locale: string | undefined): Translator {
  const language = languageOf(locale);
  const catalog = catalogs[language];
  const say = (key: MessageKey, params?: MessageParams): string => interpolate(catalog[key] ?? en[key], params);
  const t = ((keyOrMessage: MessageKey | UserMessage, params?: MessageParams) =>
    typeof keyOrMessage === 'string' ? say(keyOrMessage, params) : say(keyOrMessage.key, keyOrMessage.params)) as Translator;
  Object.defineProperty(t, 'language', { value: language });
  Object.defineProperty(t, 'locale', { value: language === 'fr' ? (locale ?? 'fr') : 'en' });
  return t;
}

const english = makeTranslator('en');
