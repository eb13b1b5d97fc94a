import type { CardTemplate } from '../../src/cards/renderCard';
import { helpCard, statusCard } from '../../src/cards/templates';

export interface CardSample {
  label: string;
  template: CardTemplate<object>;
  data: object;
}

function sample<T extends object>(label: string, template: CardTemplate<T>, data: T): CardSample {
  return { label, template, data };
}

/** Sample data for every card template, each at its largest realistic size. */
export const cardSamples: CardSample[] = [
  sample('help (admin)', helpCard, {
    title: 'Lab Gallery Bot',
    intro: 'Commands you can run here:',
    commands: Array.from({ length: 16 }, (_, i) => ({ usage: `command${i} <argument>`, summary: 'Does a thing with a fairly long explanation of what it does' })),
    roleLine: 'Your role here: admin',
    footer: 'In a channel, @mention me first.',
  }),
  sample('status', statusCard, {
    title: 'Status',
    facts: [
      { title: 'Lab host', value: 'physics-plan' },
      { title: 'Kind', value: 'lab plan' },
    ],
    warning: 'The lab host could not be read.',
  }),
];
