import { renderCard } from '../cards/renderCard';
import { operationStatusCard, type CardColor, type OperationStatusCardData } from '../cards/templates';
import { createTranslator, type Translator } from '../i18n/catalog';
import { lastSegment } from '../kernel';
import type { Mention, OutgoingMessage } from '../ports/notifier';
import type { OperationKind, OperationRecord } from '../ports/operations';
import { reportText } from './kinds';

/** Azure Lab Services' own portal, where a teacher sets up and publishes a lab. */
export const LAB_SERVICES_URL = 'https://labs.azure.com';

/** Who did something, when: "Confirmed by Alex Wilber · 16:03" (the time in the reader's own zone). */
export interface Deed {
  key: 'opcard.by.confirmed' | 'opcard.by.cancelled' | 'opcard.by.requested' | 'opcard.by.chosen' | 'opcard.by.attached' | 'opcard.by.createdAndAttached' | 'opcard.by.detached';
  name?: string;
  at: number;
}

/** Adaptive Cards in Teams show `{{TIME()}}` in the reader's own time zone. */
export function cardTime(ms: number): string {
  return `{{TIME(${new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')})}}`;
}

export function deedLine(t: Translator, deed: Deed): string {
  return t(deed.key, { name: deed.name || t('opcard.someone'), time: cardTime(deed.at) });
}

export function statusMessage(data: Partial<OperationStatusCardData> & { headline: string }, thread?: string): OutgoingMessage {
  const full: OperationStatusCardData = { headlineColor: 'Default', detail: '', facts: [], nextStep: '', links: [], footer: '', ...data };
  const summary = full.headline.replace(/\*\*/g, '');
  return { kind: 'card', card: renderCard(operationStatusCard, full), summary, ...(thread ? { thread } : {}) };
}

/** A card someone answered, reduced to what became of it: no button left to press. */
export function outcomeCard(t: Translator, headline: string, deed: Deed, color: CardColor = 'Default'): OutgoingMessage {
  return statusMessage({ headline, headlineColor: color, footer: deedLine(t, deed) });
}

/** What the names of a started operation are, for its running headline. */
export interface RunningOperation {
  kind: OperationKind;
  hostId: string;
  target: string;
  params: Readonly<Record<string, unknown>>;
}

/** The operation's card while it runs: what it does, that this card will say how it ended, who started it. */
export function runningCard(op: RunningOperation, t: Translator, deed: Deed): OutgoingMessage {
  const host = lastSegment(op.hostId);
  const text = (name: string) => String(op.params[name] ?? '');
  let headline: string;
  switch (op.kind) {
    case 'replicate':
    case 'retryRegions':
      headline = t(`opcard.running.${op.kind}`, { image: text('image'), version: text('version'), count: Array.isArray(op.params.regions) ? op.params.regions.length : 0 });
      break;
    case 'createLab':
      headline = t('opcard.running.createLab', { lab: text('name'), image: text('imageName'), host });
      break;
    default:
      headline = t(`opcard.running.${op.kind}`, { gallery: lastSegment(op.target), host });
  }
  return statusMessage({ headline, detail: t(op.kind === 'createLab' ? 'opcard.running.labDetail' : 'opcard.running.detail'), footer: deedLine(t, deed) });
}

/** A gallery change that succeeded says what was done and when it was done; anything else, who asked and when. */
const DONE_BY: Partial<Record<OperationKind, Deed['key']>> = {
  attach: 'opcard.by.attached',
  createAndAttach: 'opcard.by.createdAndAttached',
  detach: 'opcard.by.detached',
};

/**
 * Who the card of an operation names, and for what: "Detached by Alex Wilber · 16:03" once done, "Confirmed by …"
 * (a teacher's lab: "Requested by …") until then or when it failed. The name is the journaled one; operations
 * journaled before names were (v009) use `fallbackName`, the one their card's post recorded.
 */
export function operationDeed(op: OperationRecord, fallbackName?: string): Deed {
  const name = op.requestedByName ?? fallbackName;
  const done = op.status === 'succeeded' ? DONE_BY[op.kind] : undefined;
  const at = done ? (op.progress.finishedAt ?? op.updatedAt) : op.createdAt;
  return { key: done ?? (op.kind === 'createLab' ? 'opcard.by.requested' : 'opcard.by.confirmed'), ...(name ? { name } : {}), at };
}

/**
 * The operation's card once it ended, in the requester's language. A replicate that set its regions has not
 * replicated anything yet: its card says so, and the replication tracker updates it from there.
 */
export function finishedCard(op: OperationRecord, fallbackName?: string): OutgoingMessage {
  const t = createTranslator(op.locale);
  const deed = operationDeed(op, fallbackName);
  const footer = deedLine(t, deed);
  if (op.status !== 'succeeded') return statusMessage({ headline: reportText(op, t), headlineColor: 'Attention', footer });
  if (op.kind === 'replicate') {
    const count = op.progress.targets?.length ?? 0;
    return statusMessage({ headline: t('opcard.replicating', { image: op.params.image ?? '', version: op.params.version ?? '', count }), detail: t('opcard.replicatingDetail'), footer });
  }
  if (op.kind === 'createLab') {
    return statusMessage({
      headline: reportText(op, t),
      headlineColor: 'Default',
      nextStep: t('opcard.lab.nextStep'),
      links: [{ title: t('opcard.lab.open'), url: LAB_SERVICES_URL }],
      footer,
    });
  }
  return statusMessage({ headline: reportText(op, t), headlineColor: 'Default', footer });
}

/** "@Alex Wilber, your lab Thermodynamics 301 is ready.", in the thread where they asked. */
export function labReadyMention(op: OperationRecord & { kind: 'createLab' }, user: Mention, thread: string | undefined): OutgoingMessage {
  const t = createTranslator(op.locale);
  return {
    kind: 'text',
    text: t('opcard.lab.readyMention', { who: `<at>${user.name}</at>`, title: op.progress.labTitle ?? op.params.title, lab: op.progress.labName ?? op.params.name }),
    mentions: [user],
    ...(thread ? { thread } : {}),
  };
}
