import { DEMO_IDS } from '../../src/emulator';
import { SqliteBindingStore, SqliteConversationRefStore } from '../../src/storage/sqlite';
import { ReplicationAudience } from '../../src/replication/replicationAudience';
import { vmSizeName } from '../../src/i18n/azureNames';
import { createTranslator } from '../../src/i18n/catalog';
import { ADMIN, createBotHarness, PLAN_ID, TEACHER, visibleText, type BotHarness } from '../support/botHarness';

/** Issue 16, points 14 and 15: per-conversation language, and Azure's ids in words. */
describe('languages and names', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness();
  });
  afterAll(() => h.close());

  it("keeps the channel's language for its posts, and each person's for their personal chat", async () => {
    const channel = '19:general@thread.tacv2';
    await h.say('status', { aadObjectId: ADMIN, locale: 'en-US', conversationId: channel });
    await h.services.bindings.put({ conversationId: channel, hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
    // A French teacher writes in the English channel, then in their own chat.
    await h.say('status', { aadObjectId: TEACHER, locale: 'fr-FR', conversationId: channel });
    await h.say('status', { aadObjectId: TEACHER, locale: 'fr-FR' });
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
    const audience = new ReplicationAudience(new SqliteBindingStore(h.db), new SqliteConversationRefStore(h.db));
    const recipients = await audience.of({ hostIds: [PLAN_ID], galleryId: DEMO_IDS.physicsGalleryId });
    expect(Object.fromEntries(recipients.map((r) => [r.conversationId, r.locale]))).toEqual({ [channel]: 'en-US', 'conversation-1': 'fr-FR' });
  });

  it.each([
    ['en-US', 'Lab plan', 'West US 2'],
    ['fr-FR', 'Plan de labo', 'Ouest des États-Unis 2'],
  ])('says lab plan and the region by name, never "lab host" or a region code (%s)', async (locale, kind, region) => {
    const text = visibleText((await h.say('status', { aadObjectId: ADMIN, locale }))[0]!);
    expect(text).toContain(kind);
    expect(text).toContain(region);
    expect(text).not.toMatch(/lab host|hôte de labo|westus2/i);
  });

  it.each([
    ['en-US', 'Classic_Fsv2_4_8GB_128_S_SSD', 'Medium (4 cores, 8 GB)'],
    ['en-US', 'Classic_Fsv2_2_4GB_128_S_SSD', 'Small (2 cores, 4 GB)'],
    ['fr-FR', 'Classic_Dsv4_4_16GB_128_P_SSD', 'Moyenne (virtualisation imbriquée) (4 cœurs, 16 Go)'],
    ['en-US', 'Classic_Xyz_16_64GB_128_S_SSD', '16 cores, 64 GB'],
    ['en-US', 'Basic', 'Small'],
  ])('names VM sizes as Lab Services does (%s %s)', (locale, id, expected) => {
    expect(vmSizeName(id, createTranslator(locale))).toBe(expected);
  });
});
