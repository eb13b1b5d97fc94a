import { catalogs, createTranslator, languageOf } from '../../src/i18n/catalog';

/** `{name}` and `{name, plural, …}`, not a plural's branches (`one {entry}`). */
const placeholders = (s: string) =>
  [...new Set([...s.matchAll(/(?<!(?:zero|one|two|few|many|other|=\d+) )\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();

describe('message catalog', () => {
  const english = catalogs.en;
  const languages = Object.keys(catalogs) as (keyof typeof catalogs)[];

  it("picks plural branches by each language's rules", () => {
    const [en, fr] = [createTranslator('en'), createTranslator('fr-FR')];
    expect([0, 1, 2, 5].map((count) => en('images.filterLine', { filter: 'gpu', count }))).toEqual([
      'filter "gpu": no match',
      'filter "gpu": 1 match',
      'filter "gpu": 2 matches',
      'filter "gpu": 5 matches',
    ]);
    // French counts 0 as singular.
    expect([0, 1, 3].map((count) => fr('detach.note.teachersLose', { count }))).toEqual([
      'Les enseignants perdent 0 image activée pour les nouveaux labos.',
      'Les enseignants perdent 1 image activée pour les nouveaux labos.',
      'Les enseignants perdent 3 images activées pour les nouveaux labos.',
    ]);
    expect(en('replication.headline.completed', { total: 2, geography: 'Europe' })).toBe('Replicated to both regions of Europe.');
  });

  it.each(languages)('%s puts no angle brackets in text (Teams drops <name> as HTML): ‹name› instead', (lang) => {
    for (const [key, text] of Object.entries(catalogs[lang])) expect([key, /[<>]/.test(text)]).toEqual([key, false]);
  });

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

describe('catalog keys used by the code', () => {
  const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
  const path = jest.requireActual<typeof import('node:path')>('node:path');
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const sources = files(path.join(__dirname, '../../src'))
    .filter((f) => f.endsWith('.ts') && !f.includes(`${path.sep}emulator${path.sep}`))
    .map((f) => fs.readFileSync(f, 'utf8'));

  it('has every key given to a UserError', () => {
    const keys = new Set(sources.flatMap((s) => [...s.matchAll(/(?:UserError|super)\(\s*'([a-zA-Z]+\.[a-zA-Z.]+)'/g)].map((m) => m[1]!)));
    expect(keys.size).toBeGreaterThan(3);
    for (const key of keys) expect([key, key in catalogs.en]).toEqual([key, true]);
  });

  it('has an azure.<kind> message for every AzureError kind', () => {
    const errors = fs.readFileSync(path.join(__dirname, '../../src/kernel/errors.ts'), 'utf8');
    const union = /export type AzureErrorKind =([^;]+);/.exec(errors)?.[1] ?? '';
    const kinds = [...union.matchAll(/'(\w+)'/g)].map((m) => m[1]!);
    expect(kinds.length).toBeGreaterThan(5);
    for (const kind of kinds) expect(`azure.${kind}` in catalogs.en).toBe(true);
  });
});
