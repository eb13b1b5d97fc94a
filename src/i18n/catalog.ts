/**
 * i18n/: the message catalogs (en, fr), the translator, and userMessageOf — the one mapping from an error to a
 * user message. Below the domain: it imports the kernel only.
 */
import { en, type MessageKey } from './en';
import { fr } from './fr';
import { geographyName, regionName } from './azureNames';
import type { Language, Translator } from './translator';
import { stripInvisible, type MessageParams, type UserMessage } from '../kernel';

export type { MessageKey };
export type { Language, Translator };

export const catalogs: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { en, fr };

/** Whether a key read from data (the journal, a stored error) is one of the catalog's. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** 'fr-FR', 'fr-CA', 'FR' → French; anything else (or nothing) → English. */
export function languageOf(locale: string | undefined): Language {
  const primary = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'fr' ? 'fr' : 'en';
}

function interpolate(template: string, params: MessageParams = {}, language: Language = 'en'): string {
  return template.includes(', plural,') ? simple(plurals(template, params, language), params) : simple(template, params);
}

function simple(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    // Parameters often quote what a user typed: nothing invisible is echoed back.
    return v === undefined ? whole : stripInvisible(String(v));
  });
}

const pluralRules: Record<Language, Intl.PluralRules> = { en: new Intl.PluralRules('en'), fr: new Intl.PluralRules('fr') };

/**
 * ICU plural selection, the part the catalogs use: `{count, plural, one {# image} other {# images}}` picks the
 * branch by the language's plural rules (`=0`-style exact branches first) and writes the number for `#`.
 * French counts 0 and 1 as one, English only 1.
 */
function plurals(template: string, params: MessageParams, language: Language): string {
  let out = '';
  let at = 0;
  const opener = /\{(\w+), plural,/g;
  for (let m = opener.exec(template); m; m = opener.exec(template)) {
    const branches = new Map<string, string>();
    let i = m.index + m[0].length;
    for (;;) {
      while (template[i] === ' ') i++;
      if (template[i] === '}') break;
      const key = /^[=\w]+/.exec(template.slice(i))?.[0];
      if (!key) throw new Error(`bad plural in message: ${template}`);
      i += key.length;
      while (template[i] === ' ') i++;
      const end = matchingBrace(template, i);
      branches.set(key, template.slice(i + 1, end));
      i = end + 1;
    }
    const n = Number(params[m[1]!]);
    const text = branches.get(`=${n}`) ?? branches.get(pluralRules[language].select(n)) ?? branches.get('other') ?? '';
    out += template.slice(at, m.index) + text.replace(/#/g, String(params[m[1]!] ?? ''));
    at = i + 1;
    opener.lastIndex = at;
  }
  return out + template.slice(at);
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`unbalanced braces in message: ${text}`);
}

/**
 * Errors are raised below the edge, where the reader's language is unknown: the region code (`region`) and
 * geography (`geography`) they carry are put into the reader's words here, where it is known.
 */
function azureNamesIn(params: MessageParams | undefined, language: Language): MessageParams | undefined {
  if (!params || (params.region === undefined && params.geography === undefined)) return params;
  return {
    ...params,
    ...(typeof params.region === 'string' ? { region: regionName(params.region, language) } : {}),
    ...(typeof params.geography === 'string' ? { geography: geographyName(params.geography, language) } : {}),
  };
}

/** Any locale but French gets this one, made once: translators are immutable, and every turn needs one. */
export function createTranslator(locale: string | undefined): Translator {
  return languageOf(locale) === 'en' ? english : makeTranslator(locale);
}

function makeTranslator(locale: string | undefined): Translator {
  const language = languageOf(locale);
  const catalog = catalogs[language];
  const say = (key: MessageKey, params?: MessageParams): string => interpolate(catalog[key] ?? en[key], params, language);
  const t = ((keyOrMessage: MessageKey | UserMessage, params?: MessageParams) =>
    typeof keyOrMessage === 'string' ? say(keyOrMessage, params) : say(keyOrMessage.key, azureNamesIn(keyOrMessage.params, language))) as Translator;
  Object.defineProperty(t, 'language', { value: language });
  Object.defineProperty(t, 'locale', { value: language === 'fr' ? (locale ?? 'fr') : 'en' });
  return t;
}

const english = makeTranslator('en');
