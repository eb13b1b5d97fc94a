import type { Activity } from 'botbuilder';
import { journalEntry } from '../../src/operations/kinds';
import { SqliteConfirmationStore, SqliteOperationStore } from '../../src/storage/sqlite';
import { submitData } from '../support/dialogHarness';
import { ADMIN, createBotHarness, PLAN_ID, TEACHER, visibleText, type BotHarness } from '../support/botHarness';

const ADMIN2 = '00000000-0000-0000-0000-00000000ad02';

/**
 * Confirming a proposal while another change runs on the same host: the proposal is not used up, the user is
 * told what runs there, the refusal is audited, and once the host is free the same button starts the change.
 */
describe('confirming on a busy lab host (TestAdapter, msteams, emulator)', () => {
  let h: BotHarness;
  let journal: SqliteOperationStore;
  beforeEach(async () => {
    h = await createBotHarness({ access: { adminIds: [ADMIN2] } });
    journal = new SqliteOperationStore(h.db);
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
  });
  afterEach(() => h.close());

  const planGallery = () => h.azure.emulator.state.labPlans.get(PLAN_ID)?.sharedGalleryId;
  const writes = () => h.azure.emulator.requestLog.filter((e) => e.method !== 'GET');
  const press = (data: Record<string, unknown>, as: string, locale = 'en-US'): Promise<Partial<Activity>[]> =>
    h.send({ type: 'message', value: data, locale, from: { id: `u-${as}`, name: 'A', aadObjectId: as } });

  /** A teacher's lab being created on the plan: journaled and running, never launched here. */
  const labBeingCreated = () =>
    journal.create({
      ...journalEntry(
        'createLab',
        { hostId: PLAN_ID, target: `${PLAN_ID.replace(/labPlans\/.*$/, 'labs/thermo-301')}`, requestedBy: TEACHER, conversationId: 'conversation-2', locale: 'en-US', correlationId: 'c-lab' },
        { name: 'thermo-301', title: 'Thermo', imageName: 'physics-win11', imageId: `${PLAN_ID}/images/physics-win11`, imageDefinitionId: '', vmSize: 'Medium', capacity: 5, usageQuotaHours: 10, adminUsername: 'labadmin' },
      ),
      id: 'op-lab',
    });

  it.each([
    ['en-US', /^Not started: another change is running on \*\*physics-plan\*\* \(a lab being created, started 3 min ago\)\. Nothing was changed and your proposal stays open: confirm it again once that change has finished \(it expires in 7 min\)\.$/],
    ['fr-FR', /^Pas lancé : une autre modification est en cours sur \*\*physics-plan\*\* \(un lab en cours de création, commencée il y a 3 min\)\. .*votre proposition reste ouverte.*\(elle expire dans 7 min\)\.$/],
  ])('says what runs, keeps the proposal, audits the refusal; the same button works once the host is free (%s)', async (locale, busyText) => {
    const [proposal] = await h.say('detach', { aadObjectId: ADMIN, locale });
    const confirm = submitData(proposal, 'confirm');
    const running = await labBeingCreated();
    h.clock.advance(3 * 60_000);
    h.azure.emulator.clearRequestLog();

    const [refusal, ...more] = await press(confirm, ADMIN, locale);
    expect(more).toEqual([]);
    expect(refusal?.text).toMatch(busyText);
    expect(writes()).toEqual([]);
    expect(planGallery()).toBeDefined();
    const stored = await new SqliteConfirmationStore(h.db).get(String(confirm.confirmationId));
    expect(stored?.usedAt).toBeUndefined();
    expect((await h.services.audit.recent(10)).map((a) => [a.command, a.outcome, a.userId, a.detail])).toEqual([
      ['detach', 'refused', ADMIN, 'operation.busy running=createLab operation=op-lab'],
    ]);
    expect((await journal.listUnfinished()).map((op) => op.id)).toEqual(['op-lab']);

    await journal.update(running.id, running.eTag, { status: 'succeeded', reportedAt: h.clock.now() });
    const [started] = await press(confirm, ADMIN, locale);
    expect(visibleText(started!)).toMatch(locale === 'en-US' ? /^⏳ Detaching \*\*physics_gallery\*\*/ : /physics_gallery/);
    await h.settle();
    expect(planGallery()).toBeUndefined();
    const [again] = await press(confirm, ADMIN, locale);
    expect(again?.text).toMatch(locale === 'en-US' ? /already confirmed/i : /déjà/);
  });

  it("keeps another admin's detach open while the first one's runs", async () => {
    const [first] = await h.say('detach', { aadObjectId: ADMIN });
    const [second] = await h.say('detach', { aadObjectId: ADMIN2 });
    const firstConfirm = submitData(first, 'confirm');
    const secondConfirm = submitData(second, 'confirm');
    // A slow ARM call holds the first admin's detach running while the second admin confirms.
    h.azure.emulator.faults.add({ method: 'PATCH', path: /labPlans\/physics-plan$/i, latencyMs: 1000 });
    await press(firstConfirm, ADMIN);
    const [refusal] = await press(secondConfirm, ADMIN2);
    expect(refusal?.text).toMatch(/^Not started: another change is running on \*\*physics-plan\*\* \(the gallery being detached, started 0 min ago\)/);
    expect((await new SqliteConfirmationStore(h.db).get(String(secondConfirm.confirmationId)))?.usedAt).toBeUndefined();
    expect((await h.services.audit.recent(10)).filter((a) => a.outcome === 'refused').map((a) => [a.command, a.userId])).toEqual([['detach', ADMIN2]]);
    await h.settle();
    expect(planGallery()).toBeUndefined();
  });
});
