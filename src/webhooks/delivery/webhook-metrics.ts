import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../../metrics/metrics.service';

/** The events this service acts on or knows by name; any other name is counted as `other`. */
const KNOWN_EVENTS = new Set([
  'ping',
  'push',
  'repository',
  'release',
  'fork',
  'public',
  'member',
  'star',
  'watch',
  'installation',
  'installation_repositories',
]);

/**
 * What happened to a delivery: refused (`unsigned`: no or a wrong signature; `invalid`: signed but
 * unreadable), received (`accepted`, `duplicate`), then processed (`processed`, `ignored`: an
 * event this service does not use, `retried`: a failed attempt, `failed`: given up on).
 */
export type DeliveryOutcome =
  | 'unsigned'
  | 'invalid'
  | 'accepted'
  | 'duplicate'
  | 'processed'
  | 'ignored'
  | 'retried'
  | 'failed';

/** The webhook metrics, in the app's registry (served on /metrics with the others). */
@Injectable()
export class WebhookMetrics {
  private readonly deliveries: Counter<'event' | 'outcome'>;
  private readonly lag: Histogram<'event'>;

  constructor(metrics: MetricsService) {
    this.deliveries = new Counter({
      name: 'webhook_deliveries_total',
      help: 'GitHub webhook deliveries by event (`unverified` before the signature holds) and outcome',
      labelNames: ['event', 'outcome'] as const,
      registers: [metrics.registry],
    });
    this.lag = new Histogram({
      name: 'webhook_processing_lag_seconds',
      help: 'From a delivery received to its effect applied (or given up), by event',
      labelNames: ['event'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers: [metrics.registry],
    });
  }

  record(event: string | undefined, outcome: DeliveryOutcome): void {
    this.deliveries.inc({ event: eventLabel(event, outcome), outcome });
  }

  recordLag(event: string, seconds: number): void {
    this.lag.observe({ event: eventLabel(event, 'processed') }, Math.max(0, seconds));
  }
}

/** A bounded label: an unsigned request's event header is whatever its sender wrote. */
function eventLabel(event: string | undefined, outcome: DeliveryOutcome): string {
  if (outcome === 'unsigned') {
    return 'unverified';
  }
  return event !== undefined && KNOWN_EVENTS.has(event) ? event : 'other';
}
