import { renderCard } from '../cards/renderCard';
import { replicationFailedCard, replicationProgressCard, RETRY_REGIONS_VERB, type CardColor } from '../cards/templates';
import { createTranslator, type Translator } from '../i18n/catalog';
import type { RegionReplicationState } from '../ports/galleryGateway';
import type { OutgoingMessage } from '../ports/notifier';
import type { ReplicationWatch } from '../ports/replicationWatches';
import { lastSegment } from '../kernel';
import { expectedRemainingMs } from './pollSchedule';

/** Display names and the geography's name, from the subscription's regions. */
export interface RegionLabels {
  displayName(region: string): string;
  /** e.g. "United States"; the first target's geography. */
  geography: string;
}

/**
 * A region's state is told by an icon and words, in the default text colour: Teams' yellow and light green
 * text is hard to read on white, and colour alone says nothing in high contrast.
 */
const STATE_ICON: Readonly<Record<RegionReplicationState, string>> = {
  Unknown: '•',
  Replicating: '⏳',
  Completed: '✅',
  Failed: '❌',
};

/** Adaptive Cards in Teams show `{{DATE()}}`/`{{TIME()}}` in the reader's own time zone and language. */
function cardTime(ms: number): string {
  const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
}

function formatDuration(ms: number, t: Translator): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return t('duration.seconds', { seconds });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t('duration.minutes', { minutes });
  return t('duration.hoursMinutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

function counts(watch: ReplicationWatch): { done: number; failed: number; total: number } {
  return {
    done: watch.regions.filter((r) => r.state === 'Completed').length,
    failed: watch.regions.filter((r) => r.state === 'Failed').length,
    total: watch.targets.length,
  };
}

/** The live card: each region's state and progress, the expected end while it runs. */
export function progressCard(watch: ReplicationWatch, labels: RegionLabels, locale: string, now: number): OutgoingMessage {
  const t = createTranslator(locale);
  const { done, failed, total } = counts(watch);
  const end = watch.finishedAt ?? now;
  let headline: string;
  let headlineColor: CardColor = 'Default';
  if (watch.status === 'completed') {
    headline = t('replication.headline.completed', { total, geography: labels.geography });
    headlineColor = 'Good';
  } else if (watch.status === 'failed') {
    headline = t('replication.headline.failed', { failed, total });
    headlineColor = 'Attention';
  } else {
    const remaining = expectedRemainingMs(watch.regions, watch.lastPolledAt ?? now);
    const at = remaining === undefined ? undefined : (watch.lastPolledAt ?? now) + remaining;
    headline =
      at === undefined
        ? t('replication.headline.progress', { done, total, geography: labels.geography })
        : t('replication.headline.eta', { done, total, geography: labels.geography, time: cardTime(at) });
  }
  const title = t('replication.title', { image: watch.imageName, version: watch.versionName });
  const card = renderCard(replicationProgressCard, {
    title,
    headline,
    headlineColor,
    facts: [
      { title: t('replication.fact.gallery'), value: lastSegment(watch.galleryId) },
      { title: t('replication.fact.started'), value: cardTime(watch.startedAt) },
      { title: t('replication.fact.elapsed'), value: formatDuration(end - watch.startedAt, t) },
      { title: t('replication.fact.origin'), value: t(watch.origin === 'bot' ? 'replication.origin.bot' : 'replication.origin.discovered') },
    ],
    regions: watch.regions.map((r) => ({
      name: labels.displayName(r.region),
      state: t(`replication.state.${r.state}`),
      icon: STATE_ICON[r.state],
      progress: r.state === 'Failed' ? '—' : `${r.progress}%`,
    })),
    problems: watch.regions
      .filter((r) => r.state === 'Failed')
      .map((r) => ({ text: t('replication.problem', { region: labels.displayName(r.region), details: r.details || t('replication.state.Failed') }) })),
    footer: t('replication.footer', { time: cardTime(watch.lastPolledAt ?? now) }),
  });
  return { kind: 'card', card, summary: `${title}: ${headline.replace(/\{\{[^}]*\}\}/g, '').trim()}` };
}

/** Said once, when the replication has ended: where it is, how long it took; on failure, why and what to do. */
export function announcement(watch: ReplicationWatch, labels: RegionLabels, locale: string): OutgoingMessage {
  const t = createTranslator(locale);
  const names = (state: RegionReplicationState) =>
    watch.regions.filter((r) => r.state === state).map((r) => labels.displayName(r.region));
  const duration = formatDuration((watch.finishedAt ?? watch.startedAt) - watch.startedAt, t);
  const base = { image: watch.imageName, version: watch.versionName };
  if (watch.status === 'completed') {
    const regions = names('Completed');
    return { kind: 'text', text: t('replication.announce.completed', { ...base, count: regions.length, geography: labels.geography, regions: regions.join(', '), duration }) };
  }
  const failed = watch.regions.filter((r) => r.state === 'Failed');
  const details = [...new Set(failed.map((r) => r.details).filter((d): d is string => !!d))].join(' ');
  const completed = names('Completed');
  const text = t('replication.announce.failed', {
    ...base,
    failedRegions: failed.map((r) => labels.displayName(r.region)).join(', '),
    details: details || t('replication.state.Failed'),
    completedRegions: completed.length ? completed.join(', ') : t('replication.none'),
    duration,
  });
  const advice = t('replication.announce.advice', { ...base, gallery: lastSegment(watch.galleryId) });
  // The retry keeps the completed regions while it drops and re-adds the failed ones: with none completed, no button.
  const card = renderCard(replicationFailedCard, {
    text,
    advice,
    retryLabel: completed.length && failed.length ? t('retryRegions.button') : '',
    retryVerb: RETRY_REGIONS_VERB,
    image: watch.imageName,
    version: watch.versionName,
  });
  return { kind: 'card', card, summary: `${text}\n\n${advice}` };
}
