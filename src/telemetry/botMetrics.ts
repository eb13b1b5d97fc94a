import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the outbox knows about its backlog. */
export interface OutboxBacklog {
  pending: number;
  /** ms since the epoch of the oldest pending message's creation; undefined when none is pending. */
  oldestCreatedAt?: number;
}

/** What the replication tracker reports at each scrape. */
export interface ReplicationStats {
  watchesByStatus: Readonly<Record<string, number>>;
  /** ARM reads the tracker took since the start. */
  readsSpent: number;
  /** Its allowance (its share of the subscription's reads), per hour. */
  readsPerHour: number;
}

/** Scrape-time sources, wired by the composition root. Each is read when Prometheus scrapes. */
export interface MetricSources {
  outbox?: () => Promise<OutboxBacklog>;
  replication?: () => Promise<ReplicationStats>;
  azureFailureStreak?: () => number;
  now: () => number;
}

const PREFIX = 'labgallery_';

/**
 * The bot's Prometheus metrics on a registry of its own (never prom-client's global one), with Node's
 * default process metrics. Labels are closed sets: command ids, verbs, statuses, resource type paths.
 */
export class BotMetrics {
  readonly registry = new Registry();
  private sources: MetricSources = { now: Date.now };

  readonly turns = new Counter({
    name: `${PREFIX}turns_total`,
    help: 'Turns handled, by activity type, route, command (or card verb) and outcome',
    labelNames: ['type', 'route', 'command', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly turnDuration = new Histogram({
    name: `${PREFIX}turn_duration_seconds`,
    help: 'Turn latency, from the activity reaching the bot to its reply sent',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly armRequests = new Counter({
    name: `${PREFIX}arm_requests_total`,
    help: 'ARM and Graph requests (each SDK attempt), by operation, HTTP status (0: no answer) and whether throttled',
    labelNames: ['operation', 'status', 'throttled'] as const,
    registers: [this.registry],
  });

  readonly armDuration = new Histogram({
    name: `${PREFIX}arm_request_duration_seconds`,
    help: 'ARM request latency by method',
    labelNames: ['method'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly armRemaining = new Gauge({
    name: `${PREFIX}arm_ratelimit_remaining`,
    help: 'Last x-ms-ratelimit-remaining-subscription-{reads,writes} ARM sent',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly connectorRequests = new Counter({
    name: `${PREFIX}connector_requests_total`,
    help: 'Bot Connector requests of proactive messages, by kind and HTTP status (0: no answer)',
    labelNames: ['kind', 'status'] as const,
    registers: [this.registry],
  });

  readonly outboxDeliveries = new Counter({
    name: `${PREFIX}outbox_deliveries_total`,
    help: 'Outbox delivery attempts by kind, result (sent, retry, throttled, dropped, failed) and HTTP status',
    labelNames: ['kind', 'result', 'status'] as const,
    registers: [this.registry],
  });

  readonly operations = new Counter({
    name: `${PREFIX}operations_total`,
    help: 'Journaled operations that reached a terminal status, by kind and status',
    labelNames: ['kind', 'status'] as const,
    registers: [this.registry],
  });

  readonly operationSteps = new Histogram({
    name: `${PREFIX}operation_step_duration_seconds`,
    help: 'Operation step latency, by step',
    labelNames: ['step', 'outcome'] as const,
    buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 900, 1800],
    registers: [this.registry],
  });

  constructor() {
    const sources = (): MetricSources => this.sources;
    new Gauge({
      name: `${PREFIX}azure_consecutive_failures`,
      help: 'ARM requests failed in a row (no answer, 5xx, 401); readiness fails at the configured limit',
      registers: [this.registry],
      collect() {
        this.set(sources().azureFailureStreak?.() ?? 0);
      },
    });
    new Gauge({
      name: `${PREFIX}outbox_pending`,
      help: 'Proactive messages waiting in the outbox',
      registers: [this.registry],
      async collect() {
        const backlog = await sources().outbox?.();
        this.set(backlog?.pending ?? 0);
      },
    });
    new Gauge({
      name: `${PREFIX}outbox_oldest_pending_age_seconds`,
      help: 'Age of the oldest pending outbox message (0 when none)',
      registers: [this.registry],
      async collect() {
        const backlog = await sources().outbox?.();
        const oldest = backlog?.oldestCreatedAt;
        this.set(oldest === undefined ? 0 : Math.max(0, (sources().now() - oldest) / 1000));
      },
    });
    new Gauge({
      name: `${PREFIX}replication_watches`,
      help: 'Replication watches by status (watching, completed, failed, closed, seen)',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const stats = await sources().replication?.();
        this.reset();
        for (const [status, count] of Object.entries(stats?.watchesByStatus ?? {})) this.set({ status }, count);
      },
    });
    new Counter({
      name: `${PREFIX}replication_reads_total`,
      help: 'ARM reads the replication tracker took (rate * 3600 / read budget = share used)',
      registers: [this.registry],
      async collect() {
        const stats = await sources().replication?.();
        this.reset();
        this.inc(stats?.readsSpent ?? 0);
      },
    });
    new Gauge({
      name: `${PREFIX}replication_read_budget_per_hour`,
      help: "The tracker's ARM read allowance per hour (its share of the subscription's)",
      registers: [this.registry],
      async collect() {
        const stats = await sources().replication?.();
        this.set(stats?.readsPerHour ?? 0);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Wires the scrape-time sources (once the outbox, tracker and ARM connection exist). */
  observe(sources: MetricSources): void {
    this.sources = sources;
  }
}
