import type { CardTemplate } from '../../src/cards/renderCard';
import { auditCard, galleryChoiceCard, helpCard, proposalCard, statusCard } from '../../src/cards/templates';

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
  sample('gallery choice (full page, both directions)', galleryChoiceCard, {
    title: 'Choose a gallery to attach',
    intro: 'Galleries of this subscription:',
    dialogId: 'conv-1',
    galleries: Array.from({ length: 8 }, (_, i) => ({
      id: `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-labs/providers/Microsoft.Compute/galleries/gallery_${i}`,
      name: `gallery_${i}`,
      detail: 'rg-labs · westeurope',
      pickLabel: 'Attach',
    })),
    pageLine: 'Page 2 of 3 · 20 galleries',
    hasPrevious: true,
    previousPage: 0,
    previousLabel: 'Previous',
    hasNext: true,
    nextPage: 2,
    nextLabel: 'Next',
    cancelLabel: 'Cancel',
  }),
  sample('proposal (detach with role toggle)', proposalCard, {
    title: 'Detach physics_gallery from physics-plan?',
    facts: [
      { title: 'Gallery', value: 'physics_gallery' },
      { title: 'Enabled images', value: '2 of 4' },
      { title: 'Labs built from its images', value: 'mechanics-101, optics-201' },
    ],
    notes: [{ text: 'Teachers lose 2 enabled images for new labs.' }, { text: 'Existing labs keep running.' }],
    warning: '',
    toggleLabel: 'Also remove the Owner role the bot gave Azure Lab Services on the gallery',
    footer: 'Only you can answer, within 10 minutes.',
    confirmationId: '7b0c8f3e-1111-2222-3333-444455556666',
    confirmLabel: 'Confirm',
    cancelLabel: 'Cancel',
  }),
  sample('audit (50 entries)', auditCard, {
    title: 'Audit log (last 50)',
    entries: Array.from({ length: 50 }, (_, i) => ({
      headline: `attach physics_gallery_${i}: succeeded`,
      detail: '2026-11-27 09:00:00 UTC · 00000000-0000-0000-0000-00000000ad01 · 1234 ms · AuthorizationFailed · ref 7b0c8f3e-1111-2222-3333-444455556666',
    })),
    empty: '',
  }),
];
