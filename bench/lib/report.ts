import * as os from 'node:os';
import type { BenchOptions } from './args';
import type { LatencySummary } from './stats';

export const TARGET_P50_RATIO = 1.25;

export interface BenchResult {
  options: BenchOptions;
  environment: { node: string; platform: string; cpu: string; cpus: number };
  ours: LatencySummary;
  echo: LatencySummary;
  /** ours ÷ echo; above 1 means ours is slower (for throughput: below 1). */
  ratios: { p50: number; p95: number; throughput: number };
  target: { p50Ratio: number; met: boolean };
}

export function buildResult(options: BenchOptions, ours: LatencySummary, echo: LatencySummary): BenchResult {
  const p50 = ours.p50Ms / echo.p50Ms;
  return {
    options,
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
      cpus: os.cpus().length,
    },
    ours,
    echo,
    ratios: { p50, p95: ours.p95Ms / echo.p95Ms, throughput: ours.throughputPerSec / echo.throughputPerSec },
    target: { p50Ratio: TARGET_P50_RATIO, met: p50 <= TARGET_P50_RATIO },
  };
}

export function formatText(result: BenchResult): string {
  const { options, environment: env } = result;
  const rows: [string, LatencySummary][] = [
    ['lab-gallery help', result.ours],
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
      `${options.warmup} warm-up requests each (discarded)`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    `ours/echo  p50 ×${result.ratios.p50.toFixed(2)}  p95 ×${result.ratios.p95.toFixed(2)}  ` +
      `throughput ×${result.ratios.throughput.toFixed(2)}`,
    `target p50 ratio ≤ ${result.target.p50Ratio}: ${result.target.met ? 'met' : 'NOT met'}`,
  ].join('\n');
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
