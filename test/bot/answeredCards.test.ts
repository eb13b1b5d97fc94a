import type { Activity, AdaptiveCardInvokeResponse, InvokeResponse } from 'botbuilder';
import { LAB_FORM_VERBS } from '../../src/core/labForm';
import { DEMO_IDS, DEMO_NAMES } from '../../src/emulator';
import { SqliteOperationStore } from '../../src/storage/sqlite';
import { submitData } from '../support/dialogHarness';
import { ACCOUNT_ID, ADMIN, createBotHarness, PLAN_ID, TEACHER, visibleText, type BotHarness } from '../support/botHarness';
import { labFormInput } from '../support/labFormInput';

/**
 * Issue 16, points 7 and 13 at the bot's edge: a card someone answered, or whose proposal is used up, keeps no
 * live button; paging a choice card replaces it in place; an operation's audit line and card name its requester.
 * One harness for the file: each test has a conversation of its own, and the tests that change Azure come last.
 */
describe('answered cards and requester names (TestAdapter, msteams, emulator)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness();
  });
  afterAll(() => h.close());

  const accountGallery = () => h.azure.emulator.state.labAccounts.get(ACCOUNT_ID)?.sharedGallery?.galleryId;
  const writes = () => h.azure.emulator.requestLog.filter((e) => e.method !== 'GET').length;
  const alex = (conversationId: string) => ({
    locale: 'en-US',
    from: { id: '29:alex', name: 'Alex Wilber', aadObjectId: ADMIN },
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: 'chat' },
  });
  const bound = async (conversationId: string) => {
    await h.services.bindings.put({ conversationId, hostId: ACCOUNT_ID, boundBy: ADMIN, boundAt: 0 });
    return {
      say: (text: string) => h.send({ type: 'message', text, ...alex(conversationId) }),
      /** A button of the card, as Teams sends it: the card's message id in replyToId. */
      click: (card: Partial<Activity> | undefined, verb: string, extra: Record<string, unknown> = {}) =>
        h.send({ type: 'message', value: { ...submitData(card, verb), ...extra }, replyToId: card?.id, ...alex(conversationId) }),
    };
  };
  /** What a card offers to press: none of these may be left on an answered card. */
  const actionsOf = (activity: Partial<Activity> | undefined) => JSON.stringify(activity?.attachments ?? []).match(/Action\.(Submit|Execute|ToggleVisibility)/g) ?? [];

  it('paging the gallery picker replaces it in place, and a pick from the new page answers that same card', async () => {
    for (let i = 0; i < 9; i++) h.azure.emulator.state.addGallery({ resourceGroup: DEMO_NAMES.resourceGroup, name: `extra_${i}`, location: 'westus2' });
    const chat = await bound('conversation-paging');
    const [picker] = await chat.say('attach');
    expect(visibleText(picker!)).toMatch(/Choose a gallery to attach[\s\S]*Page 1 of 2/);
    const before = h.updated.length;

    expect(await chat.click(picker, 'galleryPage', { page: 1 })).toEqual([]);
    const paged = h.updated.slice(before);
    expect(paged.map((u) => u.id)).toEqual([picker?.id]);
    expect(visibleText(paged[0]!)).toMatch(/Choose a gallery to attach[\s\S]*Page 2 of 2/);
    expect(visibleText(paged[0]!)).toContain('shared_images');

    // Back to page 1 from the updated card: in place again.
    expect(await chat.click(paged[0], 'galleryPage', { page: 0 })).toEqual([]);
    expect(h.updated.slice(before).map((u) => u.id)).toEqual([picker?.id, picker?.id]);
    expect(visibleText(h.updated.at(-1)!)).toMatch(/Page 1 of 2/);

    // A pick on the shown page settles that one card (no button left on it) and proposes.
    const [proposal] = await chat.click(h.updated.at(-1), 'pickGallery', { galleryId: DEMO_IDS.sharedImagesGalleryId });
    expect(visibleText(proposal!)).toContain('Attach shared_images to chemistry-account?');
    const settled = h.updated.at(-1)!;
    expect(settled.id).toBe(picker?.id);
    expect(visibleText(settled)).toMatch(/^Gallery \*\*shared_images\*\* chosen\.\nChosen by Alex Wilber · \{\{TIME\(/);
    expect(actionsOf(settled)).toEqual([]);
    expect(await chat.click(proposal, 'confirm', { answer: 'no' })).toEqual([]);
  });

  it('a picker pressed once its flow has ended (another command replaced it) becomes that refusal, with no button', async () => {
    const chat = await bound('conversation-stale-picker');
    const [picker] = await chat.say('attach');
    // Another command that starts a flow ends this one (detach has nothing to detach here, and stops at once).
    await chat.say('detach');
    const updates = h.updated.length;
    expect(await chat.click(picker, 'pickGallery', { galleryId: DEMO_IDS.sharedImagesGalleryId })).toEqual([]);
    const [card, ...more] = h.updated.slice(updates);
    expect(more).toEqual([]);
    expect(card?.id).toBe(picker?.id);
    expect(visibleText(card!)).toBe('That choice is no longer open. Run the command again.');
    expect(actionsOf(card)).toEqual([]);
  });

  it('Confirm pressed on an expired proposal replaces it with how it ended, with no button, and changes nothing', async () => {
    const chat = await bound('conversation-expired');
    const [proposal] = await chat.say('attach shared_images');
    expect(actionsOf(proposal)).not.toEqual([]);
    const before = writes();
    h.clock.advance(10 * 60_000 + 1);
    const updates = h.updated.length;

    expect(await chat.click(proposal, 'confirm')).toEqual([]);
    const [outcome, ...more] = h.updated.slice(updates);
    expect(more).toEqual([]);
    expect(outcome?.id).toBe(proposal?.id);
    expect(visibleText(outcome!)).toMatch(/^This proposal expired; nothing was changed\.\nExpired at \{\{TIME\(\d{4}-\d\d-\d\dT[\d:]+Z\)\}\} · type \*\*attach\*\* again$/);
    expect(actionsOf(outcome)).toEqual([]);
    // Pressed again (a client that had not redrawn yet): the same outcome, still nothing done.
    expect(await chat.click(proposal, 'confirm', { answer: 'no' })).toEqual([]);
    expect(visibleText(h.updated.at(-1)!)).toMatch(/^This proposal expired/);
    await h.settle();
    expect(writes()).toBe(before);
    expect(accountGallery()).toBeUndefined();
  });

  it('a second press on a cancelled proposal leaves its outcome, with no button, and changes nothing', async () => {
    const chat = await bound('conversation-cancelled');
    const [proposal] = await chat.say('attach shared_images');
    const before = writes();
    const updates = h.updated.length;
    expect(await chat.click(proposal, 'confirm', { answer: 'no' })).toEqual([]);
    expect(await chat.click(proposal, 'confirm')).toEqual([]);
    const outcomes = h.updated.slice(updates);
    expect(outcomes.map((u) => u.id)).toEqual([proposal?.id, proposal?.id]);
    for (const card of outcomes) {
      expect(visibleText(card)).toMatch(/^Cancelled: nothing was changed\.\nCancelled by Alex Wilber · \{\{TIME\(/);
      expect(actionsOf(card)).toEqual([]);
    }
    await h.settle();
    expect(writes()).toBe(before);
    expect(accountGallery()).toBeUndefined();
  });

  it('a proposal confirmed where no card was named, pressed later: its card says it was confirmed, by whom, with no button', async () => {
    const chat = await bound('conversation-typed');
    const [real] = await chat.say('attach shared_images');
    const confirmation = String(submitData(real, 'confirm').confirmationId);
    // Confirmed where no card was named (another client of the same person): only the store knows.
    expect(await h.services.confirmations.consume(confirmation, 'confirmed')).toBe(true);
    const updates = h.updated.length;
    expect(await chat.click(real, 'confirm')).toEqual([]);
    const [card] = h.updated.slice(updates);
    expect(card?.id).toBe(real?.id);
    expect(visibleText(card!)).toMatch(/^This was already confirmed; nothing more was done\.\nConfirmed by Alex Wilber · \{\{TIME\(/);
    expect(actionsOf(card)).toEqual([]);
  });

  it('a finished attach: its card and its audit line name the requester, who has no other named entry; a second press leaves the card to the operation', async () => {
    const chat = await bound('conversation-attach');
    const [proposal] = await chat.say('attach shared_images');
    const updates = h.updated.length;
    expect(await chat.click(proposal, 'confirm')).toEqual([]);
    expect(visibleText(h.updated.at(-1)!)).toMatch(/Attaching \*\*shared_images\*\*[\s\S]*Confirmed by Alex Wilber/);
    await h.settle();
    expect(accountGallery()?.toLowerCase()).toBe(DEMO_IDS.sharedImagesGalleryId.toLowerCase());

    const journal = new SqliteOperationStore(h.db);
    const op = (await h.services.audit.recent(1))[0];
    expect(op).toMatchObject({ command: 'attach', outcome: 'succeeded', userId: ADMIN, userName: 'Alex Wilber' });
    expect((await journal.listUnfinished()).length).toBe(0);
    expect(h.db.connection.prepare<[], { requested_by_name: string }>("SELECT requested_by_name FROM operations WHERE kind = 'attach' AND status = 'succeeded'").all()).toEqual([
      { requested_by_name: 'Alex Wilber' },
    ]);
    // The operation's own card, updated in place through the outbox: what was done, by whom.
    const finished = h.notifier.updates.at(-1);
    expect(finished?.key).toBe(h.notifier.adopted.at(-1)?.key);
    expect(h.notifier.outcomes().at(-1)).toMatch(/✅ \*\*shared_images\*\* is now attached to \*\*chemistry-account\*\*[\s\S]*Attached by Alex Wilber · \{\{TIME\(/);

    // The audit view reads it as a sentence; the name is the operation's own (no other entry of this person is named).
    const named = (await h.services.audit.recent(50)).filter((e) => e.userName !== undefined);
    expect(named.map((e) => e.command)).toEqual(['attach']);
    const [auditCard] = await chat.say('audit');
    expect(visibleText(auditCard!)).toMatch(/Alex Wilber attached the gallery shared_images · /);

    // A stale press on the card that became the operation's: the card stays the operation's, a word says why.
    const afterFinish = h.updated.length;
    const [said] = await chat.click(proposal, 'confirm');
    expect(said?.text).toBe('This was already confirmed; nothing more was done.');
    expect(h.updated.length).toBe(afterFinish);
    expect(h.updated.slice(updates).every((u) => u.id === proposal?.id)).toBe(true);
  });

  it('Confirm pressed on a detach proposal whose gallery was detached meanwhile: not started, its card says why, with no button', async () => {
    const chat = await bound('conversation-changed');
    const [proposal] = await chat.say('detach');
    expect(visibleText(proposal!)).toContain('shared_images');
    // Detached meanwhile from somewhere else (the portal, another conversation).
    await h.services.labHosts.detachGallery(ACCOUNT_ID);
    const before = writes();
    const updates = h.updated.length;
    expect(await chat.click(proposal, 'confirm')).toEqual([]);
    const [card, ...more] = h.updated.slice(updates);
    expect(more).toEqual([]);
    expect(card?.id).toBe(proposal?.id);
    expect(visibleText(card!)).toBe('**chemistry-account** has no gallery attached; nothing to detach.\nNot started · type **detach** again if you still want it');
    expect(actionsOf(card)).toEqual([]);
    await h.settle();
    expect(writes()).toBe(before);
    expect((await h.services.audit.recent(1))[0]?.command).not.toBe('detach');
  });

  it('the lab form, once it became the lab’s card: Create or Cancel pressed again from an old render starts or cancels nothing', async () => {
    const conversationId = 'conversation-lab';
    await h.services.bindings.put({ conversationId, hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
    const press = async (verb: string) => {
      const [reply] = await h.send({
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: 'form-message-9',
        value: { action: { type: 'Action.Execute', verb, data: { image: 'physics-win11', ...labFormInput() } } },
        ...alex(conversationId),
        from: { id: '29:ada', name: 'Ada Teacher', aadObjectId: TEACHER },
      });
      return (reply?.value as InvokeResponse<AdaptiveCardInvokeResponse>).body!;
    };
    const labWrites = () => h.azure.emulator.requestLog.filter((e) => e.operation === 'labs.createOrUpdate').length;
    const first = await press(LAB_FORM_VERBS.create);
    expect(first.type).toBe('application/vnd.microsoft.card.adaptive');
    await h.settle();
    expect(labWrites()).toBe(1);
    for (const verb of [LAB_FORM_VERBS.create, LAB_FORM_VERBS.cancel]) {
      const again = await press(verb);
      // A message answer leaves the card as it is: the lab's, kept current by the outbox.
      expect([again.type, again.value]).toEqual(['application/vnd.microsoft.activity.message', 'This form already asked for its lab: its card shows how that is going.']);
    }
    await h.settle();
    expect(labWrites()).toBe(1);
    expect(h.notifier.outcomes().join('\n')).toMatch(/✅ Lab \*\*Thermodynamics 301\*\* \(thermo-301\) is ready/);
  });
});
