import { context } from '@opentelemetry/api';
import type { LogEvent } from 'kysely';
import { activeTracer, isTracing, markFailed, SpanKind } from '../../tracing/tracer';

/**
 * Kysely's `log` hook: with tracing on, each history query becomes a CLIENT span of the request
 * (or background job) that ran it, timed by Kysely (started `queryDurationMillis` before the
 * hook). Attributes name the store and the statement's operation and text; the text is Kysely's
 * parameterised SQL (`$1`, `$2`), so no value (a login) is exported.
 */
export function queryTracer(store: 'postgresql' | 'pglite'): (event: LogEvent) => void {
  return (event) => {
    if (!isTracing()) {
      return;
    }
    const sql = event.query.sql;
    const operation = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'QUERY';
    const end = Date.now();
    const span = activeTracer().startSpan(
      `${operation} history`,
      {
        kind: SpanKind.CLIENT,
        startTime: end - event.queryDurationMillis,
        attributes: {
          'db.system.name': 'postgresql',
          'db.client.name': store,
          'db.operation.name': operation,
          'db.query.text': sql,
        },
      },
      context.active(),
    );
    if (event.level === 'error') {
      markFailed(span, event.error instanceof Error ? event.error.name : 'Error');
    }
    span.end(end);
  };
}
