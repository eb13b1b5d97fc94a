import { context } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '../../src/telemetry/asyncContextManager';

export interface InMemoryTracing {
  exporter: InMemorySpanExporter;
  tracer: ReturnType<BasicTracerProvider['getTracer']>;
  spans(): ReadableSpan[];
}

/**
 * Spans to memory, with an AsyncLocalStorage context (registered once per test file: the API keeps the first).
 * Tests export each span as it ends; the bench batches them, as Azure Monitor's distro does.
 */
export function inMemoryTracing(options: { batch?: boolean } = {}): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const processor = options.batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter);
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  return { exporter, tracer: provider.getTracer('lab-gallery-bot-test'), spans: () => exporter.getFinishedSpans() };
}
