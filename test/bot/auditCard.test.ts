import type { Activity } from 'botbuilder';
import { ADMIN, createBotHarness, PLAN_ID, TEACHER, type BotHarness } from '../support/botHarness';

/** The text a reader sees before opening any toggle: hidden elements (the Details) left out. */
function shownText(activity: Partial<Activity>): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.isVisible === false) return;
      for (const key of ['text', 'title', 'value']) if (typeof o[key] === 'string') parts.push(o[key]);
      Object.values(o).forEach(walk);
    }
  };
  for (const a of activity.attachments ?? []) walk(a.content);
  return parts.join('\n');
}

describe('audit card (issue 16, point 13)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness();
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
    const as = (aadObjectId: string, name: string, text: string) =>
      h.send({ type: 'message', text, locale: 'en-US', from: { id: `user-${aadObjectId}`, name, aadObjectId } });
    await as(ADMIN, 'Alex Wilber', 'enable optics-sim quantum-gpu');
    // A typo changes nothing: it is answered, not audited.
    await as(ADMIN, 'Alex Wilber', 'enable physic-ubuntu');
    await as(TEACHER, 'Sam Teacher', 'disable optics-sim');
  });
  afterAll(() => h.close());

  const audit = async (locale: string, timeZone?: string) => {
    const [reply, ...rest] = await h.send({
      type: 'message',
      text: 'audit',
      locale,
      from: { id: `user-${ADMIN}`, name: 'Alex Wilber', aadObjectId: ADMIN },
      ...(timeZone ? { localTimezone: timeZone } : {}),
    });
    expect(rest).toEqual([]);
    return reply!;
  };

  it('records who acted by name, and not the typo', async () => {
    const entries = await h.services.audit.recent(10);
    expect(entries.map((e) => [e.command, e.outcome, e.userName])).toEqual([
      ['disable', 'refused', 'Sam Teacher'],
      ['enable', 'succeeded', 'Alex Wilber'],
    ]);
  });

  it.each([
    ['en-US', 'Europe/Paris', ['Sam Teacher tried to disable images on physics-plan: refused · 10:00', 'Alex Wilber enabled optics-sim, quantum-gpu · 10:00']],
    ['en-US', 'America/New_York', ['Alex Wilber enabled optics-sim, quantum-gpu · 04:00']],
    ['fr-FR', 'Europe/Paris', ['Alex Wilber a activé optics-sim, quantum-gpu · 10:00']],
  ])('says who did what, at what time in the reader time zone (%s, %s)', async (locale, timeZone, lines) => {
    const text = shownText(await audit(locale, timeZone));
    for (const line of lines) expect(text).toContain(line);
    // Ids, GUIDs, codes and counts only behind Details.
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|changed=|UserError|\/subscriptions\/|UTC/);
  });

  it('keeps ids, codes and the reference behind a Details toggle', async () => {
    const card = (await audit('en-US', 'Europe/Paris')).attachments![0]!.content as { body: unknown[] };
    const json = JSON.stringify(card);
    expect(json).toContain('{"type":"Action.ToggleVisibility","title":"Details","targetElements":["audit-details-0","audit-details-1"]}');
    expect(json).toMatch(/"id":"audit-details-1","isVisible":false,"text":"enable · 2026-11-27 09:00:00 UTC · 00000000-0000-0000-0000-00000000ad01 · \/subscriptions\//);
  });

  it('says the times are UTC when Teams gave no time zone', async () => {
    const text = shownText(await audit('en-US'));
    expect(text).toContain('Alex Wilber enabled optics-sim, quantum-gpu · 09:00');
    expect(text).toContain('Times in UTC: Teams did not say which time zone you are in.');
  });
});
