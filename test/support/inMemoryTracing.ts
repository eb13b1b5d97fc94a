import { context } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '../../src/telemetry/asyncContextManager';

export interface InMemoryTracing {
  exporter: InMemorySpanExporter;
  tracer: ReturnType<BasicTracerProvider['getTracer']>;
  spans(): ReadableSpan[];
}

/** Spans to memory, with an AsyncLocalStorage context (registered once per test file: the API keeps the first). */
export function inMemoryTracing(): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  return { exporter, tracer: provider.getTracer('lab-gallery-bot-test'), spans: () => exporter.getFinishedSpans() };
}
