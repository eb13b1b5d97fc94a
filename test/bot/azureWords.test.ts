import { catalogs, createTranslator } from '../../src/i18n/catalog';
import { geographyName, regionName } from '../../src/i18n/azureNames';
import { validateLabForm } from '../../src/core/labForm';
import { announcement, progressCard } from '../../src/replication/replicationMessages';
import { watchOfStarted } from '../../src/replication/newWatch';
import { ACCOUNT_ID, ADMIN, createBotHarness, MEMBER, PLAN_ID, visibleText, type BotHarness } from '../support/botHarness';

/**
 * Issue 16, points 14 and 15: Azure's names as people read them (regions by their display names, in the reader's
 * language), rules said in words, plurals from the catalog, French command words. One bot for the whole file;
 * each test speaks in a conversation of its own so that no dialog is left open for the next.
 */
describe('Azure names, rules in words and French command words (TestAdapter, emulator)', () => {
  let h: BotHarness;
  let conversations = 0;
  /** A fresh conversation bound to `hostId`. */
  const conversation = async (hostId: string): Promise<string> => {
    const conversationId = `words-${++conversations}`;
    await h.services.bindings.put({ conversationId, hostId, boundBy: ADMIN, boundAt: 0 });
    return conversationId;
  };
  beforeAll(async () => {
    h = await createBotHarness();
  });
  afterAll(() => h.close());

  it.each([
    ['en-US', 'rg-labs · West US 2 · ⚠ not in West Europe, where chemistry-account is', 'rg-labs · West Europe\n'],
    ['fr-FR', "rg-labs · Ouest des États-Unis 2 · ⚠ pas dans Europe de l'Ouest, où se trouve chemistry-account", "rg-labs · Europe de l'Ouest\n"],
  ])('the attach gallery picker names regions as the portal does, never by code (%s)', async (locale, elsewhere, here) => {
    const conversationId = await conversation(ACCOUNT_ID);
    const [choice] = await h.say('attach', { aadObjectId: ADMIN, locale, conversationId });
    const text = visibleText(choice!);
    expect(text).toContain(elsewhere);
    expect(text).toContain(here);
    expect(text).not.toMatch(/westus2|westeurope/);
    await h.say(locale === 'fr-FR' ? 'annuler' : 'cancel', { aadObjectId: ADMIN, locale, conversationId });
  });

  it('names every region of the emulator in French, and its geographies', () => {
    for (const code of ['eastus', 'westus2', 'southcentralus', 'northeurope', 'westeurope', 'uksouth', 'francecentral', 'francesouth', 'germanywestcentral', 'southeastasia', 'australiaeast', 'japaneast', 'centralindia', 'canadacentral']) {
      expect([code, regionName(code, 'fr')]).not.toEqual([code, regionName(code, 'en')]);
    }
    expect(regionName('westus2', 'fr')).toBe('Ouest des États-Unis 2');
    expect(regionName('francecentral', 'fr')).toBe('France Centre');
    // The subscription's display name is English: it does not win over the French name, only over the code.
    expect(regionName('westus2', 'fr', 'West US 2')).toBe('Ouest des États-Unis 2');
    expect(regionName('mars1', 'en', 'Mars One')).toBe('Mars One');
    expect(regionName('mars1', 'fr')).toBe('mars1');
    expect(geographyName('United States', 'fr')).toBe('États-Unis');
  });

  it('names the regions and the geography of a replication in French on its card and in its announcement', () => {
    const versionId = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/physics/images/physics-win11/versions/1.0.0';
    const t0 = Date.UTC(2026, 10, 27, 9);
    const started = watchOfStarted({ versionId, hostId: 'plan', targets: ['eastus', 'westus2'], requester: { userId: 'a', conversationId: 'c', locale: 'fr-FR' } }, t0);
    const watch = {
      ...started,
      regions: [
        { region: 'eastus', state: 'Completed' as const, progress: 100, baseAt: t0, baseProgress: 0 },
        { region: 'westus2', state: 'Failed' as const, progress: 0, baseAt: t0, baseProgress: 0, details: 'quota' },
      ],
    };
    // What the subscription says: English names.
    const labels = { displayName: (r: string) => ({ eastus: 'East US', westus2: 'West US 2' })[r] ?? r, geography: 'United States' };
    const card = JSON.stringify(progressCard(watch, labels, 'fr-FR', t0 + 60_000));
    expect(card).toContain('Est des États-Unis');
    expect(card).toContain('Ouest des États-Unis 2 : quota');
    const failed = JSON.stringify(announcement({ ...watch, status: 'failed', finishedAt: t0 + 60_000 }, labels, 'fr-FR'));
    expect(failed).toContain('a échoué dans Ouest des États-Unis 2 (quota). Terminée : Est des États-Unis.');
    const done = announcement({ ...watch, status: 'completed', finishedAt: t0 + 60_000, regions: [watch.regions[0]!] }, labels, 'fr-FR');
    expect(JSON.stringify(done)).toContain('de la géographie États-Unis : Est des États-Unis.');
    expect(`${card}${failed}`).not.toMatch(/East US|West US|United States/);
  });

  it('puts the region and geography of an error in the reader’s words', () => {
    const fr = createTranslator('fr-FR');
    expect(fr({ key: 'lab.ineligible.notInHostRegion', params: { image: 'quantum-gpu', host: 'physics-plan', region: 'westus2' } })).toBe(
      "**quantum-gpu** n'a pas de réplica dans la région de **physics-plan** (Ouest des États-Unis 2) : répliquez-y d'abord une version.",
    );
    expect(fr({ key: 'replicate.nothingToDo', params: { image: 'a', version: '1.0.0', geography: 'United States', count: 3 } })).toContain('la géographie États-Unis (3 régions)');
  });

  it.each([
    ['en-US', 'my lab!', 'Use only letters, digits, hyphens (-) and underscores (_), with no spaces. This sign is not allowed: !'],
    ['en-US', 'my lab', 'Use only letters, digits, hyphens (-) and underscores (_), with no spaces.'],
    ['fr-FR', 'my lab!?', 'Uniquement des lettres, des chiffres, des traits d’union (-) et des tirets bas (_), sans espaces. Ces signes sont interdits : ! ?'],
  ])('says the lab name rule in words, no symbol for a space (%s, %p)', (locale, labName, expected) => {
    const result = validateLabForm({ labName }, { vmSizes: ['Classic_Fsv2_2_4GB_128_S_SSD'] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const said = createTranslator(locale)(result.errors.labName!);
    expect(said).toBe(expected);
    expect(said).not.toContain('␣');
  });

  it('dates the retirement notice of a French status card in French, with the region in French', async () => {
    const conversationId = await conversation(PLAN_ID);
    const text = visibleText((await h.say('état', { aadObjectId: ADMIN, locale: 'fr-FR', conversationId }))[0]!);
    expect(text).toContain('Azure Lab Services sera retiré le 28 juin 2027');
    expect(text).toContain('Ouest des États-Unis 2');
    expect(text).toContain('2 activées, 2 désactivées');
    expect(text).not.toMatch(/June|westus2/);
  });

  it.each(['état', 'ÉTAT', 'etat', '/état'])('takes the French command word %p with or without accents', async (word) => {
    const conversationId = await conversation(PLAN_ID);
    const [card] = await h.say(word, { aadObjectId: ADMIN, locale: 'fr-FR', conversationId });
    expect(visibleText(card!)).toMatch(/^État\n/);
  });

  it('routes the accented French words of every command, and names the French word when it refuses', async () => {
    const conversationId = await conversation(PLAN_ID);
    for (const word of ['détacher', 'créer', 'répliquer', 'attacher', 'désactiver', 'délier']) {
      const [reply] = await h.say(word, { aadObjectId: MEMBER, locale: 'fr-FR', conversationId });
      expect([word, reply?.text]).toEqual([word, expect.stringContaining(`Seul un administrateur du lab peut exécuter **${word}**.`)]);
    }
    const [unknown] = await h.say('bonsoir', { aadObjectId: MEMBER, locale: 'fr-FR', conversationId });
    expect(unknown?.text).toContain('Tapez **aide**');
  });

  it('suggests the French word, accents included, for a French typo', async () => {
    const conversationId = await conversation(PLAN_ID);
    const [card] = await h.say('répliqer physics-win11', { aadObjectId: ADMIN, locale: 'fr-FR', conversationId });
    const text = visibleText(card!);
    expect(text).toContain('Vouliez-vous dire **répliquer** ?');
    expect(JSON.stringify(card)).toContain('répliquer physics-win11');
    const [english] = await h.say('imgaes', { aadObjectId: ADMIN, locale: 'fr-FR', conversationId });
    expect(visibleText(english!)).toContain('Vouliez-vous dire **images** ?');
  });

  it.each(Object.keys(catalogs) as (keyof typeof catalogs)[])('%s writes no "(s)" and no bare count before a noun: plurals go through the catalog', (lang) => {
    // The counts the catalogs are given; `max`, `min`, `length`, `size` and `scale` are limits and sizes, never 1.
    const counts = 'count|total|done|failed|enabled|disabled|minutes|hours|seconds|days|left|replicas|regions|versions|images|cores';
    // A count straight before a word in -s or -x ("2 regions", "1 images"); words that are not nouns are let through.
    const bareCount = new RegExp(`\\{(?:${counts})\\} (?!(?:dans|sans|plus|vers|depuis|sous|has|was|is|as|its|this)\\b)\\p{L}{2,}[sx]\\b`, 'u');
    for (const [key, text] of Object.entries(catalogs[lang])) {
      // A plural block chooses its own words: only what is outside one is looked at.
      const outside = text.replace(/\{\w+, plural,(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}/g, '#');
      expect([key, /\((?:s|es|e|x)\)/.test(outside), bareCount.test(outside)]).toEqual([key, false, false]);
    }
  });

  it.each([
    ['en-US', 0, 'filter "gpu": no match'],
    ['en-US', 2, 'filter "gpu": 2 matches'],
    ['fr-FR', 1, 'filtre « gpu » : 1 correspondance'],
  ])('counts with the language’s plural rules (%s, %d)', (locale, count, expected) => {
    expect(createTranslator(locale)('images.filterLine', { filter: 'gpu', count })).toBe(expected);
  });

  it('says "1 region" and "1 minute", not "1 regions" or "1 minutes", in both languages', () => {
    const [en, fr] = [createTranslator('en'), createTranslator('fr-FR')];
    expect(en('replication.headline.progress', { done: 0, total: 1, geography: 'Europe' })).toBe('0 of 1 region of Europe done.');
    expect(fr('replication.headline.progress', { done: 1, total: 3, geography: 'Europe' })).toBe('1 région terminée sur 3 dans la géographie Europe.');
    expect(fr('status.imageCounts', { enabled: 1, disabled: 3 })).toBe('1 activée, 3 désactivées');
    expect(en('inventory.download', { name: 'a.csv', url: 'u', size: 2, minutes: 1 })).toContain('works for 1 minute.');
  });
});
