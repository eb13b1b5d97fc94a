import { LAB_SERVICES_RETIREMENT, LAB_SERVICES_RETIREMENT_GUIDE, retirementDaysLeft } from '../../src/core/labServicesRetirement';
import { ADMIN, createBotHarness, PLAN_ID, visibleText, type BotHarness } from '../support/botHarness';

const DAY = 24 * 60 * 60_000;

describe('Lab Services retirement notice', () => {
  it('counts whole days, only within a year of 2027-06-28', () => {
    expect(LAB_SERVICES_RETIREMENT).toBe(Date.UTC(2027, 5, 28));
    expect(retirementDaysLeft(LAB_SERVICES_RETIREMENT - 366 * DAY)).toBeUndefined();
    expect(retirementDaysLeft(LAB_SERVICES_RETIREMENT - 365 * DAY)).toBe(365);
    expect(retirementDaysLeft(LAB_SERVICES_RETIREMENT - DAY + 1)).toBe(1);
    // On the day itself: 0 ("that is today").
    expect(Math.abs(retirementDaysLeft(LAB_SERVICES_RETIREMENT + 1) ?? NaN)).toBe(0);
    expect(retirementDaysLeft(LAB_SERVICES_RETIREMENT + DAY)).toBeUndefined();
  });

  describe('status on a lab host (TestAdapter, emulator, the injected clock)', () => {
    let h: BotHarness;
    beforeAll(async () => {
      h = await createBotHarness();
      await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
    });
    afterAll(() => h.close());

    it('shows the date, the days left and the migration guide once within a year; help stays quiet', async () => {
      // The harness clock: 2026-11-27 09:00 UTC, 213 days before.
      const [card] = await h.say('status', { aadObjectId: ADMIN });
      const text = visibleText(card!);
      expect(text).toContain('Azure Lab Services retires on June 28, 2027: 213 days left.');
      expect(JSON.stringify(card)).toContain(LAB_SERVICES_RETIREMENT_GUIDE);
      expect(text).toContain('Migration guidance');
      const [french] = await h.say('status', { aadObjectId: ADMIN, locale: 'fr-FR' });
      expect(visibleText(french!)).toContain('Azure Lab Services sera retiré le 28 juin 2027 : il reste 213 jours.');
      const [help] = await h.say('help', { aadObjectId: ADMIN });
      expect(JSON.stringify(help)).not.toMatch(/retire|retirement-guide/i);
    });

    it('says nothing more than a year before', async () => {
      const saved = h.clock.now();
      h.clock.set(LAB_SERVICES_RETIREMENT - 400 * DAY);
      try {
        const [card] = await h.say('status', { aadObjectId: ADMIN });
        expect(visibleText(card!)).not.toContain('retires');
        expect(JSON.stringify(card)).not.toContain(LAB_SERVICES_RETIREMENT_GUIDE);
      } finally {
        h.clock.set(saved);
      }
    });
  });
});
