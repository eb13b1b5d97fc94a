import * as os from 'node:os';
import type { BenchOptions, BenchStore } from './args';
import type { LatencySummary } from './stats';

/** help p50 ÷ echo p50: issue 11 on SQLite, issue 15 on PostgreSQL. */
export const TARGET_P50_RATIO: Readonly<Record<StoreName, number>> = { sqlite: 1.25, postgres: 1.5 };

export type StoreName = Exclude<BenchStore, 'both'>;

const STORE_LABEL: Readonly<Record<StoreName, string>> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

export interface Ratios {
  p50: number;
  p95: number;
  throughput: number;
}

export interface StoreResult {
  store: StoreName;
  ours: LatencySummary;
  /** ours ÷ echo; above 1 means ours is slower (for throughput: below 1). */
  ratios: Ratios;
  target: { p50Ratio: number; met: boolean };
}

export interface BenchResult {
  options: BenchOptions;
  environment: { node: string; platform: string; cpu: string; cpus: number };
  echo: LatencySummary;
  /** One per store measured, in the order of `--store` (SQLite first with `both`). */
  stores: StoreResult[];
  /** PostgreSQL ÷ SQLite, when both were measured in the same rounds. */
  postgresOverSqlite?: Ratios;
  /**
   * Statements (each a round trip) the PostgreSQL bot sent per measured help turn, in all and by statement text;
   * its background work (tracker, outbox, leases) during those turns included.
   */
  postgresStatementsPerTurn?: { total: number; byStatement: Record<string, number> };
}

function ratios(a: LatencySummary, b: LatencySummary): Ratios {
  return { p50: a.p50Ms / b.p50Ms, p95: a.p95Ms / b.p95Ms, throughput: a.throughputPerSec / b.throughputPerSec };
}

export function buildResult(
  options: BenchOptions,
  ours: ReadonlyMap<StoreName, LatencySummary>,
  echo: LatencySummary,
  statements?: { counts: ReadonlyMap<string, number>; turns: number },
): BenchResult {
  const stores = [...ours].map(([store, summary]): StoreResult => {
    const r = ratios(summary, echo);
    return { store, ours: summary, ratios: r, target: { p50Ratio: TARGET_P50_RATIO[store], met: r.p50 <= TARGET_P50_RATIO[store] } };
  });
  const sqlite = ours.get('sqlite');
  const postgres = ours.get('postgres');
  return {
    options,
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
      cpus: os.cpus().length,
    },
    echo,
    stores,
    ...(sqlite && postgres ? { postgresOverSqlite: ratios(postgres, sqlite) } : {}),
    ...(statements && statements.turns > 0 ? { postgresStatementsPerTurn: perTurn(statements.counts, statements.turns) } : {}),
  };
}

function perTurn(counts: ReadonlyMap<string, number>, turns: number): NonNullable<BenchResult['postgresStatementsPerTurn']> {
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  return {
    total: sorted.reduce((sum, [, n]) => sum + n, 0) / turns,
    byStatement: Object.fromEntries(sorted.map(([text, n]) => [text, n / turns])),
  };
}

function formatRatios(r: Ratios): string {
  return `p50 ×${r.p50.toFixed(2)}  p95 ×${r.p95.toFixed(2)}  throughput ×${r.throughput.toFixed(2)}`;
}

export function formatText(result: BenchResult): string {
  const { options, environment: env } = result;
  const rows: [string, LatencySummary][] = [
    ...result.stores.map((s): [string, LatencySummary] => [`lab-gallery help (${STORE_LABEL[s.store]})`, s.ours]),
    ['echo bot', result.echo],
  ];
  const header = ['bot', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s'];
  const body = rows.map(([name, s]) => [
    name,
    String(s.requests),
    s.p50Ms.toFixed(2),
    s.p95Ms.toFixed(2),
    s.p99Ms.toFixed(2),
    s.throughputPerSec.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');

  return [
    `bench:turn — ${env.node} ${env.platform}, ${env.cpus}× ${env.cpu}`,
    `${options.n} requests per bot in ${options.rounds} alternating rounds, concurrency ${options.concurrency}, ` +
      `${options.warmup} warm-up requests each (discarded)` +
      (options.conversations > 1 ? `, each bot's requests going round ${options.conversations} conversations` : ''),
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    ...result.stores.flatMap((s) => [
      `ours/echo (${STORE_LABEL[s.store]})  ${formatRatios(s.ratios)}`,
      `  target p50 ratio ≤ ${s.target.p50Ratio}: ${s.target.met ? 'met' : 'NOT met'}`,
    ]),
    ...(result.postgresOverSqlite ? [`PostgreSQL/SQLite  ${formatRatios(result.postgresOverSqlite)}`] : []),
    ...(result.postgresStatementsPerTurn ? formatStatements(result.postgresStatementsPerTurn) : []),
  ].join('\n');
}

function formatStatements(statements: NonNullable<BenchResult['postgresStatementsPerTurn']>): string[] {
  return [
    '',
    `PostgreSQL statements per help turn (round trips, background work included): ${statements.total.toFixed(2)}`,
    ...Object.entries(statements.byStatement).map(([text, n]) => `  ${n.toFixed(3)}  ${text}`),
  ];
}

export const TARGET_TELEMETRY_RATIO = 1.1;

export interface TelemetryOverhead {
  off: LatencySummary;
  on: LatencySummary;
  /** on ÷ off. */
  ratios: { p50: number; p95: number; throughput: number };
  target: { p50Ratio: number; met: boolean };
}

export function telemetryOverhead(off: LatencySummary, on: LatencySummary): TelemetryOverhead {
  const p50 = on.p50Ms / off.p50Ms;
  return {
    off,
    on,
    ratios: { p50, p95: on.p95Ms / off.p95Ms, throughput: on.throughputPerSec / off.throughputPerSec },
    target: { p50Ratio: TARGET_TELEMETRY_RATIO, met: p50 <= TARGET_TELEMETRY_RATIO },
  };
}

export function formatTelemetry(t: TelemetryOverhead): string {
  return [
    `telemetry (in-memory span exporter + Prometheus registry) — help p50: off ${t.off.p50Ms.toFixed(2)} ms, on ${t.on.p50Ms.toFixed(2)} ms; ` +
      `p95: off ${t.off.p95Ms.toFixed(2)} ms, on ${t.on.p95Ms.toFixed(2)} ms`,
    `on/off  p50 ×${t.ratios.p50.toFixed(2)}  p95 ×${t.ratios.p95.toFixed(2)}  throughput ×${t.ratios.throughput.toFixed(2)}`,
    `target p50 ratio ≤ ${t.target.p50Ratio}: ${t.target.met ? 'met' : 'NOT met'}`,
  ].join('\n');
}
