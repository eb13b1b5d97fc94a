/**
 * telemetry/: the Telemetry port over OpenTelemetry (traces, exported to Azure Monitor) and prom-client
 * (metrics on their own listener), and what readiness reads (the ARM failure streak).
 */
import { trace, type Tracer } from '@opentelemetry/api';
import type { Logger } from '../ports/logger';
import { noTelemetry, type Telemetry } from '../ports/telemetry';
import { BotMetrics } from './botMetrics';
import { startMetricsServer, type MetricsServer } from './metricsServer';
import { OtelTelemetry } from './otelTelemetry';

/** config.ts's TelemetrySettings, by shape (adapters do not import the edge). */
export interface TelemetrySettings {
  appInsightsConnectionString?: string;
  metricsPort?: number;
  metricsHost: string;
}

export interface TelemetrySetup {
  telemetry: Telemetry;
  /** Present when metrics are collected (METRICS_PORT set, or asked for by a test). */
  metrics?: BotMetrics;
  metricsServer?: MetricsServer;
  close(): Promise<void>;
}

export interface TelemetryOverrides {
  /** Spans go to this tracer (tests and the bench: an in-memory exporter) instead of Azure Monitor. */
  tracer?: Tracer;
  /** Collect metrics even without a listener (tests scrape the registry). */
  metrics?: boolean;
}

/**
 * Off (noTelemetry) unless APPLICATIONINSIGHTS_CONNECTION_STRING or METRICS_PORT is set. Azure Monitor's
 * distro is loaded only then: it pulls in the whole OpenTelemetry SDK, which `npm start` must not pay for.
 */
export async function setUpTelemetry(settings: TelemetrySettings, log: Logger, overrides: TelemetryOverrides = {}): Promise<TelemetrySetup> {
  const closers: (() => Promise<void>)[] = [];
  let tracer = overrides.tracer;
  if (!tracer && settings.appInsightsConnectionString) {
    const monitor = await import('@azure/monitor-opentelemetry');
    monitor.useAzureMonitor({
      azureMonitorExporterOptions: { connectionString: settings.appInsightsConnectionString },
      // Our ARM spans say more than the SDK's own (operation, throttling, remaining budget); one of each is enough.
      instrumentationOptions: { azureSdk: { enabled: false } },
    });
    closers.push(() => monitor.shutdownAzureMonitor());
    tracer = trace.getTracer('lab-gallery-bot');
    log.info('telemetry: traces go to Application Insights');
  }
  const metrics = settings.metricsPort !== undefined || overrides.metrics ? new BotMetrics() : undefined;
  let metricsServer: MetricsServer | undefined;
  if (metrics && settings.metricsPort !== undefined) {
    metricsServer = await startMetricsServer(metrics.registry, settings.metricsPort, settings.metricsHost, log);
    closers.unshift(() => metricsServer?.close() ?? Promise.resolve());
  }
  const telemetry = tracer || metrics ? new OtelTelemetry({ ...(tracer ? { tracer } : {}), ...(metrics ? { metrics } : {}) }) : noTelemetry;
  return {
    telemetry,
    ...(metrics ? { metrics } : {}),
    ...(metricsServer ? { metricsServer } : {}),
    async close() {
      for (const close of closers) await close().catch((error: unknown) => log.warn({ err: error }, 'telemetry shutdown step failed'));
    },
  };
}
