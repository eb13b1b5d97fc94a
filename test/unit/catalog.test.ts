import { catalogs, createTranslator, languageOf } from '../../src/i18n/catalog';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalog', () => {
  const english = catalogs.en;
  const languages = Object.keys(catalogs) as (keyof typeof catalogs)[];

  it.each(languages)('%s has every key, no extra key, and no empty message', (lang) => {
    const catalog = catalogs[lang];
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(catalog)) expect([key, text.trim().length > 0]).toEqual([key, true]);
  });

  it.each(languages)('%s uses the same placeholders as English', (lang) => {
    for (const key of Object.keys(english) as (keyof typeof english)[]) {
      expect([key, placeholders(catalogs[lang][key])]).toEqual([key, placeholders(english[key])]);
    }
  });

  it('picks French for any French locale and English otherwise', () => {
    expect(languageOf('fr-FR')).toBe('fr');
    expect(languageOf('fr-ca')).toBe('fr');
    expect(languageOf('FR')).toBe('fr');
    expect(languageOf('de-DE')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
  });

  it('interpolates parameters', () => {
    expect(createTranslator('fr-FR')('bind.done', { host: 'physics' })).toBe('Cette conversation est maintenant liée à **physics**.');
    expect(createTranslator('en-US')('bind.done', { host: 'physics' })).toBe('This conversation is now bound to **physics**.');
  });
});
