/**
 * Times as people read them: in their language and their time zone (UTC, said so, when the zone is unknown),
 * and durations in words. Every time passed here is read from the one clock of the caller.
 */
import type { Translator } from './catalog';

/** "16:02" today, "Dec 4, 16:02" (fr: "4 déc., 16:02") another day, in the reader's zone. */
export function shortTime(ms: number, t: Pick<Translator, 'locale'>, options: { timeZone?: string; now: number }): string {
  const timeZone = options.timeZone ?? 'UTC';
  const day = new Intl.DateTimeFormat(t.locale, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const time = new Intl.DateTimeFormat(t.locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
  if (day.format(ms) === day.format(options.now)) return time;
  const sameYear = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' });
  const date = new Intl.DateTimeFormat(t.locale, {
    timeZone,
    month: 'short',
    day: 'numeric',
    ...(sameYear.format(ms) === sameYear.format(options.now) ? {} : { year: 'numeric' }),
  }).format(ms);
  return `${date}, ${time}`;
}

/** A date in words in the reader's language and zone: "December 5, 2026" / "5 décembre 2026". */
export function longDate(ms: number, t: Pick<Translator, 'locale'>, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat(t.locale, { timeZone, dateStyle: 'long' }).format(ms);
}

/** "45 s", "3 min", "2 h 5 min", "3 days" (plural rules of the catalog). */
export function duration(ms: number, t: Translator): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return t('duration.seconds', { seconds });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t('duration.minutes', { minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('duration.hoursMinutes', { hours, minutes: minutes % 60 });
  return t('duration.days', { count: Math.floor(hours / 24) });
}

/** "just now", "2 min ago", "3 h ago": how long before `now` a moment was. */
export function ago(ms: number, now: number, t: Translator): string {
  const elapsed = now - ms;
  return elapsed < 60_000 ? t('time.justNow') : t('time.ago', { duration: duration(elapsed, t) });
}
