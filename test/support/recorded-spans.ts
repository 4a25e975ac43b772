import { trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { setTracing } from '../../src/tracing/tracer';

/** Spans recorded in memory while a unit spec runs with tracing on. */
export interface RecordedSpans {
  /** Every span ended so far, flushed first. */
  finished(): Promise<ReadableSpan[]>;
  /** Tracing off, the provider shut down and the global API reset, as before `recordSpans()`. */
  stop(): Promise<void>;
}

/**
 * Turns tracing on with a real SDK whose spans are kept in memory, so a spec can assert the span
 * names and attributes the service emits without an OTLP receiver. Call `stop()` after each test:
 * the provider is global state.
 */
export function recordSpans(): RecordedSpans {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  trace.setGlobalTracerProvider(provider);
  setTracing(true);
  return {
    finished: async () => {
      await provider.forceFlush();
      return exporter.getFinishedSpans();
    },
    stop: async () => {
      setTracing(false);
      await provider.shutdown();
      trace.disable();
    },
  };
}
