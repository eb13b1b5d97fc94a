import * as fs from 'node:fs';
import * as path from 'node:path';
import { cardBytes, MAX_CARD_BYTES, renderCard, type CardTemplate } from '../../src/cards/renderCard';
import type { AdaptiveCard } from '../../src/ports/notifier';
import { cardSamples } from '../support/cardSamples';

// The package root fails to load on Node 20; the dist bundle works offline.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

function parserEvents(card: AdaptiveCard): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
  for (const e of parsed.validateProperties().validationEvents) events.push(e.message);
  return events;
}

describe('card templates', () => {
  const templateFiles = fs.readdirSync(path.join(__dirname, '../../cards')).filter((f) => f.endsWith('.json'));

  it('has a sample for every template file', () => {
    expect(cardSamples.map((s) => `${s.template.name}.json`).sort()).toEqual(expect.arrayContaining(templateFiles.sort()));
    expect(new Set(cardSamples.map((s) => `${s.template.name}.json`))).toEqual(new Set(templateFiles));
  });

  describe.each(cardSamples.map((s) => [s.label, s] as const))('%s', (_label, sample) => {
    const card = renderCard(sample.template as CardTemplate<object>, sample.data);

    it('leaves no ${ behind', () => {
      expect(JSON.stringify(card)).not.toContain('${');
    });

    it('is version 1.5 and raises no adaptivecards parser event', () => {
      expect(card.version).toBe('1.5');
      expect(parserEvents(card)).toEqual([]);
    });

    it('stays under 28 KB', () => {
      expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
    });
  });
});
