import { Client } from 'pg';

/** Statements sent to PostgreSQL while counting, by their text (whitespace collapsed, cut at 120 characters). */
export interface StatementCounter {
  total(): number;
  byText(): ReadonlyMap<string, number>;
  reset(): void;
  /** Puts pg's query method back. */
  restore(): void;
}

/**
 * Counts every statement any pg client of this process sends (each one is a round trip to the server: pg sends
 * one query per message). It wraps Client.prototype.query, so it sees the pools of every store alike; for bench
 * use only, never in the bot.
 */
export function countStatements(): StatementCounter {
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const counts = new Map<string, number>();
  proto.query = function (this: unknown, ...args: unknown[]): unknown {
    const [config] = args;
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | undefined)?.text;
    const key = String(text ?? '?').replace(/\s+/g, ' ').trim().slice(0, 120);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return original.apply(this, args);
  };
  return {
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    byText: () => new Map(counts),
    reset: () => counts.clear(),
    restore: () => {
      proto.query = original;
    },
  };
}
