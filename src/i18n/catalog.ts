import { en, type MessageKey } from './en';
import { fr } from './fr';
import type { MessageParams } from '../core/errors';

export type { MessageKey };
export type Language = 'en' | 'fr';

export const catalogs: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { en, fr };

export interface Translator {
  readonly language: Language;
  /** The BCP-47 locale the translator was made for, for dates and numbers. */
  readonly locale: string;
  (key: MessageKey, params?: MessageParams): string;
  /** For keys that come from data (UserError.key); unknown keys are a programming error, logged by the caller. */
  has(key: string): key is MessageKey;
}

/** 'fr-FR', 'fr-CA', 'FR' → French; anything else (or nothing) → English. */
export function languageOf(locale: string | undefined): Language {
  const primary = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'fr' ? 'fr' : 'en';
}

export function interpolate(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

/** Any locale but French gets this one, made once: translators are immutable, and every turn needs one. */
export function createTranslator(locale: string | undefined): Translator {
  return languageOf(locale) === 'en' ? english : makeTranslator(locale);
}

function makeTranslator(locale: string | undefined): Translator {
  const language = languageOf(locale);
  const catalog = catalogs[language];
  const t = ((key: MessageKey, params?: MessageParams) => interpolate(catalog[key] ?? en[key], params)) as Translator;
  Object.defineProperty(t, 'language', { value: language });
  Object.defineProperty(t, 'locale', { value: language === 'fr' ? (locale ?? 'fr') : 'en' });
  Object.defineProperty(t, 'has', { value: (key: string): key is MessageKey => Object.hasOwn(en, key) });
  return t;
}

const english = makeTranslator('en');
