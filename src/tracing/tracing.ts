import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  Sampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from '../config/tracing.config';
import { setTracing } from './tracer';

/** The running SDK: flushed by tests, shut down (exporting what is left) after the app closes. */
export interface Tracing {
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let running: Tracing | undefined;

/**
 * Starts the OpenTelemetry SDK when `config.enabled` (an OTLP endpoint is set), registering it as
 * the global tracer provider, context manager (AsyncLocalStorage) and W3C propagator. Must run
 * before the app is created: the server-span hook and the log correlation are installed only if
 * tracing is running then. Returns undefined, and installs nothing, when tracing is off.
 */
export function startTracing(config: TracingConfig, serviceVersion: string): Tracing | undefined {
  if (!config.enabled || !config.tracesUrl) {
    return undefined;
  }
  if (running) {
    throw new Error('Tracing is already running');
  }
  const exporterOptions = { url: config.tracesUrl, headers: config.headers };
  const exporter =
    config.protocol === 'http/json'
      ? new OtlpJsonExporter(exporterOptions)
      : new OtlpProtobufExporter(exporterOptions);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      ...config.resourceAttributes,
      [ATTR_SERVICE_NAME]: config.serviceName,
      [ATTR_SERVICE_VERSION]: serviceVersion,
    }),
    sampler: samplerOf(config),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  setTracing(true);

  const tracing: Tracing = {
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      setTracing(false);
      running = undefined;
      try {
        await provider.shutdown();
      } finally {
        // Unregistered, so that a later start (the next test file's app) can register again.
        trace.disable();
        propagation.disable();
        context.disable();
      }
    },
  };
  running = tracing;
  return tracing;
}

/** Exports the spans still queued and stops the SDK; nothing when tracing is off. */
export async function shutdownTracing(): Promise<void> {
  await running?.shutdown();
}

function samplerOf(config: TracingConfig): Sampler {
  const ratio = new TraceIdRatioBasedSampler(config.samplerRatio);
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
