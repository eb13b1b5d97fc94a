import type { CaptureConnector, CapturedActivity } from '../../test/support/captureConnector';
import type { LoadTarget, Sample } from './load';

/** One bot under load, with the connector that receives its replies and what a correct reply looks like. */
export interface Subject extends LoadTarget {
  name: string;
  connector: CaptureConnector;
  /** Undefined when the reply is what the bot should answer; otherwise why not. */
  checkReply(reply: CapturedActivity): string | undefined;
}

/** How long replies may trail their HTTP response before they count as missing (they should not trail at all). */
const REPLY_GRACE_MS = 2000;

/**
 * Every request answered 200 and produced exactly one correct reply to its own activity at the connector.
 * Returns the problems found, at most a few of each kind with a count of the rest.
 */
export async function verifySamples(subject: Subject, samples: readonly Sample[]): Promise<string[]> {
  const { connector } = subject;
  await connector.waitFor(samples.length, REPLY_GRACE_MS).catch(() => undefined);

  const byReplyTo = new Map<string, CapturedActivity[]>();
  for (const reply of connector.received) {
    const key = reply.replyToId ?? '';
    byReplyTo.set(key, [...(byReplyTo.get(key) ?? []), reply]);
  }

  const problems = new ProblemList(subject.name);
  for (const sample of samples) {
    if (sample.status !== 200) problems.add('non-200', `${sample.activityId}: HTTP ${sample.status}`);
    const replies = byReplyTo.get(sample.activityId) ?? [];
    if (replies.length !== 1) problems.add('reply count', `${sample.activityId}: ${replies.length} replies, expected 1`);
    for (const reply of replies) {
      const why = subject.checkReply(reply);
      if (why) problems.add('wrong reply', `${sample.activityId}: ${why}`);
    }
  }
  const sent = new Set(samples.map((s) => s.activityId));
  const strays = connector.received.filter((r) => !r.replyToId || !sent.has(r.replyToId)).length;
  if (strays) problems.add('stray replies', `${strays} activities at the connector answer no request that was sent`);
  return problems.list();
}

class ProblemList {
  private readonly kinds = new Map<string, string[]>();
  private static readonly SHOWN = 3;

  constructor(private readonly subject: string) {}

  add(kind: string, detail: string): void {
    this.kinds.set(kind, [...(this.kinds.get(kind) ?? []), detail]);
  }

  list(): string[] {
    return [...this.kinds].map(([kind, details]) => {
      const shown = details.slice(0, ProblemList.SHOWN).join('; ');
      const more = details.length > ProblemList.SHOWN ? ` (and ${details.length - ProblemList.SHOWN} more)` : '';
      return `${this.subject}: ${kind}: ${shown}${more}`;
    });
  }
}
