import { renderCard } from '../cards/renderCard';
import { replicationFailedCard, replicationProgressCard, RETRY_REGIONS_VERB, type CardColor } from '../cards/templates';
import { createTranslator, type Language } from '../i18n/catalog';
import { geographyName, regionName } from '../i18n/azureNames';
import { ago, duration } from '../i18n/timeFormat';
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

/** The region in the reader's language; the subscription's (English) display name where there is no other. */
function regionLabel(code: string, labels: RegionLabels, language: Language): string {
  return regionName(code, language, labels.displayName(code));
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

/**
 * Polls before an expected end is shown: the first rates of a replication swing widely, and an end that moves
 * by hours from one card to the next is worse than none.
 */
const STABLE_POLLS = 3;

/**
 * Every time on these messages is read from the tracker's one clock (the emulator's simulated clock in the demo)
 * and shown relative to it: "started 2 min ago", "for 3 min", "about 5 min left". No date is shown, so demo time
 * (`timeScale` times faster than real time) never shows as an impossible date; the card says "demo time ×60" once.
 */
function demoScale(timeScale: number): number | undefined {
  return timeScale === 1 ? undefined : Math.round(timeScale * 100) / 100;
}

function counts(watch: ReplicationWatch): { done: number; failed: number; total: number } {
  return {
    done: watch.regions.filter((r) => r.state === 'Completed').length,
    failed: watch.regions.filter((r) => r.state === 'Failed').length,
    total: watch.targets.length,
  };
}

/** The live card: each region's state and progress, the expected end once the estimate is stable. */
export function progressCard(watch: ReplicationWatch, labels: RegionLabels, locale: string, now: number, timeScale = 1): OutgoingMessage {
  const t = createTranslator(locale);
  const { done, failed, total } = counts(watch);
  const end = watch.finishedAt ?? now;
  const geography = geographyName(labels.geography, t.language);
  const scale = demoScale(timeScale);
  let headline: string;
  let headlineColor: CardColor = 'Default';
  if (watch.status === 'completed') {
    headline = t('replication.headline.completed', { total, geography });
    headlineColor = 'Good';
  } else if (watch.status === 'failed') {
    headline = t('replication.headline.failed', { failed, total });
    headlineColor = 'Attention';
  } else {
    const polledAt = watch.lastPolledAt ?? now;
    const remaining = watch.polls >= STABLE_POLLS ? expectedRemainingMs(watch.regions, polledAt) : undefined;
    const left = remaining === undefined ? undefined : Math.max(60_000, polledAt + remaining - now);
    headline =
      left === undefined
        ? t('replication.headline.progress', { done, total, geography })
        : t('replication.headline.eta', { done, total, geography, time: duration(left, t) });
  }
  const finished = watch.finishedAt !== undefined;
  const title = t('replication.title', { image: watch.imageName, version: watch.versionName });
  const card = renderCard(replicationProgressCard, {
    title,
    headline,
    headlineColor,
    facts: [
      { title: t('replication.fact.gallery'), value: lastSegment(watch.galleryId) },
      { title: t('replication.fact.started'), value: ago(watch.startedAt, now, t) },
      { title: t(finished ? 'replication.fact.took' : 'replication.fact.running'), value: duration(end - watch.startedAt, t) },
      { title: t('replication.fact.origin'), value: t(watch.origin === 'bot' ? 'replication.origin.bot' : 'replication.origin.discovered') },
    ],
    regions: watch.regions.map((r) => ({
      name: regionLabel(r.region, labels, t.language),
      state: t(`replication.state.${r.state}`),
      icon: STATE_ICON[r.state],
      progress: r.state === 'Failed' ? '—' : `${r.progress}%`,
    })),
    problems: watch.regions
      .filter((r) => r.state === 'Failed')
      .map((r) => ({ text: t('replication.problem', { region: regionLabel(r.region, labels, t.language), details: r.details || t('replication.state.Failed') }) })),
    footer: scale === undefined ? t('replication.footer.live', { ago: ago(watch.lastPolledAt ?? now, now, t) }) : t('replication.footer.demo', { scale }),
  });
  return { kind: 'card', card, summary: `${title}: ${headline}` };
}

/** Said once, when the replication has ended: where it is, how long it took; on failure, why and what to do. */
export function announcement(watch: ReplicationWatch, labels: RegionLabels, locale: string, timeScale = 1): OutgoingMessage {
  const t = createTranslator(locale);
  const geography = geographyName(labels.geography, t.language);
  const scale = demoScale(timeScale);
  const names = (state: RegionReplicationState) =>
    watch.regions.filter((r) => r.state === state).map((r) => regionLabel(r.region, labels, t.language));
  const took = duration((watch.finishedAt ?? watch.startedAt) - watch.startedAt, t);
  const tookText = scale === undefined ? took : `${took} ${t('replication.announce.demo', { scale })}`;
  const base = { image: watch.imageName, version: watch.versionName };
  if (watch.status === 'completed') {
    const regions = names('Completed');
    return { kind: 'text', text: t('replication.announce.completed', { ...base, count: regions.length, geography, regions: regions.join(', '), duration: tookText }) };
  }
  const failed = watch.regions.filter((r) => r.state === 'Failed');
  const details = [...new Set(failed.map((r) => r.details).filter((d): d is string => !!d))].join(' ');
  const completed = names('Completed');
  const text = t('replication.announce.failed', {
    ...base,
    failedRegions: failed.map((r) => regionLabel(r.region, labels, t.language)).join(', '),
    details: details || t('replication.state.Failed'),
    completedRegions: completed.length ? completed.join(', ') : t('replication.none'),
    duration: tookText,
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
