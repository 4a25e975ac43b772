import { Attributes, Span, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';

/**
 * Whether the SDK runs. Every span site asks this first, so that with tracing off (the default)
 * the hot path makes no span object, no context switch and no attribute map: one boolean read.
 */
let tracing = false;
let tracer: Tracer | undefined;

export function isTracing(): boolean {
  return tracing;
}

/** Set by startTracing and its shutdown only. */
export function setTracing(on: boolean): void {
  tracing = on;
  tracer = on ? trace.getTracer(TRACER_NAME) : undefined;
}

const TRACER_NAME = 'github-dashboard-backend';

/** The service's tracer; only called while tracing runs. */
export function activeTracer(): Tracer {
  return tracer ?? trace.getTracer(TRACER_NAME);
}

/**
 * Runs `work` in a child span of the active one (the request's), ending it when the promise
 * settles; a rejection marks the span as an error with the error's class as `error.type`. With
 * tracing off, `work` simply runs with no span.
 */
export function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  work: (span: Span | undefined) => Promise<T>,
  errorType: (error: unknown) => string = errorClassOf,
): Promise<T> {
  if (!tracing) {
    return work(undefined);
  }
  return activeTracer().startActiveSpan(name, { kind, attributes }, async (span): Promise<T> => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, errorType(error));
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span for work done at once in memory (a cache lookup), started and ended where it happened. */
export function recordInstantSpan(name: string, kind: SpanKind, attributes: Attributes): void {
  if (tracing) {
    activeTracer().startSpan(name, { kind, attributes }).end();
  }
}

/** Error status with a short type only (a class, a status): messages may quote upstream bodies. */
export function markFailed(span: Span, type: string): void {
  span.setAttribute('error.type', type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}

function errorClassOf(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

/** The ids a log line carries inside a traced request (pino's mixin); empty outside one. */
export function traceFields(): { trace_id?: string; span_id?: string; trace_flags?: string } {
  const span = trace.getActiveSpan();
  if (!span) {
    return {};
  }
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}` };
}

export { SpanKind };
